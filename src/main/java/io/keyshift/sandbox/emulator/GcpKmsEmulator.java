package io.keyshift.sandbox.emulator;

import io.keyshift.sandbox.emulator.EmulatorServer.Refusal;
import io.keyshift.sandbox.emulator.EmulatorServer.Request;
import org.bson.Document;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An emulator of Google Cloud KMS and Google's OAuth token endpoint, serving exactly what
 * libmongocrypt calls plus the key metadata KeyShift's checks read:
 * <ul>
 *   <li>{@code POST /token} — a JWT bearer assertion signed with the service account's RSA key, the
 *       signature verified against the account's public key;</li>
 *   <li>{@code POST /v1/projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}[/cryptoKeyVersions/{v}]:encrypt}
 *       and {@code …:decrypt} — AES-256-GCM under a secret of each key version, values base64;</li>
 *   <li>{@code GET /v1/projects/…/cryptoKeys/{k}} and {@code …/cryptoKeyVersions/{v}} — purpose, primary
 *       version and states.</li>
 * </ul>
 * A bad signature is refused as Google refuses it (400 invalid_grant), a token it did not issue is
 * answered 401, and a service account without the IAM permission an operation needs 403.
 */
public final class GcpKmsEmulator implements AutoCloseable {

    /** The Cloud KMS IAM permissions the emulated calls need. */
    public enum Permission {
        USE_TO_ENCRYPT("cloudkms.cryptoKeyVersions.useToEncrypt"),
        USE_TO_DECRYPT("cloudkms.cryptoKeyVersions.useToDecrypt"),
        GET_KEY("cloudkms.cryptoKeys.get"),
        GET_VERSION("cloudkms.cryptoKeyVersions.get");

        private final String wireName;

