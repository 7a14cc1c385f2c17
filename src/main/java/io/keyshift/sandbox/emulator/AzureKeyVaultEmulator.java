package io.keyshift.sandbox.emulator;

import io.keyshift.sandbox.emulator.EmulatorServer.Refusal;
import io.keyshift.sandbox.emulator.EmulatorServer.Request;
import org.bson.Document;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An emulator of Azure Key Vault and the Microsoft identity platform, serving exactly what
 * libmongocrypt calls plus the key metadata KeyShift's checks read:
 * <ul>
 *   <li>{@code POST /{tenantId}/oauth2/v2.0/token} — client credentials grant (client id and secret);</li>
 *   <li>{@code POST /keys/{name}/{version?}/wrapkey} and {@code …/unwrapkey} — RSA-OAEP-256 with the key's
 *       own RSA key, values base64url, {@code api-version} required;</li>
 *   <li>{@code GET /keys/{name}/{version?}} — the key's type, operations and attributes.</li>
 * </ul>
 * A wrong client secret, or a token it did not issue, is answered 401; a client without the key
 * permission an operation needs is answered 403, as Key Vault's access policies do.
 */
public final class AzureKeyVaultEmulator implements AutoCloseable {

    /** Key permissions of an access policy, by their Key Vault names. */
    public enum KeyPermission {
        GET("get"), WRAP_KEY("wrapKey"), UNWRAP_KEY("unwrapKey");

        private final String wireName;

