package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code gcp} provider: a service account's email and private key (from its JSON key file) or an
 * access token, an optional endpoint for the OAuth token request, and an optional CA for private or
 * emulated endpoints. The key is the {@link KmsTarget}'s masterKey
 * {@code {projectId, location, keyRing, keyName, keyVersion?, endpoint?}}.
 */
public final class GcpProvider implements KmsProvider {

    public static final String CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";
    public static final String ACCESS_TOKEN = "Google Cloud access token";
    static final String DEFAULT_TOKEN_ENDPOINT = "oauth2.googleapis.com";
    static final String DEFAULT_KMS_ENDPOINT = "cloudkms.googleapis.com";

    /** libmongocrypt's rule for the parts of a key's resource name: they go into the URL path unencoded. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9]+");
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";
    private static final String ENDPOINT_SHAPE = "host[:port], such as oauth2.googleapis.com";
    private static final String KMS_ENDPOINT_SHAPE = "host[:port], such as cloudkms.googleapis.com";

    private final String name;
    private final String email;
    private final byte[] privateKey;
    private final char[] accessToken;
    private final Path credentialsFile;
    private final String endpoint;
    private final TrustManager[] trustManagers;

    private GcpProvider(String name, String email, byte[] privateKey, char[] accessToken, Path credentialsFile,
                        String endpoint, TrustManager[] trustManagers) {
        this.name = ProviderType.GCP.requireProviderName(name);
        this.email = email;
        this.privateKey = privateKey;
        this.accessToken = accessToken;
        this.credentialsFile = credentialsFile;
        this.endpoint = endpoint;
        this.trustManagers = trustManagers;
    }

    /**
     * The service account of a JSON key file, validated offline; a mistake is refused with a sentence
     * saying what to fix.
     *
     * @param endpoint {@code host[:port]} of the OAuth token endpoint, or null/blank for the key file's
     *                 {@code token_uri} (oauth2.googleapis.com in files Google issues)
     * @param caFile   PEM file of the CA to trust for the endpoints, or null for the JVM's default trust
     */
    public static GcpProvider fromCredentialsFile(Path credentialsFile, String endpoint, Path caFile) {
        Document json = readJson(credentialsFile);
        if (!"service_account".equals(json.get("type"))) {
            throw new KeyShiftException(credentialsFile + " is not a service-account key file (its type is \""
                    + json.get("type") + "\"): create a JSON key for a service account (IAM → Service accounts → Keys"
                    + " → Add key) and give that file.");
        }
        if (!(json.get("client_email") instanceof String email) || email.isBlank()) {
            throw new KeyShiftException(credentialsFile + " names no client_email: give the JSON key file exactly as"
                    + " Google Cloud downloaded it.");
        }
        if (!(json.get("private_key") instanceof String pem) || !pem.contains(PEM_BEGIN)) {
            throw new KeyShiftException(credentialsFile + " holds no private_key: give the JSON key file exactly as"
                    + " Google Cloud downloaded it.");
        }
        byte[] der = pkcs8(pem, credentialsFile);
        String tokenEndpoint = KmsEndpoint.normalize(endpoint, "token endpoint", ENDPOINT_SHAPE);
        if (tokenEndpoint == null) {
            tokenEndpoint = fileTokenEndpoint(json);
        }
        return new GcpProvider(ProviderType.GCP.wireName(), email.strip(), der, null, credentialsFile, tokenEndpoint,
                trust(caFile));
    }

    /**
     * The key file's own {@code token_uri} as {@code host[:port]} when it is not Google's default, as
     * Google's libraries use it; null otherwise.
     */
    private static String fileTokenEndpoint(Document json) {
        if (!(json.get("token_uri") instanceof String uri) || !uri.startsWith("https://")) {
            return null;
        }
        String authority = uri.substring("https://".length()).replaceFirst("/.*$", "");
        String tokenEndpoint = KmsEndpoint.normalize(authority, "token_uri", ENDPOINT_SHAPE);
        return DEFAULT_TOKEN_ENDPOINT.equals(tokenEndpoint) ? null : tokenEndpoint;
    }

    /** The key file named by {@code GOOGLE_APPLICATION_CREDENTIALS}. */
    public static GcpProvider fromEnvironment(Map<String, String> environment, String endpoint, Path caFile) {
        String file = environment.get(CREDENTIALS_VARIABLE);
        if (file == null || file.isBlank()) {
            throw new KeyShiftException("No Google Cloud credentials: give a service account's JSON key file, or set "
                    + CREDENTIALS_VARIABLE + " to its path.");
        }
        return fromCredentialsFile(Path.of(file.strip()), endpoint, caFile);
    }

    /**
     * How a DBA signs in, the same from every front end: with the access token when one is given (not blank),
     * else with the service account's key file.
     */
    public static GcpProvider tokenOrKeyFile(String accessToken, Path credentialsFile, String endpoint, Path caFile) {
        return accessToken == null || accessToken.isBlank() ? fromCredentialsFile(credentialsFile, endpoint, caFile)
                : withAccessToken(accessToken, caFile);
    }

