package io.keyshift.core.kms;

import org.bson.BsonDocument;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The checks of a Google Cloud KMS target, each failure a sentence saying what to fix: the service
 * account signs in, the key exists with purpose ENCRYPT_DECRYPT, the version used is ENABLED, a pinned
 * version that is not the primary is named, and an encrypt/decrypt round trip gives the bytes back.
 */
final class GcpKeyCheck {

    static final KmsCheck.Name CREDENTIALS = new KmsCheck.Name("credentials", "Signs in to Google Cloud");
    static final KmsCheck.Name KEY_FOUND = new KmsCheck.Name("key_found", "Key found");
    static final KmsCheck.Name KEY_PURPOSE = new KmsCheck.Name("key_purpose", "Purpose ENCRYPT_DECRYPT");
    static final KmsCheck.Name KEY_ENABLED = new KmsCheck.Name("key_enabled", "Key version ENABLED");
    static final KmsCheck.Name KEY_VERSION = new KmsCheck.Name("key_version", "Key version used");
    static final KmsCheck.Name ROUND_TRIP = new KmsCheck.Name("round_trip", "Encrypt + decrypt round trip");

    private static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";
    private static final String JWT_HEADER = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final String USE_ADVICE = "grant it roles/cloudkms.cryptoKeyEncrypterDecrypter on the key or its key ring";
    private static final String VIEW_ADVICE = "grant it roles/cloudkms.viewer on the key or its key ring";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GcpProvider provider;
    private final String keyName;
    private final String keyVersion;
    private final String kmsEndpoint;
    private final KmsRest rest;
    private final CheckList checks = new CheckList(List.of(CREDENTIALS, KEY_FOUND, KEY_PURPOSE, KEY_ENABLED, KEY_VERSION,
            ROUND_TRIP));

    private final KmsTarget target;

    private GcpKeyCheck(GcpProvider provider, KmsTarget target) {
        BsonDocument masterKey = target.masterKey();
        this.target = target;
        this.provider = provider;
        this.keyName = GcpKeyName.of(masterKey);
        this.keyVersion = masterKey.containsKey("keyVersion") ? masterKey.getString("keyVersion").getValue() : "";
        this.kmsEndpoint = masterKey.containsKey("endpoint") ? masterKey.getString("endpoint").getValue()
                : GcpProvider.DEFAULT_KMS_ENDPOINT;
        this.rest = new KmsRest(provider.sslContext());
    }

    /** Runs the checks of a gcp target; blocks on the network. */
    static KmsCheckReport run(KmsTarget target) {
        return new GcpKeyCheck((GcpProvider) target.provider(), target).run();
    }

    private KmsCheckReport run() {
        checks.detail("key", keyName);
        checks.detail("endpoint", kmsEndpoint);
        provider.email().ifPresent(email -> checks.detail("serviceAccount", email));
        char[] token;
        try {
            token = token();
        } catch (KmsRest.Unreachable e) {
            checks.unreachable("Could not reach the token endpoint " + provider.tokenEndpoint() + " ("
                    + e.getMessage() + "): check the endpoint, the network and, for a private endpoint, the CA file.");
            return checks.report(target);
        }
        if (token == null) {
            return checks.report(target);
        }
        try {
            String bearer = new String(token);
            KmsRest.Response key = rest.get(url(keyName), bearer);
            if (key.ok()) {
                checks.ok(KEY_FOUND, "Key " + keyName + " found.");
                if (!judgeKey(bearer, key.json())) {
                    return checks.report(target);
                }
            } else if (key.status() == 403) {
                checks.warn(KEY_FOUND, accountName() + " may not read key " + keyName + " (" + reason(key) + "), so the"
                        + " round trip alone shows whether it can be used; to see its purpose and versions, " + VIEW_ADVICE + ".");
                checks.skip(KEY_PURPOSE, "Not read: no permission to read the key.");
                checks.skip(KEY_ENABLED, "Not read: no permission to read the key.");
                checks.skip(KEY_VERSION, "Not read: no permission to read the key.");
            } else {
                checks.fail(KEY_FOUND, key.status() == 404
                        ? "There is no key " + keyName + ": check the project id, location, key ring and key name against"
                        + " the key's resource name in the console (Security → Key Management)."
                        : "Cloud KMS at " + kmsEndpoint + " could not read key " + keyName + " (HTTP " + key.status() + ": "
                        + reason(key) + "): check the Cloud KMS endpoint and the key's coordinates.");
                return checks.report(target);
            }
            roundTrip(bearer);
        } catch (KmsRest.Unreachable e) {
            checks.unreachable("Could not reach Cloud KMS at " + kmsEndpoint + " (" + e.getMessage() + "): check"
                    + " the Cloud KMS endpoint, the network and, for a private endpoint, the CA file.");
        } finally {
            Arrays.fill(token, '\0');
        }
        return checks.report(target);
    }

