package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KeyShiftJvm;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGINT) sent to a CLI process in the middle of a REKEY: it stops between batches and exits 3,
 * the journal shows it resumable, and a resume with other workers and batch size finishes it.
 */
class CtrlCTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(300);
    private Migrations journal;

    @BeforeEach
    void start() {
        journal = new Migrations(stack.client(), stack.settings(), new MongoNamespace(info().keyVaultNamespace()),
                Migrations.DEFAULT_JOURNAL_COLLECTION);
    }

    @Test
    void ctrlCMidRunExitsThreeAndAResumeWithOtherWorkersFinishes() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        KeyShiftJvm keyshift = new KeyShiftJvm(info(), dir);
        KeyShiftJvm.Started run = keyshift.startOnSandbox("migrate", "--strategy", "rekey", "--no-schema-map", "--yes",
                "--batch", "5", "--workers", "1", "--region", info().aws().region(), "--cmk", info().aws().cmkArn(),
                "--backup", dir.resolve("backup.json").toString());
        awaitReencrypting(run.process());

        new ProcessBuilder("kill", "-INT", Long.toString(run.process().pid())).inheritIO().start().waitFor();

        int exitCode = run.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String output = run.text();
        assertThat(exitCode).as(output).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(output).contains("Stopped between batches", "keyshift resume --migration");
        MigrationRecord stopped = journal.list().get(0);
        assertThat(stopped.stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
        assertThat(stopped.rekey().collections()).anyMatch(collection -> !collection.done());

        KeyShiftJvm.Started resume = keyshift.startOnSandbox("resume", "--migration", stopped.id(), "--workers", "2",
                "--batch", "50");
        assertThat(resume.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(resume.text()).isZero();
        assertThat(resume.text()).contains("batches of 50 documents, 2 worker(s)");

        MigrationRecord done = journal.get(stopped.id());
        assertThat(done.stage()).isEqualTo(MigrationRecord.Stage.DONE);
        assertThat(done.rekey().workers()).isEqualTo(2);
        assertThat(done.rekey().batchSize()).isEqualTo(50);
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);

        KeyShiftJvm.Started again = keyshift.startOnSandbox("resume", "--migration", stopped.id(), "--workers", "3");
        assertThat(again.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(again.text()).contains("is already done: nothing is left to run");
        assertThat(journal.get(stopped.id()).rekey().workers()).as("a done migration's journal is left as it is").isEqualTo(2);
    }

    /** Waits until the journal shows some documents re-encrypted and some still to do. */
    private void awaitReencrypting(Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<MigrationRecord> migration = journal.list().stream().findFirst();
            if (migration.isPresent() && migration.get().rekey().collections().stream()
                    .anyMatch(collection -> collection.scanned() >= 20 && !collection.done())) {
                return;
            }
            assertThat(process.isAlive()).as("the run is still going").isTrue();
            Thread.sleep(5);
        }
        process.destroyForcibly();
        throw new AssertionError("The migration did not start re-encrypting within " + TIMEOUT);
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
