package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.KmsFaultProxy.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification talks to AWS KMS through the fault proxy, armed once every key is rewrapped: a link that
 * loses half its requests is retried as the run retries it, and a KMS that does not answer at all leaves
 * the migration resumable, not failed.
 */
class VerificationRetryTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(30);
    private KmsFaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = KmsFaultProxy.start(info().aws(), Files.createDirectories(dir.resolve("proxy")));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void verificationUnderHalfTheKmsRequestsDroppedEndsDone() {
        MigrationResult result = run(begin(), armedOnceRewrapped(Fault.dropConnection().everyNth(2)));

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMPLETED);
        assertThat(result.verified()).as(String.valueOf(result.report() == null ? null : result.report().verification()))
                .isTrue();
        assertThat(result.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
        assertThat(proxy.requests("Decrypt")).as("KMS Decrypt requests, half of them dropped")
                .isGreaterThan(stack.sandbox().dataKeyIds().size());
    }

    @Test
    void aKmsDownForTheWholeVerificationLeavesTheMigrationResumableAndAResumeVerifies() {
        String id = begin();

        MigrationResult unanswered = run(id, armedOnceRewrapped(Fault.dropConnection()));

        assertThat(unanswered.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        assertThat(unanswered.stopReason()).contains("AWS KMS did not answer during verification",
                "nothing was found wrong", "keyshift resume --migration " + id);
        assertThat(unanswered.migration().stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
        assertThat(unanswered.migration().stage().resumable()).isTrue();
        assertThat(unanswered.migration().warnings()).contains(unanswered.stopReason());

        proxy.reset();
        MigrationResult resumed = run(id, MigrationListener.NONE);

        assertThat(resumed.verified()).isTrue();
        assertThat(resumed.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
    }

    private String begin() {
        RewrapMigration migration = pipeline();
        try (AwsTarget target = target()) {
            return migration.begin(migration.plan(List.of(), "local", target.kmsTarget(), 2, dir.resolve("backup.json"))).id();
        }
    }

    private MigrationResult run(String id, MigrationListener listener) {
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile()); AwsTarget target = target()) {
            return pipeline().run(id, sources(key), target.kmsTarget(), dir.resolve("reports"), listener, () -> false);
        }
    }

    /** Arms the fault once the last chunk is rewrapped, so that it is verification that meets it. */
    private MigrationListener armedOnceRewrapped(Fault fault) {
        return new MigrationListener() {
            @Override
            public void keysRewrapped(RewrapProgress progress) {
                if (progress.keysDone() == progress.keysTotal()) {
                    proxy.arm(fault);
                }
            }
        };
    }

    private RewrapMigration pipeline() {
        return new RewrapMigration(stack.client(), stack.settings(), new MongoNamespace(info().keyVaultNamespace()),
                Journal.DEFAULT_COLLECTION, new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private AwsTarget target() {
        SandboxInfo.Credentials migrator = info().aws().migrator();
        return new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(), null),
                info().aws().region(), info().aws().cmkArn(), proxy.endpoint(), proxy.caFile());
    }

    private SandboxInfo info() {
        return stack.info();
    }

    private SourceProviders sources(LocalMasterKey key) {
        return LocalSources.of(stack.client(), info().keyVaultNamespace(), key);
    }
}