    /** A token with the Cloud KMS scope, or null after recording why there is none. */
    private char[] token() {
        if (provider.usesAccessToken()) {
            checks.ok(CREDENTIALS, "Using the given access token; it expires and KeyShift cannot renew it.");
            return provider.accessToken();
        }
        String form = "grant_type=" + "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer" + "&assertion=" + assertion();
        KmsRest.Response response = rest.postForm("https://" + provider.tokenEndpoint() + "/token", form);
        if (response.ok() && !response.text("access_token").isEmpty()) {
            checks.ok(CREDENTIALS, "Signed in as service account " + provider.email().orElseThrow() + ".");
            return response.text("access_token").toCharArray();
        }
        String description = response.text("error_description");
        String email = provider.email().orElseThrow();
        if (description.contains("Invalid JWT Signature")) {
            checks.fail(CREDENTIALS, "Google refused the signature of " + email + ": the key file's key was deleted or"
                    + " belongs to another account; create a new JSON key for the service account and give that file.");
        } else if (description.contains("account not found")) {
            checks.fail(CREDENTIALS, "Service account " + email + " does not exist or is disabled: check the key file,"
                    + " or create a key for a service account that exists.");
        } else if (description.contains("iat") || description.contains("timeframe")) {
            checks.fail(CREDENTIALS, "Google refused the sign-in as too early or too late (" + description
                    + "): set this computer's clock right.");
        } else {
            checks.fail(CREDENTIALS, "Google refused the sign-in of " + email + " (HTTP " + response.status() + ": "
                    + (description.isEmpty() ? response.json().toJson() : description) + "): check the service-account key file.");
        }
        return null;
    }

