package io.keyshift.core.kms;

import org.bson.BsonDocument;
import org.bson.Document;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The checks of an Azure Key Vault target, each failure a sentence saying what to fix: the client signs
 * in, the key exists, is enabled and unexpired, is an RSA key allowing wrapKey and unwrapKey, a key
 * version that is not pinned is named (a rotation would strand the data keys), and a wrap/unwrap round
 * trip with RSA-OAEP-256 (what the drivers use) gives the bytes back.
 */
final class AzureKeyCheck {

    static final KmsCheck.Name CREDENTIALS = new KmsCheck.Name("credentials", "Signs in to Azure");
    static final KmsCheck.Name KEY_FOUND = new KmsCheck.Name("key_found", "Key found");
    static final KmsCheck.Name KEY_ENABLED = new KmsCheck.Name("key_enabled", "Key enabled and unexpired");
    static final KmsCheck.Name KEY_OPERATIONS = new KmsCheck.Name("key_operations", "RSA key allowing wrapKey and unwrapKey");
    static final KmsCheck.Name KEY_VERSION = new KmsCheck.Name("key_version", "Key version used");
    static final KmsCheck.Name ROUND_TRIP = new KmsCheck.Name("round_trip", "Wrap + unwrap round trip");

    private static final String API_VERSION = "api-version=7.4";
    private static final String ROLE_ADVICE = "assign the Key Vault Crypto User role on the vault (or, with access"
            + " policies, grant the key permissions Get, Wrap Key and Unwrap Key)";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AzureProvider provider;
    private final String vault;
    private final String keyName;
    private final String keyVersion;
    private final KmsRest rest;
    private final CheckList checks = new CheckList(List.of(CREDENTIALS, KEY_FOUND, KEY_ENABLED, KEY_OPERATIONS, KEY_VERSION,
            ROUND_TRIP));

    private final KmsTarget target;

    private AzureKeyCheck(AzureProvider provider, KmsTarget target) {
        BsonDocument masterKey = target.masterKey();
        this.target = target;
        this.provider = provider;
        this.vault = masterKey.getString("keyVaultEndpoint").getValue();
        this.keyName = masterKey.getString("keyName").getValue();
        this.keyVersion = masterKey.containsKey("keyVersion") ? masterKey.getString("keyVersion").getValue() : "";
        this.rest = new KmsRest(provider.sslContext());
    }

    /** Runs the checks of an azure target; blocks on the network. */
    static KmsCheckReport run(KmsTarget target) {
        return new AzureKeyCheck((AzureProvider) target.provider(), target).run();
    }

    private KmsCheckReport run() {
        checks.detail("keyVaultEndpoint", vault);
        provider.tenantId().ifPresent(tenant -> checks.detail("tenantId", tenant));
        provider.clientId().ifPresent(client -> checks.detail("clientId", client));
        char[] token = token();
        if (token == null) {
            return checks.report(target);
        }
        try {
            String bearer = new String(token);
            KmsRest.Response key = rest.get(keyUrl() + "?" + API_VERSION, bearer);
            if (key.ok()) {
                checks.ok(KEY_FOUND, "Key " + keyName + " found in " + vault + ".");
                checks.detail("keyId", key.text("key.kid"));
                judgeAttributes(key.json());
                judgeVersion(key.text("key.kid"));
            } else if (key.status() == 403) {
                checks.warn(KEY_FOUND, clientName() + " may not read the properties of key " + keyName + " (" + reason(key)
                        + "), so the round trip alone shows whether it can be used; to see them, " + ROLE_ADVICE + ".");
                checks.skip(KEY_ENABLED, "Not read: no Get permission on the key.");
                checks.skip(KEY_OPERATIONS, "Not read: no Get permission on the key.");
                checks.skip(KEY_VERSION, "Not read: no Get permission on the key.");
            } else {
                checks.fail(KEY_FOUND, keyRefusal(key));
                return checks.report(target);
            }
            roundTrip(bearer);
        } catch (KmsRest.Unreachable e) {
            checks.unreachable("Could not reach the key vault " + vault + " (" + e.getMessage() + "): check the"
                    + " key vault endpoint (the Vault URI, such as my-vault.vault.azure.net), the network and, for a"
                    + " private endpoint, the CA file.");
        } finally {
            Arrays.fill(token, '\0');
        }
        return checks.report(target);
    }

