package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import org.bson.Document;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One migration per key at a time, and {@code keyshift abandon}, as a DBA types them, on a sandbox of their own. */
class AbandonCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @Test
    void aSecondMigrateOfKeysHeldByAnUnfinishedMigrationExits2NamingItAndWritesNothing() throws Exception {
        String held = unfinishedRekey();
        long journaled = count("keyshift_migrations");
        long keys = count("__keyVault");

        CliRun second = CliRun.keyshift(migrate("rewrap", "second.json", "--yes"));

        assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(second.out()).contains("Application cutover, in this order:",
                        "  1. Every application gets the aws provider beside local in its kmsProviders",
                        "      \"aws\": { \"accessKeyId\": <AWS_ACCESS_KEY_ID>")
                .contains("Blocked by the preflight; nothing was written:")
                .contains("Migration " + held + " (REKEY, started ")
                .contains(" by " + System.getProperty("user.name") + "@")
                .contains("is unfinished: stopped at its new keys (created, or being created), before re-encrypting any value")
                .contains("`keyshift resume --migration " + held + "`")
                .contains("`keyshift abandon --migration " + held + "`")
                .doesNotContain("CREATING_KEYS");
        assertThat(count("keyshift_migrations")).isEqualTo(journaled);
        assertThat(count("__keyVault")).isEqualTo(keys);
        assertThat(backups()).containsExactly("first.json");
    }

    @Test
    void twoMigrateStartedAtTheSameMomentOnTheSameKeysExactlyOneRuns() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<CliRun> rewrap = CompletableFuture.supplyAsync(() -> awaitThen(go, migrate("rewrap", "a.json", "--yes")));
        CompletableFuture<CliRun> rekey = CompletableFuture.supplyAsync(() -> awaitThen(go,
                migrate("rekey", "b.json", "--yes", "--no-schema-map")));
        go.countDown();
        List<CliRun> runs = List.of(rewrap.get(), rekey.get());

        assertThat(runs).extracting(CliRun::exitCode).as(runs.toString())
                .containsExactlyInAnyOrder(ExitCodes.OK, ExitCodes.BLOCKED);
        CliRun refused = runs.stream().filter(run -> run.exitCode() == ExitCodes.BLOCKED).findFirst().orElseThrow();
        assertThat(refused.out() + refused.err()).contains("`keyshift abandon --migration ");
        assertThat(count("keyshift_migrations")).isEqualTo(1);
        assertThat(backups()).hasSize(1);
        assertThat(count("__keyVault")).as("REKEY adds 6 keys, REWRAP none; never both")
                .isIn((long) stack.sandbox().dataKeyIds().size(), 2L * stack.sandbox().dataKeyIds().size());
    }

    @Test
    void abandonNeedsATerminalOrYesThenDeletesTheNewKeysAndFreesTheOldOnes() throws Exception {
        String held = unfinishedRekey();
        long keys = count("__keyVault");
        String[] abandon = {"abandon", "--migration", held, "--uri", info().mongodbUri()};

        CliRun unconfirmed = CliRun.keyshift(abandon);
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(unconfirmed.out()).contains("Abandon migration " + held + " (REKEY").contains("It created 6 new key(s)");
        assertThat(unconfirmed.err()).contains("There is no terminal to confirm on, and --yes was not given: nothing was changed.");
        assertThat(count("__keyVault")).isEqualTo(keys);

        CliRun abandoned = CliRun.keyshift(Stream.concat(Stream.of(abandon), Stream.of("--yes")).toList());
        assertThat(abandoned.exitCode()).as(abandoned.out() + abandoned.err()).isEqualTo(ExitCodes.OK);
        assertThat(abandoned.out()).contains("Migration " + held + " is abandoned; 6 key claim(s) released.")
                .contains("Deleted the 6 new key(s) it had created:");
        assertThat(count("__keyVault")).isEqualTo(stack.sandbox().dataKeyIds().size());
        assertThat(CliRun.keyshift("migrations", "--uri", info().mongodbUri()).out()).contains("ABANDONED");

        CliRun again = CliRun.keyshift(migrate("rewrap", "again.json", "--yes"));
        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.OK);
    }

    /**
     * A REKEY stopped right after creating its new keys, before any value changed (as the wizard leaves
     * it when Back is pressed on the Schema page).
     */
    private String unfinishedRekey() {
        SandboxInfo.Credentials migrator = info().aws().migrator();
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        try (MongoClient client = MongoClients.create(settings);
             LocalMasterKey key = LocalMasterKey.load(info().localKeyFile());
             AwsTarget target = new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(),
                     migrator.secretAccessKey().toCharArray(), null), info().aws().region(), info().aws().cmkArn(),
                     info().aws().endpoint(), info().aws().caFile())) {
            Migrations migration = new Migrations(client, settings, new MongoNamespace(info().keyVaultNamespace()),
                    Migrations.DEFAULT_JOURNAL_COLLECTION);
            MigrationRecord record = migration.begin(migration.plan(new MigrationRequest(Strategy.REKEY, List.of(), "local",
                    target.kmsTarget(), MigrationRequest.DEFAULT_CHUNK, 10, 1, false, false, dir.resolve("backups").resolve("first.json"))));
            migration.createKeys(record.id(), target.kmsTarget(), MigrationListener.NONE);
            return record.id();
        }
    }

    private static CliRun awaitThen(CountDownLatch go, List<String> args) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CliRun.keyshift(args);
    }

    private List<String> migrate(String strategy, String backup, String... extra) {
        return stack.migrate(strategy, dir.resolve("backups").resolve(backup), dir.resolve("reports"), extra);
    }

    private List<String> backups() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private long count(String collection) {
        try (MongoClient client = MongoClients.create(info().mongodbUri())) {
            return client.getDatabase("encryption").getCollection(collection, Document.class).countDocuments();
        }
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
