package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.keyshift.cli.CliRun.keyshift;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift schema} with {@code --uri}: the key vault check and the migration journal, on the sandbox. */
@ExtendWith(StackExtension.class)
class SchemaCommandStackTest {

    /** A database of its own, so the journal and key vault copy written here are seen by no other test. */
    private static final String JOURNAL_DATABASE = "schema_journal_test";

    @TempDir
    Path dir;

    private Path copyOfSandboxSchema(TestStack stack) throws IOException {
        return Files.copy(stack.info().schemaMapFile(), dir.resolve("schema-map.json"));
    }

    @Test
    void migrationIdWithoutAJournalCollectionFailsWithOneSentence(TestStack stack) throws IOException {
        CliRun diff = keyshift("schema", "diff", "--migration", "m-1", "--uri", stack.info().mongodbUri(),
                "--key-vault", "schema_no_journal_test.__keyVault", "--schema-file", copyOfSandboxSchema(stack).toString());

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(diff.err().strip()).isEqualTo("Error: No journal collection schema_no_journal_test.keyshift_migrations"
                + " found on the cluster, so there is no migration m-1: check --key-vault, or give the mapping with"
                + " --mapping FILE.");
    }

    @Test
    void diffAndApplyReadTheMappingOfAJournaledMigration(TestStack stack) throws IOException {
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        UUID newKey = UUID.randomUUID();
        Path schema = copyOfSandboxSchema(stack);
        try (MongoClient client = client(stack)) {
            MongoDatabase database = client.getDatabase(JOURNAL_DATABASE);
            database.drop();
            String[] vault = stack.info().keyVaultNamespace().split("\\.", 2);
            List<BsonDocument> keys = client.getDatabase(vault[0]).getCollection(vault[1], BsonDocument.class).find()
                    .into(new ArrayList<>());
            keys.add(keys.get(0).clone().append("_id", new BsonBinary(newKey)));
            database.getCollection("__keyVault", BsonDocument.class).insertMany(keys);
            database.getCollection("keyshift_migrations", BsonDocument.class).insertOne(
                    new BsonDocument("_id", new BsonString("m-42"))
                            .append("dekMapping", new BsonArray(List.of(new BsonDocument("old", new BsonBinary(ssnKey))
                                    .append("new", new BsonBinary(newKey)))))
                            .append("altNamesMoved", BsonBoolean.TRUE));
            String[] options = {"--migration", "m-42", "--uri", stack.info().mongodbUri(),
                    "--key-vault", JOURNAL_DATABASE + ".__keyVault", "--schema-file", schema.toString()};

            CliRun diff = keyshift(concat(new String[] {"schema", "diff"}, options));
            CliRun apply = keyshift(concat(new String[] {"schema", "apply"}, options,
                    new String[] {"--preview-hash", diff.previewHash()}));

            assertThat(diff.out()).contains("hr.employees  ssn  " + ssnKey + " (hr-ssn) → " + newKey,
                    "{\"$uuid\": \"" + ssnKey + "\"}  // hr-ssn",
                    "hr.employees: 1 keyId replaced, 0 pointer keyIds kept, 0 unknown keyIds",
                    "clinic.patients: 0 keyIds replaced, 0 pointer keyIds kept, 0 unknown keyIds");
            assertThat(apply.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(Files.readString(schema)).contains(SchemaJson.base64(newKey)).doesNotContain(SchemaJson.base64(ssnKey));
            assertThat(database.getCollection("keyshift_migrations", BsonDocument.class).find().first()
                    .getDocument("schema").getString("writtenTo").getValue())
                    .as("the migration's journal says where its schema was rewritten").isEqualTo("the schema file " + schema);
            database.drop();
        }
    }

    @Test
    void rulesNamingAKeyNotInTheVaultAreRefusedByDiffAndApply(TestStack stack) throws IOException {
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        UUID missing = UUID.randomUUID();
        Path schema = copyOfSandboxSchema(stack);
        String before = Files.readString(schema);
        Path mapping = Files.writeString(dir.resolve("mapping.json"), "{\"" + ssnKey + "\": \"" + missing + "\"}");
        String[] options = {"--mapping", mapping.toString(), "--uri", stack.info().mongodbUri(),
                "--schema-file", schema.toString()};

        CliRun diff = keyshift(concat(new String[] {"schema", "diff"}, options));
        String hash = org.bson.Document.parse(keyshift(concat(new String[] {"schema", "diff", "--format", "json"}, options))
                .out()).getString("previewHash");
        CliRun apply = keyshift(concat(new String[] {"schema", "apply", "--preview-hash", hash}, options));

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(diff.err()).contains("hr.employees ssn would name data key " + missing + ", which is not in the key vault.",
                "nothing was written");
        assertThat(diff.out()).doesNotContain("Preview hash");
        assertThat(apply.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(apply.err()).contains("data key " + missing + ", which is not in the key vault.");
        assertThat(Files.readString(schema)).isEqualTo(before);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no backup was made").containsExactlyInAnyOrder(schema, mapping);
        }
    }

    @Test
    void unknownMigrationIdInAnExistingJournalIsNamed(TestStack stack) throws IOException {
        try (MongoClient client = client(stack)) {
            MongoDatabase database = client.getDatabase(JOURNAL_DATABASE + "_2");
            database.drop();
            database.createCollection("keyshift_migrations");

            CliRun diff = keyshift("schema", "diff", "--migration", "m-404", "--uri",
                    stack.info().mongodbUri(), "--key-vault", JOURNAL_DATABASE + "_2.__keyVault",
                    "--schema-file", copyOfSandboxSchema(stack).toString());

            assertThat(diff.err().strip()).isEqualTo("Error: No migration ID m-404 found in " + JOURNAL_DATABASE
                    + "_2.keyshift_migrations: check the ID in the migration's report, or give the mapping with"
                    + " --mapping FILE.");
            database.drop();
        }
    }

    @Test
    void theSandboxSchemaNamesOnlyDeksOfItsKeyVault(TestStack stack) throws IOException {
        Path mapping = Files.writeString(dir.resolve("mapping.json"), "{\"" + UUID.randomUUID() + "\": \""
                + UUID.randomUUID() + "\"}");

        CliRun diff = keyshift("schema", "diff", "--mapping", mapping.toString(), "--uri",
                stack.info().mongodbUri(), "--schema-file", copyOfSandboxSchema(stack).toString());

        assertThat(diff.out()).contains("hr.employees: 0 keyIds replaced, 0 pointer keyIds kept, 0 unknown keyIds",
                "Nothing to change").doesNotContain("keyIds naming no DEK", "Preview hash");
    }

    @Test
    void withoutASchemaFileAServerWithoutEncryptionValidatorsIsNamed(TestStack stack) throws IOException {
        // The seeded server has no validators: FerretDB has none, and the sandbox creates none on MongoDB.
        Path mapping = Files.writeString(dir.resolve("mapping.json"), "{\"" + UUID.randomUUID() + "\": \""
                + UUID.randomUUID() + "\"}");
        String hosts = String.join(",", new ConnectionString(stack.info().mongodbUri()).getHosts());

        CliRun diff = keyshift("schema", "diff", "--mapping", mapping.toString(), "--uri",
                stack.info().mongodbUri());

        assertThat(diff.err().strip()).isEqualTo("Error: No collection on " + hosts + " has a validator with"
                + " encryption rules: give the application's schema-map file with --schema-file.");
    }

    @Test
    void anUnknownMigrationWithoutASchemaFileIsNamedBeforeAnyWordOnValidators(TestStack stack) {
        CliRun diff = keyshift("schema", "diff", "--migration", "nope", "--uri", stack.info().mongodbUri());

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(diff.err()).contains("migration").contains("nope").contains("--mapping FILE").doesNotContain("validator");
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    private static MongoClient client(TestStack stack) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build());
    }
}
