package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.bson.BsonString;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import javax.net.ssl.TrustManager;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An AWS CMK with the {@link AwsProvider} that reaches it: credentials, region, CMK, and optionally a
 * private or emulated endpoint with its CA. {@link AwsKmsCheck} and the SDK clients work from it;
 * {@link #kmsTarget()} is the same key as the provider-neutral {@link KmsTarget}.
 *
 * <p>Close it when done: one built by its constructor owns its provider; one made {@link #of(KmsTarget)
 * of a KmsTarget} leaves that target's provider to its owner.
 */
public final class AwsTarget implements AutoCloseable {

    /** The driver's name for the AWS KMS provider. */
    public static final String KMS_PROVIDER = "aws";

    private final AwsProvider provider;
    private final boolean ownsProvider;
    private final String region;
    private final CmkArn cmk;

    /**
     * Validates everything that can be validated without the network; a mistake is refused with a
     * sentence saying what to fix. A region that differs from the ARN's is accepted here and reported
     * by {@link AwsKmsCheck}, next to the other checks.
     *
     * @param endpoint {@code host[:port]}, or null/blank for the public regional endpoint
     * @param caFile   PEM file of the CA to trust for the endpoint, or null for the JVM's default trust
     */
    public AwsTarget(AwsCredentialSource credentialSource, String region, String cmk, String endpoint, Path caFile) {
        String validRegion = requireRegion(region);
        CmkArn validCmk = CmkArn.parse(cmk);
        this.provider = AwsProvider.of(credentialSource, endpoint, caFile);
        this.ownsProvider = true;
        this.region = validRegion;
        this.cmk = validCmk;
    }

    private AwsTarget(AwsProvider provider, String region, CmkArn cmk) {
        this.provider = provider;
        this.ownsProvider = false;
        this.region = region;
        this.cmk = cmk;
    }

    /** The AWS view of a target whose provider is an {@link AwsProvider}; closing it leaves the provider open. */
    public static AwsTarget of(KmsTarget target) {
        if (!(target.provider() instanceof AwsProvider aws)) {
            throw new IllegalArgumentException("not an AWS target: " + target.describe());
        }
        BsonDocument masterKey = target.masterKey();
        return new AwsTarget(aws, masterKey.getString("region").getValue(),
                CmkArn.parse(masterKey.getString("key").getValue()));
    }

    static String requireRegion(String region) {
        String name = region == null ? "" : region.strip();
        if (!CmkArn.REGION.matcher(name).matches()) {
            throw new KeyShiftException(name.isEmpty()
                    ? "No AWS region was given: give the region of the CMK, such as us-east-1."
                    : "\"" + name + "\" is not an AWS region name: give the region of the CMK, such as us-east-1.");
        }
        return name;
    }

    static BsonDocument masterKey(String region, CmkArn cmk, String endpoint) {
        BsonDocument masterKey = new BsonDocument("region", new BsonString(region))
                .append("key", new BsonString(cmk.text()));
        if (endpoint != null) {
            masterKey.append("endpoint", new BsonString(endpoint));
        }
        return masterKey;
    }

    public AwsProvider provider() {
        return provider;
    }

    /** This CMK as a provider-neutral target; its provider stays owned by this AwsTarget. */
    public KmsTarget kmsTarget() {
        return new KmsTarget(provider, masterKey());
    }

    public AwsCredentialSource credentialSource() {
        return provider.credentialSource();
    }

    public String region() {
        return region;
    }

    public CmkArn cmk() {
        return cmk;
    }

    /** The custom endpoint as {@code host[:port]}; empty for the public regional endpoint. */
    public Optional<String> endpoint() {
        return provider.endpoint();
    }

    public Optional<Path> caFile() {
        return provider.caFile();
    }

    /**
     * The {@code masterKey} document for {@code createDataKey} and {@code rewrapManyDataKey} with
     * provider {@value #KMS_PROVIDER}: region, key, and the endpoint when one is set.
     */
    public BsonDocument masterKey() {
        return masterKey(region, cmk, endpoint().orElse(null));
    }

    AwsCredentialsProvider credentialsProvider() {
        return provider.credentialsProvider();
    }

    Optional<URI> endpointUri() {
        return provider.endpointUri();
    }

    Optional<TrustManager[]> trustManagers() {
        return provider.trustManagers();
    }

    @Override
    public void close() {
        if (ownsProvider) {
            provider.close();
        }
    }

    @Override
    public String toString() {
        return "AwsTarget[" + credentialSource() + ", region " + region + ", cmk " + cmk
                + endpoint().map(endpoint -> ", endpoint " + endpoint).orElse("") + "]";
    }
}