        Permission(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** A service account: the public half of its key, and the permissions it holds on every key. */
    public record ServiceAccount(String email, PublicKey publicKey, Set<Permission> permissions) {
        public ServiceAccount {
            permissions = Set.copyOf(permissions);
        }
    }

    /**
     * A crypto key: its purpose, the state of each version (version n at index n-1) and its primary version.
     */
    public record KeySpec(String projectId, String location, String keyRing, String name, String purpose,
                          List<String> versionStates, int primaryVersion) {
        public KeySpec {
            versionStates = List.copyOf(versionStates);
        }

        /** A symmetric ENCRYPT_DECRYPT key with one enabled version, the primary. */
        public static KeySpec encryptDecrypt(String projectId, String location, String keyRing, String name) {
            return new KeySpec(projectId, location, keyRing, name, "ENCRYPT_DECRYPT", List.of("ENABLED"), 1);
        }

        String resourceName() {
            return "projects/" + projectId + "/locations/" + location + "/keyRings/" + keyRing + "/cryptoKeys/" + name;
        }
    }

    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record CryptoKey(KeySpec spec, List<byte[]> versionSecrets) {
        String versionName(int version) {
            return spec.resourceName() + "/cryptoKeyVersions/" + version;
        }

        String state(int version) {
            return spec.versionStates().get(version - 1);
        }
    }

    private final Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
    private final Map<String, CryptoKey> keys = new LinkedHashMap<>();
    private final BearerTokens tokens = new BearerTokens();
    private final EmulatorServer server;

    private GcpKmsEmulator(List<ServiceAccount> accounts, List<KeySpec> keys, KeyStore tlsKeyStore) {
        accounts.forEach(account -> this.accounts.put(account.email(), account));
        keys.forEach(spec -> this.keys.put(spec.resourceName(), new CryptoKey(spec,
                spec.versionStates().stream().map(state -> newSecret()).toList())));
        this.server = EmulatorServer.start("Google Cloud KMS emulator", tlsKeyStore, this::handle);
    }

    /** Starts the emulator on a free loopback port, its TLS certificate and key from {@code tlsKeyStore} (no password). */
    public static GcpKmsEmulator start(List<ServiceAccount> accounts, List<KeySpec> keys, KeyStore tlsKeyStore) {
        return new GcpKmsEmulator(accounts, keys, tlsKeyStore);
    }

    /** {@code 127.0.0.1:PORT}: both the token endpoint and the Cloud KMS endpoint. */
    public String endpoint() {
        return server.endpoint();
    }

    private Document handle(Request request) {
        if (request.method().equals("POST") && request.path().equals("/token")) {
            return token(BearerTokens.form(request.body()));
        }
        if (request.path().startsWith("/v1/projects/")) {
            ServiceAccount account = authenticated(request);
            String resource = request.path().substring("/v1/".length());
            int colon = resource.lastIndexOf(':');
            if (request.method().equals("POST") && colon > 0) {
                String method = resource.substring(colon + 1);
                KeyPath path = KeyPath.parse(resource.substring(0, colon));
                if (method.equals("encrypt")) {
                    return encrypt(account, path, Document.parse(request.body()));
                }
                if (method.equals("decrypt")) {
                    return decrypt(account, path, Document.parse(request.body()));
                }
            }
            if (request.method().equals("GET") && colon < 0) {
                return describe(account, KeyPath.parse(resource));
            }
        }
        throw new Refusal(404, error(404, "NOT_FOUND", "The emulator serves no " + request.method() + " "
                + request.path() + "."));
    }

    /** A crypto key's resource name, and the version named after it, if any (0: none). */
    private record KeyPath(String keyName, int version) {
        static KeyPath parse(String resource) {
            int at = resource.indexOf("/cryptoKeyVersions/");
            if (at < 0) {
                return new KeyPath(resource, 0);
            }
            String version = resource.substring(at + "/cryptoKeyVersions/".length());
            try {
                return new KeyPath(resource.substring(0, at), Integer.parseInt(version));
            } catch (NumberFormatException e) {
                throw new Refusal(400, error(400, "INVALID_ARGUMENT", "Resource name [" + resource
                        + "] does not match any known resource name pattern."));
            }
        }
    }

    private Document token(Map<String, String> form) {
        if (!JWT_BEARER.equals(form.get("grant_type"))) {
            throw new Refusal(400, tokenError("unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type")));
        }
        String[] parts = form.getOrDefault("assertion", "").split("\\.");
        if (parts.length != 3) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT: the assertion is not header.claims.signature."));
        }
        Document header = Document.parse(base64UrlText(parts[0]));
        Document claims = Document.parse(base64UrlText(parts[1]));
        if (!"RS256".equals(header.getString("alg"))) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT: the algorithm must be RS256."));
        }
        ServiceAccount account = accounts.get(claims.getString("iss"));
        if (account == null) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid grant: account not found"));
        }
        if (!signatureValid(account.publicKey(), parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]))) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT Signature."));
        }
        String audience = String.valueOf(claims.get("aud"));
        if (!audience.matches("https://(127\\.0\\.0\\.1|localhost)/token")) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT: the audience " + audience
                    + " is not this token endpoint."));
        }
        long now = Instant.now().getEpochSecond();
        long issuedAt = ((Number) claims.get("iat")).longValue();
        long expires = ((Number) claims.get("exp")).longValue();
        if (expires <= now || issuedAt > now + 60 || expires - issuedAt > 3600) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT: Token must be a short-lived token"
                    + " (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."));
        }
        if (!String.valueOf(claims.get("scope")).endsWith("/auth/cloudkms")) {
            throw new Refusal(400, tokenError("invalid_scope", "The scope must be the Cloud KMS scope."));
        }
        return new Document("access_token", tokens.issue(account.email()))
                .append("expires_in", BearerTokens.LIFETIME.toSeconds())
                .append("token_type", "Bearer");
    }

    private ServiceAccount authenticated(Request request) {
        return tokens.principal(request.authorization()).map(accounts::get).orElseThrow(() ->
                new Refusal(401, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
                        + " Expected OAuth 2 access token, login cookie or other valid authentication credential.")));
    }

    private Document encrypt(ServiceAccount account, KeyPath path, Document body) {
        String resource = path.version() == 0 ? path.keyName() : path.keyName() + "/cryptoKeyVersions/" + path.version();
        requirePermission(account, Permission.USE_TO_ENCRYPT, resource);
        CryptoKey key = key(path.keyName());
        requireEncryptDecrypt(key);
        int version = path.version() == 0 ? key.spec().primaryVersion() : path.version();
        requireEnabled(key, version);
        byte[] plaintext = base64(body.getString("plaintext"), "plaintext");
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed = aesGcm(Cipher.ENCRYPT_MODE, key, version, iv, plaintext, 0);
        byte[] ciphertext = ByteBuffer.allocate(4 + IV_BYTES + sealed.length).putInt(version).put(iv).put(sealed).array();
        return new Document("name", key.versionName(version))
                .append("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
    }

    private Document decrypt(ServiceAccount account, KeyPath path, Document body) {
        requirePermission(account, Permission.USE_TO_DECRYPT, path.keyName());
        CryptoKey key = key(path.keyName());
        requireEncryptDecrypt(key);
        byte[] ciphertext = base64(body.getString("ciphertext"), "ciphertext");
        int version = ciphertext.length > 4 + IV_BYTES ? ByteBuffer.wrap(ciphertext).getInt() : 0;
        if (version < 1 || version > key.versionSecrets().size()) {
            throw new Refusal(400, error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid."));
        }
        requireEnabled(key, version);
        byte[] plaintext = aesGcm(Cipher.DECRYPT_MODE, key, version,
                Arrays.copyOfRange(ciphertext, 4, 4 + IV_BYTES), ciphertext, 4 + IV_BYTES);
        return new Document("plaintext", Base64.getEncoder().encodeToString(plaintext))
                .append("usedPrimary", version == key.spec().primaryVersion());
    }

    private Document describe(ServiceAccount account, KeyPath path) {
        CryptoKey key;
        if (path.version() == 0) {
            requirePermission(account, Permission.GET_KEY, path.keyName());
            key = key(path.keyName());
            Document described = new Document("name", key.spec().resourceName()).append("purpose", key.spec().purpose());
            if (key.spec().purpose().equals("ENCRYPT_DECRYPT")) {
                described.append("primary", version(key, key.spec().primaryVersion()));
            }
            return described;
        }
        requirePermission(account, Permission.GET_VERSION, path.keyName() + "/cryptoKeyVersions/" + path.version());
        key = key(path.keyName());
        if (path.version() < 1 || path.version() > key.versionSecrets().size()) {
            throw new Refusal(404, error(404, "NOT_FOUND", "CryptoKeyVersion " + key.versionName(path.version())
                    + " not found."));
        }
        return version(key, path.version());
    }

    private static Document version(CryptoKey key, int version) {
        return new Document("name", key.versionName(version))
                .append("state", key.state(version))
                .append("protectionLevel", "SOFTWARE")
                .append("algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION");
    }

    private CryptoKey key(String resourceName) {
        CryptoKey key = keys.get(resourceName);
        if (key == null) {
            throw new Refusal(404, error(404, "NOT_FOUND", "CryptoKey " + resourceName + " not found."));
        }
        return key;
    }

    private static void requirePermission(ServiceAccount account, Permission permission, String resource) {
        if (!account.permissions().contains(permission)) {
            throw new Refusal(403, error(403, "PERMISSION_DENIED", "Permission '" + permission.wireName()
                    + "' denied on resource '" + resource + "' (or it may not exist)."));
        }
    }

    private static void requireEncryptDecrypt(CryptoKey key) {
        if (!key.spec().purpose().equals("ENCRYPT_DECRYPT")) {
            throw new Refusal(400, error(400, "FAILED_PRECONDITION", key.spec().resourceName()
                    + " has purpose " + key.spec().purpose() + ", not ENCRYPT_DECRYPT."));
        }
    }

    private static void requireEnabled(CryptoKey key, int version) {
        if (version < 1 || version > key.versionSecrets().size()) {
            throw new Refusal(404, error(404, "NOT_FOUND", "CryptoKeyVersion " + key.versionName(version) + " not found."));
        }
        if (!key.state(version).equals("ENABLED")) {
            throw new Refusal(400, error(400, "FAILED_PRECONDITION", key.versionName(version)
                    + " is not enabled, current state is: " + key.state(version) + "."));
        }
    }

    private static byte[] aesGcm(int mode, CryptoKey key, int version, byte[] iv, byte[] input, int offset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key.versionSecrets().get(version - 1), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            // The key's name is authenticated with the value: ciphertext of one key never decrypts under another.
            cipher.updateAAD(key.spec().resourceName().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, input.length - offset);
        } catch (GeneralSecurityException e) {
            throw new Refusal(400, error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid."));
        }
    }

    private static boolean signatureValid(PublicKey publicKey, String signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] base64(String value, String field) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Refusal(400, error(400, "INVALID_ARGUMENT", "Invalid value at '" + field + "': not base64."));
        }
    }

    private static String base64UrlText(String part) {
        try {
            return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, tokenError("invalid_grant", "Invalid JWT: a part is not base64url."));
        }
    }

    private static byte[] newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    private static Document tokenError(String error, String description) {
        return new Document("error", error).append("error_description", description);
    }

    private static Document error(int code, String status, String message) {
        return new Document("error", new Document("code", code).append("message", message).append("status", status));
    }

    @Override
    public void close() {
        server.close();
    }
}
