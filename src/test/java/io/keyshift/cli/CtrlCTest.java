package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.migrate.Journal;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    private Sandbox sandbox;
    private MongoClient client;
    private Journal journal;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(300), line -> { });
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build());
        journal = new Journal(client, new MongoNamespace(info().keyVaultNamespace()), Journal.DEFAULT_COLLECTION);
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    @Test
    void ctrlCMidRunExitsThreeAndAResumeWithOtherWorkersFinishes() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Process run = keyshift("migrate", "--strategy", "rekey", "--no-schema-map", "--yes", "--batch", "5", "--workers", "1",
                "--region", info().aws().region(), "--cmk", info().aws().cmkArn(),
                "--backup", dir.resolve("backup.json").toString());
        awaitReencrypting(run);

        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).inheritIO().start().waitFor();

        assertThat(run.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the run stops after SIGINT").isTrue();
        String output = Files.readString(dir.resolve("migrate.out"));
        assertThat(run.exitValue()).as(output).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(output).contains("Stopped between batches", "keyshift resume --migration");
        MigrationRecord stopped = journal.list().get(0);
        assertThat(stopped.stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
        assertThat(stopped.rekey().collections()).anyMatch(collection -> !collection.done());

        Process resume = keyshift("resume", "--migration", stopped.id(), "--workers", "2", "--batch", "50");
        assertThat(resume.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).as(Files.readString(dir.resolve("resume.out"))).isZero();
        assertThat(Files.readString(dir.resolve("resume.out"))).contains("batches of 50 documents, 2 worker(s)");

        MigrationRecord done = journal.get(stopped.id());
        assertThat(done.stage()).isEqualTo(MigrationRecord.Stage.DONE);
        assertThat(done.rekey().workers()).isEqualTo(2);
        assertThat(done.rekey().batchSize()).isEqualTo(50);
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);

        Process again = keyshift("resume", "--migration", stopped.id(), "--workers", "3");
        assertThat(again.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(Files.readString(dir.resolve("resume.out"))).contains("is already done: nothing is left to run");
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

    /**
     * The CLI in a JVM of its own. {@code env --default-signal=INT} undoes an inherited "ignore SIGINT"
     * (background jobs of a non-interactive shell start so), as a terminal would have it.
     */
    private Process keyshift(String command, String... args) throws IOException {
        List<String> line = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dkeyshift.logDir=" + dir.resolve("logs"),
                "io.keyshift.Launcher", command));
        line.addAll(List.of(args));
        line.addAll(List.of("--uri", info().mongodbUri(), "--local-key", info().localKeyFile().toString(),
                "--endpoint", info().aws().endpoint(), "--kms-ca-file", info().aws().caFile().toString(),
                "--report", dir.resolve("reports").toString()));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command + ".out").toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", info().aws().migrator().accessKeyId());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", info().aws().migrator().secretAccessKey());
        return builder.start();
    }

    private SandboxInfo info() {
        return sandbox.info();
    }
}
