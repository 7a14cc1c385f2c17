package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input found before anything is scanned or written, each with a sentence that names it. The
 * migrations here move one key of a key vault of their own, so the shared sandbox stays as seeded.
 */
@ExtendWith(StackExtension.class)
class EarlyChecksStackTest {

    @TempDir
    Path dir;

    private SandboxInfo info;

    @BeforeEach
    void credentials(TestStack stack) {
        info = stack.info();
        // The default credential chain reads these system properties, as it reads AWS_ACCESS_KEY_ID from the environment.
        System.setProperty("aws.accessKeyId", info.aws().migrator().accessKeyId());
        System.setProperty("aws.secretAccessKey", info.aws().migrator().secretAccessKey());
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void aJournalCollectionNameMongoDbRefusesIsNamedWithTheFix() {
        CliRun listed = CliRun.keyshift("migrations", "--uri", info.mongodbUri(), "--journal-collection", "$bad");

        assertThat(listed.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(listed.err()).contains("The journal collection name \"$bad\" is not one MongoDB accepts")
                .contains("leave it out for the default keyshift_migrations").doesNotContain("Unexpected error", "Exception");
    }

    @Test
    void aReportDirectoryThatCannotBeWrittenStopsTheMigrationBeforeTheBackup() throws Exception {
        MongoNamespace vault = new MongoNamespace("earlychecks_report", "__keyVault");
        UUID key = createLocalKey(vault);
        Path notADirectory = Files.writeString(dir.resolve("reports"), "a file in the way");
        Path backup = dir.resolve("backup.json");
        try {
            CliRun run = CliRun.keyshift(rewrap(vault, key, "--backup", backup.toString(), "--report", notADirectory.toString()));

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
            assertThat(run.err()).contains("The report directory " + notADirectory + " cannot be written: "
                    + notADirectory + " is a file, not a directory").contains("Nothing was written.");
            assertThat(run.out()).doesNotContain("Plan:");
            assertThat(backup).doesNotExist();
            assertThat(providers(vault)).containsExactly("local");
            assertThat(CliRun.keyshift("migrations", "--uri", info.mongodbUri(), "--key-vault", vault.getFullName()).out())
                    .contains("No migration is journaled");
        } finally {
            drop(vault);
        }
    }

    @Test
    void aBatchOrWorkersOfZeroIsAUsageErrorBeforeAnyScan() {
        for (String[] knob : List.of(new String[]{"--batch", "0"}, new String[]{"--workers", "0"})) {
            CliRun run = CliRun.keyshift("migrate", "--strategy", "rekey", knob[0], knob[1], "--dry-run",
                    "--uri", info.mongodbUri(), "--local-key", info.localKeyFile().toString(),
                    "--region", info.aws().region(), "--cmk", info.aws().cmkArn());

            assertThat(run.exitCode()).as(String.join(" ", knob)).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
            assertThat(run.err()).as(String.join(" ", knob)).contains("(it is 0)");
            assertThat(run.out()).as(String.join(" ", knob)).doesNotContain("Scanning", "Plan:");
        }
    }

    @Test
    void resumingAMigrationThatIsDoneHasNothingToDo() {
        MongoNamespace vault = new MongoNamespace("earlychecks_resume", "__keyVault");
        UUID key = createLocalKey(vault);
        try {
            CliRun migrated = CliRun.keyshift(rewrap(vault, key, "--backup", dir.resolve("backup.json").toString(),
                    "--report", dir.resolve("reports").toString()));
            assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
            String id = migrated.out().lines().filter(line -> line.startsWith("Migration rewrap-")).findFirst().orElseThrow()
                    .split(" ")[1];

            CliRun resumed = CliRun.keyshift("resume", "--migration", id, "--uri", info.mongodbUri(),
                    "--key-vault", vault.getFullName(), "--local-key", info.localKeyFile().toString(),
                    "--kms-ca-file", info.aws().caFile().toString(), "--report", dir.resolve("reports").toString());

            assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCodes.OK);
            assertThat(resumed.out()).contains("Migration " + id + " (REWRAP) is already done and verified: nothing to do.");
        } finally {
            drop(vault);
        }
    }

    private List<String> rewrap(MongoNamespace vault, UUID key, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--strategy", "rewrap", "--yes", "--uri", info.mongodbUri(),
                "--key-vault", vault.getFullName(), "--keys", key.toString(),
                "--local-key", info.localKeyFile().toString(), "--region", info.aws().region(), "--cmk", info.aws().cmkArn(),
                "--endpoint", info.aws().endpoint(), "--kms-ca-file", info.aws().caFile().toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private UUID createLocalKey(MongoNamespace vault) {
        MongoClientSettings settings = settings();
        try (LocalProvider local = LocalProvider.load(info.localKeyFile());
             KmsProviders providers = new KmsProviders().with(local);
             ClientEncryption encryption = ClientEncryptions.create(settings, vault, providers)) {
            return encryption.createDataKey("local").asUuid();
        }
    }

    private List<String> providers(MongoNamespace vault) {
        try (MongoClient client = MongoClients.create(settings())) {
            return client.getDatabase(vault.getDatabaseName()).getCollection(vault.getCollectionName()).find()
                    .map(key -> key.get("masterKey", Document.class).getString("provider")).into(new ArrayList<>());
        }
    }

    private void drop(MongoNamespace vault) {
        try (MongoClient client = MongoClients.create(settings())) {
            client.getDatabase(vault.getDatabaseName()).drop();
        }
    }

    private MongoClientSettings settings() {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri())).build();
    }
}
