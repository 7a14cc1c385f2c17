package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.bson.BsonString;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS KMS side of a migration: credentials, region, CMK, and optionally a private or emulated
 * endpoint with its CA. This is the only place that derives what the driver needs for the {@code aws}
 * KMS provider: the {@code kmsProviders} entry, its credentials supplier, its SSL context and the
 * {@code masterKey} document.
 *
 * <p>Close it when done: it owns the credentials provider (the default chain may hold refresh threads).
 */
public final class AwsTarget implements AutoCloseable {

    /** The driver's name for the AWS KMS provider. */
    public static final String KMS_PROVIDER = "aws";

    private static final Pattern ENDPOINT = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:([0-9]{1,5}))?");
    private static final String ENDPOINT_SHAPE = "host[:port], such as kms.us-east-1.amazonaws.com"
            + " or vpce-0abc.kms.us-east-1.vpce.amazonaws.com:443";

    private final AwsCredentialSource credentialSource;
    private final AwsCredentialsProvider credentialsProvider;
    private final String region;
    private final CmkArn cmk;
    private final String endpoint;
    private final Path caFile;
    private final TrustManager[] trustManagers;

    /**
     * Validates everything that can be validated without the network; a mistake is refused with a
     * sentence saying what to fix. A region that differs from the ARN's is accepted here and reported
     * by {@link AwsKmsCheck}, next to the other checks.
     *
     * @param endpoint {@code host[:port]}, or null/blank for the public regional endpoint
     * @param caFile   PEM file of the CA to trust for the endpoint, or null for the JVM's default trust
     */
    public AwsTarget(AwsCredentialSource credentialSource, String region, String cmk, String endpoint, Path caFile) {
        this.credentialSource = credentialSource;
        this.region = requireRegion(region);
        this.cmk = CmkArn.parse(cmk);
        this.endpoint = normalizedEndpoint(endpoint);
        this.caFile = caFile;
        this.trustManagers = caFile == null ? null : PemTrust.trustManagers(caFile);
        this.credentialsProvider = credentialSource.provider();
    }

    private static String requireRegion(String region) {
        String name = region == null ? "" : region.strip();
        if (!CmkArn.REGION.matcher(name).matches()) {
            throw new KeyShiftException(name.isEmpty()
                    ? "No AWS region was given: give the region of the CMK, such as us-east-1."
                    : "\"" + name + "\" is not an AWS region name: give the region of the CMK, such as us-east-1.");
        }
        return name;
    }

    private static String normalizedEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        String text = endpoint.strip();
        if (text.startsWith("http://")) {
            throw new KeyShiftException("The endpoint " + text + " is plain HTTP: KMS is reached over TLS only,"
                    + " give " + ENDPOINT_SHAPE + ".");
        }
        // Users paste URLs; the driver and the SDK both want the bare authority.
        text = text.replaceFirst("^https://", "").replaceFirst("/$", "");
        Matcher matcher = ENDPOINT.matcher(text);
        if (!matcher.matches()) {
            throw new KeyShiftException("The endpoint \"" + text + "\" is not " + ENDPOINT_SHAPE + ".");
        }
        if (matcher.group(4) != null) {
            int port = Integer.parseInt(matcher.group(4));
            if (port < 1 || port > 65535) {
                throw new KeyShiftException("The endpoint's port " + port + " is not between 1 and 65535.");
            }
        }
        return text;
    }

    public AwsCredentialSource credentialSource() {
        return credentialSource;
    }

    public String region() {
        return region;
    }

    public CmkArn cmk() {
        return cmk;
    }

    /** The custom endpoint as {@code host[:port]}; empty for the public regional endpoint. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /**
     * The {@code masterKey} document for {@code createDataKey} and {@code rewrapManyDataKey} with
     * provider {@value #KMS_PROVIDER}: region, key, and the endpoint when one is set.
     */
    public BsonDocument masterKey() {
        BsonDocument masterKey = new BsonDocument("region", new BsonString(region))
                .append("key", new BsonString(cmk.text()));
        if (endpoint != null) {
            masterKey.append("endpoint", new BsonString(endpoint));
        }
        return masterKey;
    }

    /**
     * The {@code kmsProviders} entry for {@value #KMS_PROVIDER}: empty on purpose, so the driver asks
     * {@link #kmsProviderCredentials()} whenever it signs a request and never holds the secret itself.
     */
    public Map<String, Object> kmsProviderEntry() {
        return new HashMap<>();
    }

    /** The {@code kmsProviderPropertySuppliers} entry for {@value #KMS_PROVIDER}; resolves fresh credentials on each call. */
    public Supplier<Map<String, Object>> kmsProviderCredentials() {
        return () -> {
            AwsCredentials credentials = credentialsProvider.resolveCredentials();
            Map<String, Object> properties = new HashMap<>();
            properties.put("accessKeyId", credentials.accessKeyId());
            properties.put("secretAccessKey", credentials.secretAccessKey());
            if (credentials instanceof AwsSessionCredentials session) {
                properties.put("sessionToken", session.sessionToken());
            }
            return properties;
        };
    }

    /**
     * The {@code kmsProviderSslContextMap} entry for {@value #KMS_PROVIDER}: a context trusting only the
     * CA file; empty when no CA file is set, so the driver uses the JVM's default trust.
     */
    public Optional<SSLContext> kmsSslContext() {
        return Optional.ofNullable(trustManagers).map(PemTrust::sslContext);
    }

    AwsCredentialsProvider credentialsProvider() {
        return credentialsProvider;
    }

    /** The SDK's endpoint override; empty for the public regional endpoint. */
    Optional<URI> endpointUri() {
        return endpoint().map(authority -> URI.create("https://" + authority));
    }

    /** Trust managers for the CA file; empty for the JVM's default trust. */
    Optional<TrustManager[]> trustManagers() {
        return Optional.ofNullable(trustManagers).map(TrustManager[]::clone);
    }

    @Override
    public void close() {
        if (credentialsProvider instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "AwsTarget[" + credentialSource + ", region " + region + ", cmk " + cmk
                + (endpoint == null ? "" : ", endpoint " + endpoint) + "]";
    }
}