    /** A token for the vault, or null after recording why there is none. */
    private char[] token() {
        if (provider.usesAccessToken()) {
            checks.ok(CREDENTIALS, "Using the given access token; it expires and KeyShift cannot renew it.");
            return provider.secret();
        }
        String identity = provider.identityPlatformEndpoint();
        char[] secret = provider.secret();
        try {
            String form = "client_id=" + encode(provider.clientId().orElseThrow())
                    + "&scope=" + encode("https://" + vaultDomain() + "/.default")
                    + "&client_secret=" + encode(new String(secret))
                    + "&grant_type=client_credentials";
            KmsRest.Response response = rest.postForm("https://" + identity + "/" + provider.tenantId().orElseThrow()
                    + "/oauth2/v2.0/token", form);
            if (response.ok() && !response.text("access_token").isEmpty()) {
                checks.ok(CREDENTIALS, "Signed in as " + clientName() + " in tenant " + provider.tenantId().orElseThrow() + ".");
                return response.text("access_token").toCharArray();
            }
            checks.fail(CREDENTIALS, signInRefusal(response));
            return null;
        } catch (KmsRest.Unreachable e) {
            checks.unreachable("Could not reach the identity platform at " + identity + " (" + e.getMessage()
                    + "): check the identity platform endpoint, the network and, for a private endpoint, the CA file.");
            return null;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private String signInRefusal(KmsRest.Response response) {
        String tenant = provider.tenantId().orElseThrow();
        String description = response.text("error_description");
        return switch (response.text("error")) {
            case "invalid_client" -> "The identity platform refused the client secret of " + clientName()
                    + ": set " + AzureProvider.CLIENT_SECRET_VARIABLE + " to the secret's Value (not its Secret ID),"
                    + " or add a new secret if this one expired.";
            case "unauthorized_client" -> "Tenant " + tenant + " has no application with client id "
                    + provider.clientId().orElseThrow() + ": check " + AzureProvider.CLIENT_ID_VARIABLE
                    + " (the Application (client) ID) and " + AzureProvider.TENANT_ID_VARIABLE + ".";
            default -> description.contains("AADSTS90002")
                    ? "Tenant " + tenant + " was not found: check " + AzureProvider.TENANT_ID_VARIABLE
                    + " (the Directory (tenant) ID on the application's Overview page)."
                    : "The identity platform refused the sign-in (HTTP " + response.status() + ": "
                    + (description.isEmpty() ? response.json().toJson() : description) + "): check "
                    + AzureProvider.TENANT_ID_VARIABLE + ", " + AzureProvider.CLIENT_ID_VARIABLE + " and "
                    + AzureProvider.CLIENT_SECRET_VARIABLE + ".";
        };
    }

    private String keyRefusal(KmsRest.Response response) {
        return switch (response.status()) {
            case 404 -> "The vault " + vault + " has no key " + keyName + (keyVersion.isEmpty() ? "" : " version " + keyVersion)
                    + ": check the key name" + (keyVersion.isEmpty() ? "" : " and version") + " as the vault's Keys page"
                    + " lists them, and the vault endpoint.";
            case 401 -> "The vault " + vault + " refused the token (" + reason(response) + "): check that the key vault"
                    + " endpoint names a vault of tenant " + provider.tenantId().orElse("of the token") + ".";
            default -> "The vault " + vault + " could not read key " + keyName + " (HTTP " + response.status() + ": "
                    + reason(response) + "): check the key vault endpoint and the key name.";
        };
    }

    private void judgeAttributes(Document key) {
        Document attributes = key.get("attributes", new Document());
        Object expires = attributes.get("exp");
        Object notBefore = attributes.get("nbf");
        if (Boolean.FALSE.equals(attributes.get("enabled"))) {
            checks.fail(KEY_ENABLED, "Key " + keyName + " is disabled: enable its version (vault → Keys → " + keyName
                    + " → the version → Enabled) or choose another key.");
        } else if (expires instanceof Number seconds && Instant.ofEpochSecond(seconds.longValue()).isBefore(Instant.now())) {
            checks.fail(KEY_ENABLED, "Key " + keyName + " expired on " + Instant.ofEpochSecond(seconds.longValue())
                    + ": set a later expiration date on its version, or choose another key.");
        } else if (notBefore instanceof Number seconds && Instant.ofEpochSecond(seconds.longValue()).isAfter(Instant.now())) {
            checks.fail(KEY_ENABLED, "Key " + keyName + " is not active before " + Instant.ofEpochSecond(seconds.longValue())
                    + ": clear its activation date, or choose another key.");
        } else {
            checks.ok(KEY_ENABLED, "Key " + keyName + " is enabled" + (expires instanceof Number seconds
                    ? " until " + Instant.ofEpochSecond(seconds.longValue()) : " with no expiry") + ".");
        }
        Document jwk = key.get("key", new Document());
        String type = jwk.getString("kty");
        List<?> operations = jwk.get("key_ops", List.class);
        boolean rsa = "RSA".equals(type) || "RSA-HSM".equals(type);
        if (rsa && operations != null && operations.contains("wrapKey") && operations.contains("unwrapKey")) {
            checks.ok(KEY_OPERATIONS, type + " key allowing wrapKey and unwrapKey.");
        } else {
            checks.fail(KEY_OPERATIONS, "Key " + keyName + " is a " + type + " key allowing " + operations
                    + ": the MongoDB drivers need an RSA key whose permitted operations include Wrap Key and Unwrap Key;"
                    + " allow them on the key's version, or create an RSA key.");
        }
    }

    /**
     * Without a pinned version the drivers wrap with the key's current version and later unwrap with
     * whichever version is current then: a rotation in the vault leaves the data keys unopenable.
     */
    private void judgeVersion(String keyId) {
        String current = keyId.substring(keyId.lastIndexOf('/') + 1);
        if (!keyVersion.isEmpty()) {
            checks.ok(KEY_VERSION, "Pinned to version " + keyVersion + (keyVersion.equals(current) ? ", the current one"
                    : " (the current one is " + current + ")") + "; a rotation of " + keyName + " does not affect these data keys.");
        } else {
            checks.warn(KEY_VERSION, "No key version is given, so data keys are wrapped with the current version ("
                    + current + ") and unwrapped with whichever version is current then: once " + keyName + " is rotated"
                    + " they no longer open until rewrapped. Give key version " + current + ", or rewrap the data keys"
                    + " before each rotation.");
        }
    }

    private void roundTrip(String bearer) {
        byte[] probe = new byte[96];
        RANDOM.nextBytes(probe);
        KmsRest.Response wrapped = rest.postJson(operationUrl("wrapkey") + "?" + API_VERSION, bearer, new Document("alg", "RSA-OAEP-256")
                .append("value", Base64.getUrlEncoder().withoutPadding().encodeToString(probe)));
        if (!wrapped.ok()) {
            checks.fail(ROUND_TRIP, operationRefusal("wrapKey", wrapped));
            return;
        }
        KmsRest.Response unwrapped = rest.postJson(operationUrl("unwrapkey") + "?" + API_VERSION, bearer, new Document("alg", "RSA-OAEP-256")
                .append("value", wrapped.text("value")));
        if (!unwrapped.ok()) {
            checks.fail(ROUND_TRIP, operationRefusal("unwrapKey", unwrapped));
        } else if (!Arrays.equals(probe, Base64.getUrlDecoder().decode(unwrapped.text("value")))) {
            checks.fail(ROUND_TRIP, "Key " + keyName + " unwrapped different bytes than it wrapped: the vault at " + vault
                    + " is not behaving as Azure Key Vault; do not use it as a target.");
        } else {
            checks.ok(ROUND_TRIP, "96 bytes wrapped and unwrapped with RSA-OAEP-256, as the MongoDB drivers do.");
        }
        Arrays.fill(probe, (byte) 0);
    }

    private String operationRefusal(String operation, KmsRest.Response response) {
        String inner = response.text("error.innererror.code");
        if (response.status() == 403 && inner.equals("KeyDisabled")) {
            return "Key " + keyName + " is disabled, so " + operation + " was refused: enable its version or choose another key.";
        }
        if (response.status() == 403 && inner.equals("KeyExpired")) {
            return "Key " + keyName + " has expired, so " + operation + " was refused: set a later expiration date on its"
                    + " version or choose another key.";
        }
        if (response.status() == 403 && inner.equals("KeyOperationForbidden")) {
            return "Key " + keyName + " does not allow " + operation + ": allow Wrap Key and Unwrap Key on the key's version.";
        }
        if (response.status() == 403) {
            return clientName() + " may not " + operation + " with key " + keyName + " (" + reason(response) + "): "
                    + ROLE_ADVICE + ".";
        }
        return "The vault " + vault + " refused " + operation + " with key " + keyName + " (HTTP " + response.status()
                + ": " + reason(response) + "): check the key and the client's permissions on it.";
    }

    private String keyUrl() {
        return "https://" + vault + "/keys/" + keyName + (keyVersion.isEmpty() ? "" : "/" + keyVersion);
    }

    /** As the drivers call it: an empty version segment means the key's current version. */
    private String operationUrl(String operation) {
        return "https://" + vault + "/keys/" + keyName + "/" + keyVersion + "/" + operation;
    }

    /** The vault's DNS suffix, as the drivers scope their token request: {@code vault.azure.net} for any public vault. */
    private String vaultDomain() {
        String host = KmsEndpoint.host(vault);
        int dot = host.indexOf('.');
        return dot < 0 || host.chars().allMatch(c -> Character.isDigit(c) || c == '.') ? host : host.substring(dot + 1);
    }

    private String clientName() {
        return provider.clientId().map(id -> "client " + id).orElse("the access token's identity");
    }

    private static String reason(KmsRest.Response response) {
        String message = response.text("error.message");
        return message.isEmpty() ? "HTTP " + response.status() : message;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
