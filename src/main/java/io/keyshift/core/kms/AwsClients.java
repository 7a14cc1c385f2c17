package io.keyshift.core.kms;

import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;

/**
 * Builds the SDK clients for an {@link AwsTarget}. Timeouts are short so that an endpoint that does not
 * answer fails within seconds; the SDK's standard retry strategy retries throttling (400
 * ThrottlingException, 429), 5xx and dropped connections with jittered exponential backoff.
 */
final class AwsClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    /** Covers all attempts and the backoff between them. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(12);
    static final int MAX_ATTEMPTS = 4;

    private AwsClients() {
    }

    static KmsClient kms(AwsTarget target) {
        return configure(KmsClient.builder(), target).build();
    }

    /**
     * STS goes to the custom endpoint too when one is set: emulators serve every service on one
     * endpoint, and a KMS-only private endpoint answers with an error the check reports as a warning.
     */
    static StsClient sts(AwsTarget target) {
        return configure(StsClient.builder(), target).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, AwsTarget target) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(READ_TIMEOUT);
        // Without a CA file the SDK keeps the JVM's default trust; hostname verification stays on either way.
        target.trustManagers().ifPresent(trustManagers -> http.tlsTrustManagersProvider(() -> trustManagers));
        builder.httpClientBuilder(http)
                .region(Region.of(target.region()))
                .credentialsProvider(target.credentialsProvider())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS).build())
                        .build());
        target.endpointUri().ifPresent(builder::endpointOverride);
        return builder;
    }
}