    /** The libmongocrypt-shaped JWT: RS256, audience the token endpoint, scope Cloud KMS, five minutes. */
    private String assertion() {
        long now = Instant.now().getEpochSecond();
        Document claims = new Document("iss", provider.email().orElseThrow())
                .append("aud", "https://" + KmsEndpoint.host(provider.tokenEndpoint()) + "/token")
                .append("scope", SCOPE)
                .append("iat", now)
                .append("exp", now + 300);
        String signed = JWT_HEADER + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
        byte[] key = provider.privateKey();
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(key)));
            signer.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The service account's key was validated when it was read", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Judges purpose, state and version; false when the key cannot be used at all. */
    private boolean judgeKey(String bearer, Document key) {
        String purpose = key.getString("purpose");
        if (!"ENCRYPT_DECRYPT".equals(purpose)) {
            checks.fail(KEY_PURPOSE, "Key " + keyName + " has purpose " + purpose + ": the MongoDB drivers need a"
                    + " symmetric key with purpose ENCRYPT_DECRYPT; create one and give its name.");
            return false;
        }
        checks.ok(KEY_PURPOSE, "Symmetric key, purpose ENCRYPT_DECRYPT.");
        Document primary = key.get("primary", new Document());
        String primaryVersion = lastSegment(primary.getString("name"));
        checks.detail("primaryVersion", primaryVersion);
        Document used = primary;
        if (!keyVersion.isEmpty() && !keyVersion.equals(primaryVersion)) {
            KmsRest.Response version = rest.get(url(keyName + "/cryptoKeyVersions/" + keyVersion), bearer);
            if (version.status() == 404) {
                checks.fail(KEY_ENABLED, "Key " + keyName + " has no version " + keyVersion + ": give a version the"
                        + " console lists for the key, or none to follow the primary.");
                return false;
            }
            if (!version.ok()) {
                checks.warn(KEY_ENABLED, accountName() + " may not read version " + keyVersion + " (" + reason(version)
                        + "): the round trip shows whether it can be used; to see its state, " + VIEW_ADVICE + ".");
                used = null;
            } else {
                used = version.json();
            }
        }
        if (used != null) {
            String state = used.getString("state");
            String which = keyVersion.isEmpty() ? "The primary version (" + primaryVersion + ")" : "Version " + keyVersion;
            if ("ENABLED".equals(state)) {
                checks.ok(KEY_ENABLED, which + " of key " + keyName + " is ENABLED.");
            } else {
                checks.fail(KEY_ENABLED, which + " of key " + keyName + " is " + state + ": enable it (or restore it) in"
                        + " the console, or " + (keyVersion.isEmpty() ? "make an enabled version the primary." : "pin an enabled version."));
                return false;
            }
        }
        if (keyVersion.isEmpty()) {
            checks.ok(KEY_VERSION, "New data keys follow the primary version (today " + primaryVersion + ").");
        } else if (keyVersion.equals(primaryVersion)) {
            checks.ok(KEY_VERSION, "Pinned to version " + keyVersion + ", the primary today; a later rotation will not move"
                    + " these data keys.");
        } else {
            checks.warn(KEY_VERSION, "Pinned to version " + keyVersion + ", which is not the primary (" + primaryVersion
                    + "): new data keys go to version " + keyVersion + " and stay there; leave the version out to use"
                    + " the primary.");
        }
        return true;
    }

    private void roundTrip(String bearer) {
        byte[] probe = new byte[96];
        RANDOM.nextBytes(probe);
        String encryptOn = keyVersion.isEmpty() ? keyName : keyName + "/cryptoKeyVersions/" + keyVersion;
        KmsRest.Response encrypted = rest.postJson(url(encryptOn) + ":encrypt", bearer,
                new Document("plaintext", Base64.getEncoder().encodeToString(probe)));
        if (!encrypted.ok()) {
            checks.fail(ROUND_TRIP, operationRefusal("encrypt", encrypted));
            return;
        }
        KmsRest.Response decrypted = rest.postJson(url(keyName) + ":decrypt", bearer,
                new Document("ciphertext", encrypted.text("ciphertext")));
        if (!decrypted.ok()) {
            checks.fail(ROUND_TRIP, operationRefusal("decrypt", decrypted));
        } else if (!Arrays.equals(probe, Base64.getDecoder().decode(decrypted.text("plaintext")))) {
            checks.fail(ROUND_TRIP, "Key " + keyName + " decrypted different bytes than it encrypted: Cloud KMS at "
                    + kmsEndpoint + " is not behaving as Cloud KMS; do not use it as a target.");
        } else {
            checks.ok(ROUND_TRIP, "96 bytes encrypted and decrypted with " + encrypted.text("name") + ".");
        }
        Arrays.fill(probe, (byte) 0);
    }

    private String operationRefusal(String operation, KmsRest.Response response) {
        if (response.status() == 403) {
            return accountName() + " may not " + operation + " with key " + keyName + " (" + reason(response) + "): "
                    + USE_ADVICE + ".";
        }
        return "Cloud KMS refused to " + operation + " with key " + keyName + " (HTTP " + response.status() + ": "
                + reason(response) + "): check that the key and the version used are enabled.";
    }

    private String url(String resource) {
        return "https://" + kmsEndpoint + "/v1/" + resource;
    }

    private String accountName() {
        return provider.email().map(email -> "Service account " + email).orElse("The access token's identity");
    }

    private static String lastSegment(String name) {
        return name == null ? "" : name.substring(name.lastIndexOf('/') + 1);
    }

    private static String reason(KmsRest.Response response) {
        String message = response.text("error.message");
        return message.isEmpty() ? "HTTP " + response.status() : message;
    }
}