        KeyPermission(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** A client (service principal) of the tenant with its secret and its access policy on the vault. */
    public record Client(String clientId, String clientSecret, Set<KeyPermission> permissions) {
        public Client {
            permissions = Set.copyOf(permissions);
        }

        @Override
        public String toString() {
            return "Client[clientId=" + clientId + ", clientSecret=****, permissions=" + permissions + "]";
        }
    }

    /**
     * A key of the vault: RSA, with the operations it allows, enabled or not, and an expiry (null: none).
     */
    public record KeySpec(String name, boolean enabled, List<String> operations, Instant expires) {
        public static final List<String> ALL_OPERATIONS = List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");

        public KeySpec {
            operations = List.copyOf(operations);
        }

        /** An enabled key allowing every RSA operation, with no expiry: what a DBA creates for CSFLE. */
        public static KeySpec wrapping(String name) {
            return new KeySpec(name, true, ALL_OPERATIONS, null);
        }
    }

    private static final String API_VERSION = "api-version=";
    private static final OAEPParameterSpec RSA_OAEP_256 = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One version of a key, with its own RSA key pair. */
    private record VaultKey(KeySpec spec, String version, KeyPair rsa) {
        static VaultKey create(KeySpec spec) {
            return new VaultKey(spec, newVersion(), newRsaKey());
        }
    }

    private final String tenantId;
    private final Map<String, Client> clients = new LinkedHashMap<>();
    /** Each key's versions, oldest first: the last is the current one. */
    private final Map<String, List<VaultKey>> keys = new LinkedHashMap<>();
    private final BearerTokens tokens = new BearerTokens();
    private final EmulatorServer server;

    private AzureKeyVaultEmulator(String tenantId, List<Client> clients, List<KeySpec> keys, KeyStore tlsKeyStore) {
        this.tenantId = tenantId;
        clients.forEach(client -> this.clients.put(client.clientId(), client));
        keys.forEach(spec -> this.keys.put(spec.name(), new CopyOnWriteArrayList<>(List.of(VaultKey.create(spec)))));
        this.server = EmulatorServer.start("Azure Key Vault emulator", tlsKeyStore, this::handle);
    }

    /** Starts the emulator on a free loopback port, its TLS certificate and key from {@code tlsKeyStore} (no password). */
    public static AzureKeyVaultEmulator start(String tenantId, List<Client> clients, List<KeySpec> keys,
                                              KeyStore tlsKeyStore) {
        return new AzureKeyVaultEmulator(tenantId, clients, keys, tlsKeyStore);
    }

    /** {@code 127.0.0.1:PORT}: both the key vault endpoint and the identity platform endpoint. */
    public String endpoint() {
        return server.endpoint();
    }

    /** The current version of a key, as its key identifier ends. */
    public String keyVersion(String keyName) {
        List<VaultKey> versions = keys.get(keyName);
        return versions.get(versions.size() - 1).version();
    }

    /**
     * Rotates a key as the portal's "New version" does: a new RSA key becomes the current version; the
     * older versions stay and still unwrap what they wrapped when asked by their version.
     */
    public void rotateKey(String keyName) {
        List<VaultKey> versions = keys.get(keyName);
        versions.add(VaultKey.create(versions.get(0).spec()));
    }

    private Document handle(Request request) {
        String[] segments = request.path().split("/", -1);
        if (request.method().equals("POST") && segments.length == 5 && segments[2].equals("oauth2")
                && segments[3].equals("v2.0") && segments[4].equals("token")) {
            return token(segments[1], BearerTokens.form(request.body()));
        }
        if (segments.length >= 3 && segments[1].equals("keys")) {
            requireApiVersion(request);
            Client client = authenticated(request);
            if (request.method().equals("POST") && segments.length == 5
                    && (segments[4].equals("wrapkey") || segments[4].equals("unwrapkey"))) {
                boolean wrap = segments[4].equals("wrapkey");
                return wrapOrUnwrap(client, key(segments[2], segments[3]), wrap, Document.parse(request.body()));
            }
            if (request.method().equals("GET") && segments.length <= 4) {
                VaultKey key = key(segments[2], segments.length == 4 ? segments[3] : "");
                requirePermission(client, KeyPermission.GET);
                return describe(key);
            }
        }
        throw new Refusal(404, keyVaultError("NotFound", "The requested resource " + request.method() + " "
                + request.path() + " is not served by this emulator."));
    }

    private Document token(String tenant, Map<String, String> form) {
        if (!tenant.equals(tenantId)) {
            throw new Refusal(400, identityError("invalid_request", "AADSTS90002: Tenant '" + tenant + "' not found."));
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new Refusal(400, identityError("unsupported_grant_type",
                    "AADSTS70003: The app requested an unsupported grant type."));
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            throw new Refusal(400, identityError("invalid_scope", "AADSTS70011: The provided scope '" + scope
                    + "' is not valid: it must end with /.default."));
        }
        Client client = clients.get(form.get("client_id"));
        if (client == null) {
            throw new Refusal(400, identityError("unauthorized_client", "AADSTS700016: Application with identifier '"
                    + form.get("client_id") + "' was not found in the directory '" + tenantId + "'."));
        }
        if (!client.clientSecret().equals(form.get("client_secret"))) {
            throw new Refusal(401, identityError("invalid_client", "AADSTS7000215: Invalid client secret provided."
                    + " Ensure the secret being sent in the request is the client secret value, not the client secret ID,"
                    + " for a secret added to app '" + client.clientId() + "'."));
        }
        long lifetime = BearerTokens.LIFETIME.toSeconds();
        return new Document("token_type", "Bearer")
                .append("expires_in", lifetime)
                .append("ext_expires_in", lifetime)
                .append("access_token", tokens.issue(client.clientId()));
    }

    private Client authenticated(Request request) {
        if (request.authorization() == null) {
            throw new Refusal(401, keyVaultError("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
        }
        return tokens.principal(request.authorization()).map(clients::get).orElseThrow(() ->
                new Refusal(401, keyVaultError("Unauthorized", "AKV10032: Invalid issuer. The token was not issued"
                        + " by this tenant's identity platform, or it has expired.")));
    }

    /** The named version of a key, or its current version when {@code version} is empty. */
    private VaultKey key(String name, String version) {
        List<VaultKey> versions = keys.getOrDefault(name, List.of());
        return versions.stream()
                .filter(key -> version.isEmpty() ? key == versions.get(versions.size() - 1) : key.version().equals(version))
                .findFirst()
                .orElseThrow(() -> new Refusal(404, keyVaultError("KeyNotFound", "A key with (name/id) " + name
                        + (version.isEmpty() ? "" : "/" + version) + " was not found in this key vault.")));
    }

    private Document wrapOrUnwrap(Client client, VaultKey key, boolean wrap, Document body) {
        String operation = wrap ? "wrapKey" : "unwrapKey";
        requirePermission(client, wrap ? KeyPermission.WRAP_KEY : KeyPermission.UNWRAP_KEY);
        if (!key.spec().enabled()) {
            throw new Refusal(403, keyVaultError("Forbidden", "Operation " + operation
                    + " is not allowed on a disabled key.", "KeyDisabled"));
        }
        if (key.spec().expires() != null && key.spec().expires().isBefore(Instant.now())) {
            throw new Refusal(403, keyVaultError("Forbidden", "Operation " + operation
                    + " is not allowed on an expired key.", "KeyExpired"));
        }
        if (!key.spec().operations().contains(operation)) {
            throw new Refusal(403, keyVaultError("Forbidden", "Operation " + operation
                    + " is not permitted on this key.", "KeyOperationForbidden"));
        }
        if (!"RSA-OAEP-256".equals(body.getString("alg"))) {
            throw new Refusal(400, keyVaultError("BadParameter", "This emulator wraps with RSA-OAEP-256 only, not "
                    + body.getString("alg") + "."));
        }
        byte[] value;
        try {
            value = Base64.getUrlDecoder().decode(body.getString("value"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Refusal(400, keyVaultError("BadParameter", "The 'value' is not base64url."));
        }
        byte[] result = rsaOaep256(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                wrap ? key.rsa().getPublic() : key.rsa().getPrivate(), value);
        return new Document("kid", keyId(key)).append("value", Base64.getUrlEncoder().withoutPadding().encodeToString(result));
    }

    private static byte[] rsaOaep256(int mode, Key key, byte[] value) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, key, RSA_OAEP_256);
            return cipher.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new Refusal(400, keyVaultError("BadParameter", mode == Cipher.DECRYPT_MODE
                    ? "Unwrap failed: the value was not wrapped by this key." : "Wrap failed: " + e.getMessage()));
        }
    }

    private void requirePermission(Client client, KeyPermission permission) {
        if (!client.permissions().contains(permission)) {
            throw new Refusal(403, keyVaultError("Forbidden", "The user, group or application 'appid="
                    + client.clientId() + "' does not have keys " + permission.wireName() + " permission on key vault '"
                    + endpoint() + "'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                    "AccessDenied"));
        }
    }

    private Document describe(VaultKey key) {
        RSAPublicKey publicKey = (RSAPublicKey) key.rsa().getPublic();
        Document attributes = new Document("enabled", key.spec().enabled())
                .append("recoveryLevel", "Recoverable+Purgeable");
        if (key.spec().expires() != null) {
            attributes.append("exp", key.spec().expires().getEpochSecond());
        }
        return new Document("key", new Document("kid", keyId(key))
                .append("kty", "RSA")
                .append("key_ops", new ArrayList<>(key.spec().operations()))
                .append("n", base64Url(publicKey.getModulus()))
                .append("e", base64Url(publicKey.getPublicExponent())))
                .append("attributes", attributes);
    }

    private String keyId(VaultKey key) {
        return "https://" + endpoint() + "/keys/" + key.spec().name() + "/" + key.version();
    }

    private static void requireApiVersion(Request request) {
        if (request.query() == null || !request.query().contains(API_VERSION)) {
            throw new Refusal(400, keyVaultError("BadParameter", "The 'api-version' query parameter is missing."));
        }
    }

    private static Document identityError(String error, String description) {
        return new Document("error", error).append("error_description", description);
    }

    private static Document keyVaultError(String code, String message) {
        return new Document("error", new Document("code", code).append("message", message));
    }

    private static Document keyVaultError(String code, String message, String innerCode) {
        return new Document("error", new Document("code", code).append("message", message)
                .append("innererror", new Document("code", innerCode)));
    }

    private static String base64Url(BigInteger number) {
        byte[] bytes = number.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    private static String newVersion() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static KeyPair newRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from this Java runtime", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
