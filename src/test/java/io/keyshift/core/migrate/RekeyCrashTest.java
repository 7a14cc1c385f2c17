package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KeyShiftJvm;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REKEY run by the CLI in a process of its own, killed with SIGKILL at three points (while creating
 * the new keys, in the middle of re-encrypting, in the final pass that converts stragglers and verifies) and resumed each
 * time: nothing lost, nothing corrupted, no key created twice.
 */
class RekeyCrashTest {

    private static final Duration POINT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private MongoClient client;
    private Journal journal;
    private KeyShiftJvm jvm;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(300), line -> { });
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build());
        journal = new Journal(client, new MongoNamespace(info().keyVaultNamespace()), Journal.DEFAULT_COLLECTION);
        jvm = new KeyShiftJvm(info(), dir);
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    @Test
    void killedThreeTimesAndResumedLosesAndCorruptsNothing() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));

        killWhen(keyshift("migrate", "--strategy", "rekey", "--yes", "--no-schema-map", "--batch", "5", "--workers", "1",
                        "--region", info().aws().region(), "--cmk", info().aws().cmkArn(),
                        "--backup", dir.resolve("backup.json").toString()),
                migration -> !migration.rekey().dekMapping().isEmpty());
        String id = journal.list().get(0).id();
        killWhen(keyshift("resume", "--migration", id),
                migration -> migration.rekey().collections().stream().anyMatch(c -> c.scanned() >= 50 && !c.done()));
        killWhen(keyshift("resume", "--migration", id),
                migration -> migration.stage() == MigrationRecord.Stage.FINAL_PASS);
        assertThat(keyshift("resume", "--migration", id).waitFor(5, TimeUnit.MINUTES)).as("exit code of the final resume").isZero();

        MigrationRecord done = journal.get(id);
        assertThat(done.stage()).isEqualTo(MigrationRecord.Stage.DONE);
        assertThat(done.rekey().dekMapping()).hasSize(sandbox.dataKeyIds().size());
        MongoNamespace vault = new MongoNamespace(info().keyVaultNamespace());
        assertThat(client.getDatabase(vault.getDatabaseName()).getCollection(vault.getCollectionName())
                .countDocuments(Filters.eq("masterKey.provider", "aws"))).as("no new key created twice")
                .isEqualTo(sandbox.dataKeyIds().size());
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);
    }

    /** Waits until the journal shows the point, then kills the process with SIGKILL. */
    private void killWhen(KeyShiftJvm.Started keyshift, Predicate<MigrationRecord> point) throws InterruptedException {
        Instant deadline = Instant.now().plus(POINT_TIMEOUT);
        try {
            while (Instant.now().isBefore(deadline)) {
                Optional<MigrationRecord> migration = journal.list().stream().findFirst();
                if (migration.isPresent() && point.test(migration.get())) {
                    System.out.println("SIGKILL at stage " + migration.get().stage() + ", "
                            + migration.get().rekey().dekMapping().size() + " new keys journaled, documents read "
                            + migration.get().rekey().collections().stream().map(c -> c.namespace() + "=" + c.scanned()).toList());
                    return;
                }
                assertThat(keyshift.process().isAlive())
                        .as(() -> "the process is still running when the point is reached; it printed:\n" + keyshift.text())
                        .isTrue();
                Thread.sleep(5);
            }
            throw new AssertionError("The migration did not reach the point within " + POINT_TIMEOUT);
        } finally {
            keyshift.kill();
        }
    }

    private KeyShiftJvm.Started keyshift(String... args) throws IOException {
        return jvm.startOnSandbox(args);
    }

    private SandboxInfo info() {
        return sandbox.info();
    }
}
