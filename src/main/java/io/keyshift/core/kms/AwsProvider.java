package io.keyshift.core.kms;

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

/**
 * The {@code aws} provider: where the AWS credentials come from, and optionally a private or emulated
 * endpoint with its CA. The CMK is not part of it: that is the {@link KmsTarget}'s masterKey.
 *
 * <p>It owns an SDK credentials provider (the default chain may hold refresh threads): close it when done.
 */
public final class AwsProvider implements KmsProvider {

    private static final String ENDPOINT_SHAPE = "host[:port], such as kms.us-east-1.amazonaws.com"
            + " or vpce-0abc.kms.us-east-1.vpce.amazonaws.com:443";

    private final String name;
    private final AwsCredentialSource credentialSource;
    private final AwsCredentialsProvider credentialsProvider;
    private final String endpoint;
    private final Path caFile;
    private final TrustManager[] trustManagers;

    private AwsProvider(String name, AwsCredentialSource credentialSource, String endpoint, Path caFile,
                        TrustManager[] trustManagers) {
        this.name = ProviderType.AWS.requireProviderName(name);
        this.credentialSource = credentialSource;
        this.endpoint = endpoint;
        this.caFile = caFile;
        this.trustManagers = trustManagers;
        this.credentialsProvider = credentialSource.provider();
    }

    /**
     * Validates everything that can be validated without the network; a mistake is refused with a
     * sentence saying what to fix.
     *
     * @param endpoint {@code host[:port]}, or null/blank for the public regional endpoint
     * @param caFile   PEM file of the CA to trust for the endpoint, or null for the JVM's default trust
     */
    public static AwsProvider of(AwsCredentialSource credentialSource, String endpoint, Path caFile) {
        return new AwsProvider(ProviderType.AWS.wireName(), credentialSource, normalizedEndpoint(endpoint), caFile,
                caFile == null ? null : PemTrust.trustManagers(caFile));
    }

    private static String normalizedEndpoint(String endpoint) {
        return KmsEndpoint.normalize(endpoint, "endpoint", ENDPOINT_SHAPE);
    }

    public AwsCredentialSource credentialSource() {
        return credentialSource;
    }

    /** The custom endpoint as {@code host[:port]}; empty for the public regional endpoint. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.AWS;
    }

    /**
     * Empty for {@code aws}, so the driver asks {@link #credentials()} whenever it signs a request and
     * never holds the secret itself. libmongocrypt refuses on-demand credentials for named providers
     * ({@code aws:next}), so theirs are resolved into the entry, fresh each time it is asked for.
     */
    @Override
    public Map<String, Object> kmsProviderEntry() {
        return isNamed() ? resolveCredentials() : new HashMap<>();
    }

    @Override
    public Optional<Supplier<Map<String, Object>>> credentials() {
        return isNamed() ? Optional.empty() : Optional.of(this::resolveCredentials);
    }

    private boolean isNamed() {
        return !name.equals(ProviderType.AWS.wireName());
    }

    private Map<String, Object> resolveCredentials() {
        AwsCredentials credentials = credentialsProvider.resolveCredentials();
        Map<String, Object> properties = new HashMap<>();
        properties.put("accessKeyId", credentials.accessKeyId());
        properties.put("secretAccessKey", credentials.secretAccessKey());
        if (credentials instanceof AwsSessionCredentials session) {
            properties.put("sessionToken", session.sessionToken());
        }
        return properties;
    }

    /** A context trusting only the CA file; empty when no CA file is set, so the driver uses the JVM's default trust. */
    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(trustManagers).map(PemTrust::sslContext);
    }

    @Override
    public AwsProvider named(String otherName) {
        return new AwsProvider(otherName, credentialSource, endpoint, caFile, trustManagers);
    }

    @Override
    public String describe() {
        return name + " (" + credentialSource.describe() + (endpoint == null ? "" : ", endpoint " + endpoint) + ")";
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
        return "AwsProvider[" + describe() + "]";
    }
}
