package io.keyshift.core.migrate;

import com.mongodb.MongoClientException;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A retry's reason names the KMS the failing call went to, whichever provider it is. */
class KmsRetryReasonTest {

    private static final MigrationRecord.Target AZURE = new MigrationRecord.Target("azure",
            new BsonDocument("keyVaultEndpoint", new BsonString("prod.vault.azure.net"))
                    .append("keyName", new BsonString("k")), null);

    @Test
    void aRewrapCallsTheKmsOfEachSideThatIsNotALocalKey() {
        assertThat(rewrap("local", AZURE).kmsCalled()).isEqualTo("Azure Key Vault");
        assertThat(rewrap("gcp", AZURE).kmsCalled()).isEqualTo("Google Cloud KMS or Azure Key Vault");
        assertThat(rewrap("aws:old", new MigrationRecord.Target("us-east-1", "arn:aws:kms:us-east-1:111122223333:key/k",
                null)).kmsCalled()).isEqualTo("AWS KMS");
        assertThat(rewrap("kmip", new MigrationRecord.Target("local", new BsonDocument(), null)).kmsCalled())
                .isEqualTo("the KMIP server");
    }

    @Test
    void throttlingAServerErrorAndADroppedConnectionAreEachToldWithTheKmsNamed() {
        List<String> reasons = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        List<RuntimeException> failures = List.of(
                new MongoClientException("Error in KMS response. HTTP status=429. Response body=Too many requests"),
                new MongoClientException("Error in KMS response. HTTP status=503. Response body=unavailable"),
                new MongoClientException("Exception in encryption library", new IOException("Connection reset")));

        String result = new KmsRetry(4, Duration.ofMillis(1), Duration.ofMillis(2)).run(() -> {
            int call = calls.getAndIncrement();
            if (call < failures.size()) {
                throw failures.get(call);
            }
            return "wrapped";
        }, "Google Cloud KMS", (attempt, delay, reason) -> reasons.add(reason));

        assertThat(result).isEqualTo("wrapped");
        assertThat(reasons).containsExactly("Google Cloud KMS is throttling requests",
                "Google Cloud KMS answered with a server error", "the connection to Google Cloud KMS failed");
    }

    private static MigrationRecord rewrap(String source, MigrationRecord.Target target) {
        return new MigrationRecord("m-1", Strategy.REWRAP, "dba@host", Instant.now(), "encryption.__keyVault", source,
                target, Path.of("/backups/keys.json"), "ab12", MigrationRecord.Stage.PLANNED,
                List.of(new MigrationRecord.Chunk(0, List.of(UUID.randomUUID()), false, 0, 0)), 0, List.of(), null);
    }
}
