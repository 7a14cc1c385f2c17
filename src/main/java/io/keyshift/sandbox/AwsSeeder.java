package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.PemTrust;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.security.cert.X509Certificate;

/**
 * Seeds the KMS emulator: the CMK a migration targets, a second one to rotate to (aws to aws), two
 * more CMKs that are disabled and pending deletion (to rehearse what KeyShift says about them), and
 * two IAM users: one allowed to use the CMKs (both usable ones, so it can rotate from one to the
 * other), one allowed only to describe them and read their rotation status.
 */
final class AwsSeeder implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String CMK_ALIAS = "alias/keyshift-sandbox";
    static final String NEXT_CMK_ALIAS = "alias/keyshift-sandbox-next";
    static final String DISABLED_CMK_ALIAS = "alias/keyshift-sandbox-disabled";
    static final String PENDING_DELETION_CMK_ALIAS = "alias/keyshift-sandbox-pending-deletion";
    static final String MIGRATOR_USER = "keyshift-migrator";
    static final String READ_ONLY_USER = "keyshift-readonly";

    /**
     * moto evaluates an IAM user's KMS permissions against the resource "*", not the key's ARN, so
     * a statement naming the CMK's ARN would deny everything there. The sandbox's CMKs are the only
     * keys the emulator holds, so "*" grants exactly the same thing.
     */
    private static final String MIGRATOR_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListAliases",
                "kms:ListKeys"],
              "Resource": "*"}]}""";
    private static final String READ_ONLY_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Action": ["kms:DescribeKey", "kms:GetKeyRotationStatus"], "Resource": "*"}]}""";

    private final SdkHttpClient httpClient;
    private final URI endpoint;

    AwsSeeder(String endpoint, X509Certificate authority) {
        this.endpoint = URI.create("https://" + endpoint);
        this.httpClient = ApacheHttpClient.builder().tlsTrustManagersProvider(() -> PemTrust.trustManagers(authority)).build();
    }

    /** Creates keys and users; runs while the emulator still accepts unsigned administrative calls. */
    SandboxInfo.Aws seed(String caFile) {
        try (KmsClient kms = kms("seed", "seed"); IamClient iam = iam()) {
            KeyMetadata cmk = createKey(kms, "KeyShift sandbox CMK: the migration target", CMK_ALIAS);
            KeyMetadata next = createKey(kms, "KeyShift sandbox CMK: the target of a rotation", NEXT_CMK_ALIAS);
            KeyMetadata disabled = createKey(kms, "KeyShift sandbox CMK, disabled", DISABLED_CMK_ALIAS);
            kms.disableKey(r -> r.keyId(disabled.keyId()));
            KeyMetadata pending = createKey(kms, "KeyShift sandbox CMK, pending deletion", PENDING_DELETION_CMK_ALIAS);
            kms.scheduleKeyDeletion(r -> r.keyId(pending.keyId()).pendingWindowInDays(7));

            SandboxInfo.Credentials migrator = createUser(iam, MIGRATOR_USER, MIGRATOR_POLICY);
            SandboxInfo.Credentials readOnly = createUser(iam, READ_ONLY_USER, READ_ONLY_POLICY);
            String aliasArn = cmk.arn().replaceFirst(":key/.*", ":" + CMK_ALIAS);
            return new SandboxInfo.Aws(REGION, cmk.arn(), aliasArn, next.arn(), endpoint.getAuthority(),
                    java.nio.file.Path.of(caFile), migrator, readOnly);
        }
    }

    /**
     * Uses up the emulator's allowance of unauthenticated calls, so that from now on every request
     * is checked: signatures against the users' secrets, actions against their policies.
     */
    void enforceAuthentication() {
        try (StsClient sts = StsClient.builder().httpClient(httpClient).endpointOverride(endpoint)
                .region(Region.of(REGION)).overrideConfiguration(noRetries())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAKEYSHIFTNOBODY00", "not-a-secret")))
                .build()) {
            for (int call = 0; call < MotoServer.UNAUTHENTICATED_CALLS + 10; call++) {
                try {
                    sts.getCallerIdentity();
                } catch (AwsServiceException refused) {
                    return;
                }
            }
        }
        throw new KeyShiftException("The AWS KMS emulator still accepts unsigned requests after seeding;"
                + " the sandbox would not check permissions, so it was not started.");
    }

    private KeyMetadata createKey(KmsClient kms, String description, String alias) {
        KeyMetadata key = kms.createKey(r -> r.description(description)).keyMetadata();
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        return key;
    }

    private static SandboxInfo.Credentials createUser(IamClient iam, String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName(name + "-kms").policyDocument(policy));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return new SandboxInfo.Credentials(key.accessKeyId(), key.secretAccessKey());
    }

    private KmsClient kms(String accessKeyId, String secret) {
        return KmsClient.builder().httpClient(httpClient).endpointOverride(endpoint).region(Region.of(REGION))
                .overrideConfiguration(noRetries())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .build();
    }

    private IamClient iam() {
        return IamClient.builder().httpClient(httpClient).endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .overrideConfiguration(noRetries())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("seed", "seed")))
                .build();
    }

    /** Seeding counts the emulator's unauthenticated calls: a silent retry would spend one. */
    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(b -> b.maxAttempts(1)).build();
    }

    @Override
    public void close() {
        httpClient.close();
    }
}
