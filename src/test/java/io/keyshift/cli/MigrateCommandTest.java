package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.TamperedBackups;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The migration commands as a DBA types them, on a sandbox of their own. */
class MigrateCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @Test
    void dryRunAndAnUnconfirmedRunWriteNothing() {
        CliRun dryRun = CliRun.keyshift(migrate("--dry-run"));
        assertThat(dryRun.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(dryRun.out()).contains("Plan: REWRAP 6 data key(s)").contains("Preflight passed").contains("Dry run: nothing was written.");
        assertThat(dryRun.out()).as("the plan says where applications will call the KMS")
                .contains("Endpoint: " + info().aws().endpoint() + " is stored in the masterKey of every migrated key,"
                        + " and applications will call it");

        CliRun unconfirmed = CliRun.keyshift(migrate());
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(unconfirmed.err()).contains("There is no terminal to confirm on, and --yes was not given: nothing was written.");

        assertThat(providers()).containsOnly("local");
        assertThat(dir.resolve("backup.json")).doesNotExist();
        assertThat(CliRun.keyshift("migrations", "--uri", info().mongodbUri()).out()).contains("No migration is journaled");
    }

    @Test
    void rewrapThenListThenRestoreFromTheBackup() {
        CliRun migrated = CliRun.keyshift(migrate("--yes", "--chunk", "4"));

        assertThat(migrated.exitCode()).as(migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("Rewrapped 6/6 keys (chunk 2/2)").contains("Done and verified.");
        assertThat(migrated.out() + migrated.err()).doesNotContain(info().aws().migrator().secretAccessKey());
        assertThat(providers()).containsOnly("aws");
        assertThat(report("rewrap-")).containsKeys("kmsShareOfTime", "keysPerSecond", "rewrapSeconds");

        CliRun listed = CliRun.keyshift("migrations", "--uri", info().mongodbUri());
        assertThat(listed.out()).contains("REWRAP").contains("DONE").contains("6/6");

        CliRun restored = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", dir.resolve("backup.json").toString(),
                "--local-key", info().localKeyFile().toString(), "--yes");
        assertThat(restored.exitCode()).as(restored.out() + restored.err()).isEqualTo(ExitCodes.OK);
        assertThat(restored.out()).contains("It is the backup migration rewrap-", "recorded in its journal entry.",
                "Would change (current provider, updated → restored provider, updated):", ": aws, ", " → local, ",
                "0 key(s) already identical.", "Restored 6 key(s).");
        assertThat(providers()).containsOnly("local");
    }

    @Test
    void aTamperedAndRehashedBackupIsRefusedAndWritesNothing() throws Exception {
        assertThat(CliRun.keyshift(migrate("--yes")).exitCode()).isEqualTo(ExitCodes.OK);
        List<Document> vaultBefore = keyVault();
        Path backup = dir.resolve("backup.json");
        Path copy = dir.resolve("copied-backup.json");
        TamperedBackups.damageFirstKeyAndRehash(backup, copy);
        TamperedBackups.damageFirstKeyAndRehash(backup, backup);

        CliRun inPlace = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", backup.toString(),
                "--local-key", info().localKeyFile().toString(), "--yes");
        CliRun elsewhere = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", copy.toString(),
                "--local-key", info().localKeyFile().toString(), "--yes");
        CliRun elsewhereAccepted = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", copy.toString(),
                "--local-key", info().localKeyFile().toString(), "--accept-unjournaled", "--yes");

        assertThat(inPlace.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(inPlace.out()).contains("Refused; nothing was written:", "wrote its backup to this path with SHA-256",
                "it was changed after it was written.");
        assertThat(elsewhere.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(elsewhere.out()).contains("It belongs to no journaled migration.",
                "run again with --accept-unjournaled");
        String damagedKey = org.bson.BsonDocument.parse(Files.readString(copy)).getArray("keys").get(0).asDocument()
                .getBinary("_id").asUuid().toString();
        assertThat(elsewhereAccepted.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(elsewhereAccepted.out()).contains("Data key " + damagedKey + " in the backup does not open with its"
                + " master key (local): the HMAC check failed, yet the same key file opens 5 other key(s) of provider"
                + " local", "This backup's copy of it is damaged: restore from another backup, or leave the key as it is"
                + " in the vault.");
        assertThat(elsewhereAccepted.out()).doesNotContain("Restored");
        assertThat(keyVault()).as("the key vault, document for document").isEqualTo(vaultBefore);
    }

    @Test
    void restoreRefusesAKeyVaultOtherThanTheBackupsAndAKeyWithoutItsMasterKey() {
        assertThat(CliRun.keyshift(migrate("--yes")).exitCode()).isEqualTo(ExitCodes.OK);
        String backup = dir.resolve("backup.json").toString();

        CliRun otherVault = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", backup,
                "--key-vault", "other.__keyVault", "--local-key", info().localKeyFile().toString(), "--yes");
        CliRun noLocalKey = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", backup, "--yes");
        CliRun withAnEndpoint = CliRun.keyshift("restore-keys", "--uri", info().mongodbUri(), "--file", backup,
                "--endpoint", info().aws().endpoint(), "--yes");

        assertThat(otherVault.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(otherVault.err()).contains("not of other.__keyVault: a backup is restored only into the key vault it"
                + " was taken from");
        assertThat(withAnEndpoint.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(withAnEndpoint.err()).contains("restore-keys takes each key's master key (region, CMK, endpoint) from"
                + " the backup: leave out --endpoint.");
        assertThat(noLocalKey.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(noLocalKey.out()).contains("Refused; nothing was written:", "does not open with its master key"
                + " (local): no local key file was given for provider local: give the local master key file its data"
                + " keys were made with.");
        assertThat(providers()).containsOnly("aws");
    }

    private List<Document> keyVault() {
        try (MongoClient client = MongoClients.create(info().mongodbUri())) {
            String[] namespace = info().keyVaultNamespace().split("\\.", 2);
            return client.getDatabase(namespace[0]).getCollection(namespace[1]).find().sort(new Document("_id", 1))
                    .into(new ArrayList<>());
        }
    }

    @Test
    void wrongLocalKeyIsBlockedByThePreflightWithExitCode2() throws Exception {
        byte[] wrong = java.nio.file.Files.readAllBytes(info().localKeyFile());
        wrong[5] ^= 1;
        Path wrongKey = java.nio.file.Files.write(dir.resolve("wrong.key"), wrong);

        CliRun blocked = CliRun.keyshift(migrate("--yes").stream().map(arg -> arg.equals(info().localKeyFile().toString())
                ? wrongKey.toString() : arg).toArray(String[]::new));

        assertThat(blocked.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(blocked.out()).contains("Blocked by the preflight; nothing was written:")
                .contains("does not decrypt with the local master key");
        assertThat(providers()).containsOnly("local");
    }

    @Test
    void rekeyDryRunShowsEachCollectionAndTheSafeOrderThenTheRunVerifies() throws IOException {
        String schemaFile = info().schemaMapFile().toString();
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        CliRun dryRun = CliRun.keyshift(withStrategy("rekey", migrate("--dry-run", "--schema-file", schemaFile)));
        assertThat(dryRun.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(dryRun.out()).contains("Plan: REKEY 6 data key(s)").contains("hr.employees: 20 documents")
                .contains("Safe order for deterministic fields").contains("Dry run: nothing was written.")
                .contains("Endpoint: " + info().aws().endpoint() + " is stored in the masterKey of every new key");
        assertThat(providers()).containsOnly("local");

        CliRun rekeyed = CliRun.keyshift(withStrategy("rekey", migrate("--yes", "--batch", "7", "--workers", "2",
                "--schema-file", schemaFile)));

        assertThat(rekeyed.exitCode()).as(rekeyed.out() + rekeyed.err()).isEqualTo(ExitCodes.OK);
        assertThat(rekeyed.out()).contains("Created new data key 6/6").contains("A full scan finds no value left under an old key")
                .contains("Done and verified.")
                .contains("Schema change (namespace, field, old key → new key):", "  hr.employees  ssn  " + ssnKey + " (hr-ssn) → ")
                .contains("Schema rewritten: the schema file " + schemaFile)
                .contains("Next steps:", "Deploy it to every application that keeps its own copy of the schema map",
                        "keyExpirationMS", "KeyShift never deletes them");
        assertThat(rekeyed.out().indexOf("Schema rewritten")).as("the schema changes before any value")
                .isLessThan(rekeyed.out().indexOf("documents ("));
        assertThat(Files.readString(info().schemaMapFile())).doesNotContain(SchemaJson.base64(ssnKey));
        assertThat(report("rekey-").getString("schema")).startsWith("Schema rewritten: the schema file " + schemaFile);
        assertThat(report("rekey-").getList("nextSteps", String.class)).isNotEmpty();
        assertThat(providers()).containsOnly("local", "aws").filteredOn("aws"::equals).hasSize(6);
        assertThat(report("rekey-")).as("a REKEY report has REKEY's figures only").containsKey("runSeconds")
                .doesNotContainKeys("kmsShareOfTime", "keysPerSecond", "rewrapSeconds");

        String id = rekeyed.out().lines().filter(line -> line.startsWith("Migration rekey-")).findFirst().orElseThrow()
                .split(" ")[1];
        SandboxInfo.Aws aws = info().aws();
        CliRun verified = CliRun.keyshift("verify", "--migration", id, "--uri", info().mongodbUri(),
                "--kms-ca-file", aws.caFile().toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isEqualTo(ExitCodes.OK);
        assertThat(verified.out()).contains("✓ A full scan finds no value left under an old key").contains("Verified.");
    }

    @Test
    void rekeyWithoutASchemaMapOrTheDeclarationThatThereIsNoneIsRefusedBeforeAnyWrite() {
        CliRun refused = CliRun.keyshift(withStrategy("rekey", migrate("--yes")));

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(refused.err()).contains("give the applications' schema-map file with --schema-file FILE, or"
                + " --no-schema-map if they use none. Nothing was written.");
        assertThat(providers()).containsOnly("local");
        assertThat(dir.resolve("backup.json")).doesNotExist();

        CliRun declared = CliRun.keyshift(withStrategy("rekey", migrate("--dry-run", "--no-schema-map")));
        assertThat(declared.exitCode()).as(declared.out() + declared.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void decryptWithoutThePlaintextConfirmationIsAUsageErrorAndWritesNothing() {
        CliRun refused = CliRun.keyshift(withStrategy("decrypt", migrate("--yes")));

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(refused.err()).contains("add --i-understand-plaintext");
        assertThat(dir.resolve("backup.json")).doesNotExist();
        assertThat(CliRun.keyshift("migrations", "--uri", info().mongodbUri()).out()).contains("No migration is journaled");
    }

    private static List<String> withStrategy(String strategy, List<String> args) {
        List<String> changed = new ArrayList<>(args);
        changed.set(changed.indexOf("rewrap"), strategy);
        return changed;
    }

    private List<String> migrate(String... extra) {
        return stack.migrate("rewrap", dir.resolve("backup.json"), dir.resolve("reports"), extra);
    }

    /** The JSON report of the one migration whose id starts with the prefix. */
    private Document report(String idPrefix) {
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            Path json = files.filter(file -> file.getFileName().toString().startsWith(idPrefix)
                    && file.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            return Document.parse(Files.readString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> providers() {
        try (MongoClient client = MongoClients.create(info().mongodbUri())) {
            return client.getDatabase("encryption").getCollection("__keyVault").find()
                    .map(key -> key.get("masterKey", Document.class).getString("provider")).into(new ArrayList<>());
        }
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