    /** An access token with the Cloud KMS scope, obtained elsewhere (it expires: KeyShift cannot renew it). */
    public static GcpProvider withAccessToken(String accessToken, Path caFile) {
        char[] token = AccessTokens.check(accessToken, ACCESS_TOKEN, "a token with the Cloud KMS scope, such as the one"
                + " `gcloud auth print-access-token` prints");
        return new GcpProvider(ProviderType.GCP.wireName(), null, null, token, null, null,
                trust(caFile));
    }

    /**
     * The key new and rewrapped data keys go to, validated offline.
     *
     * @param keyVersion  a version number to pin, or null/blank to follow the key's primary version
     * @param kmsEndpoint {@code host[:port]} of Cloud KMS, or null/blank for cloudkms.googleapis.com
     */
    public KmsTarget target(String projectId, String location, String keyRing, String keyName, String keyVersion,
                            String kmsEndpoint) {
        BsonDocument masterKey = new BsonDocument("projectId", new BsonString(identifier(projectId, "project id")))
                .append("location", new BsonString(identifier(location, "location")))
                .append("keyRing", new BsonString(identifier(keyRing, "key ring")))
                .append("keyName", new BsonString(identifier(keyName, "key name")));
        if (keyVersion != null && !keyVersion.isBlank()) {
            if (!VERSION.matcher(keyVersion.strip()).matches()) {
                throw new KeyShiftException("\"" + keyVersion.strip() + "\" is not a Cloud KMS key version: give the"
                        + " version's number (such as 1), or none to follow the key's primary version.");
            }
            masterKey.append("keyVersion", new BsonString(keyVersion.strip()));
        }
        String kms = KmsEndpoint.normalize(kmsEndpoint, "Cloud KMS endpoint", KMS_ENDPOINT_SHAPE);
        if (kms != null) {
            masterKey.append("endpoint", new BsonString(kms));
        }
        return new KmsTarget(this, masterKey);
    }

    private static String identifier(String value, String what) {
        String text = value == null ? "" : value.strip();
        if (!IDENTIFIER.matcher(text).matches()) {
            throw new KeyShiftException("\"" + text + "\" is not a Cloud KMS " + what + ": give it as the key's resource"
                    + " name shows it (projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/NAME), letters,"
                    + " digits and . _ ~ - only.");
        }
        return text;
    }

    private static Document readJson(Path file) {
        try {
            return Document.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new KeyShiftException("The service-account key file " + file + " does not exist: give the path of"
                    + " the JSON key file downloaded for the service account.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the service-account key file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KeyShiftException(file + " is not JSON: give the service account's JSON key file as downloaded.", e);
        }
    }

    private static byte[] pkcs8(String pem, Path file) {
        int begin = pem.indexOf(PEM_BEGIN) + PEM_BEGIN.length();
        int end = pem.indexOf(PEM_END);
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin, end < 0 ? pem.length() : end));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (key.getEncoded() == null) {
                throw new GeneralSecurityException("no encoding");
            }
            return der;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new KeyShiftException("The private_key in " + file + " is not an RSA private key: download a new JSON"
                    + " key for the service account.", e);
        }
    }

    private static TrustManager[] trust(Path caFile) {
        return caFile == null ? null : PemTrust.trustManagers(caFile);
    }

    public boolean usesAccessToken() {
        return accessToken != null;
    }

    /** The service account's email; empty with an access token. */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /** The token endpoint's {@code host[:port]}: the custom one, or oauth2.googleapis.com. */
    public String tokenEndpoint() {
        return endpoint == null ? DEFAULT_TOKEN_ENDPOINT : endpoint;
    }

    /** The PKCS#8 private key, for the checks' own token request (a copy the caller wipes). */
    byte[] privateKey() {
        return privateKey.clone();
    }

    /** The access token, for the checks' own requests (a copy the caller wipes). */
    char[] accessToken() {
        return accessToken.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.GCP;
    }

    @Override
    public Map<String, Object> kmsProviderEntry() {
        Map<String, Object> entry = new HashMap<>();
        if (accessToken != null) {
            entry.put("accessToken", new String(accessToken));
            return entry;
        }
        entry.put("email", email);
        entry.put("privateKey", privateKey.clone());
        if (endpoint != null) {
            entry.put("endpoint", endpoint);
        }
        return entry;
    }

    /** Empty: the entry holds the credentials, as named providers ({@code gcp:next}) require. */
    @Override
    public Optional<Supplier<Map<String, Object>>> credentials() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(trustManagers).map(PemTrust::sslContext);
    }

    @Override
    public GcpProvider named(String otherName) {
        return new GcpProvider(otherName, email, privateKey == null ? null : privateKey.clone(),
                accessToken == null ? null : accessToken.clone(), credentialsFile, endpoint, trustManagers);
    }

    @Override
    public String describe() {
        return name + (accessToken != null ? " (access token)" : " (service account " + email
                + (credentialsFile == null ? "" : ", key file " + credentialsFile)
                + (endpoint == null ? "" : ", token endpoint " + endpoint) + ")");
    }

    @Override
    public void close() {
        if (privateKey != null) {
            Arrays.fill(privateKey, (byte) 0);
        }
        if (accessToken != null) {
            Arrays.fill(accessToken, '\0');
        }
    }

    @Override
    public String toString() {
        return "GcpProvider[" + describe() + "]";
    }
}
