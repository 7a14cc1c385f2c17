package io.keyshift.cli;

import io.keyshift.core.schema.SchemaJson;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaCommandTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final UUID OTHER = UUID.fromString("22222222-2222-4222-8222-222222222222");

    @TempDir
    Path dir;

    private Path schemaFile() throws IOException {
        return SchemaJson.write(dir, "schema.json", SchemaJson.hrSchemaMap(OLD, OLD, OTHER, OLD));
    }

    private Path mappingFile() throws IOException {
        return SchemaJson.write(dir, "mapping.json", "{\"" + OLD + "\": \"" + NEW + "\"}");
    }

    @Test
    void diffPrintsTheUnifiedDiffSummaryAndPreviewHashAndWritesNothing() throws IOException {
        Path schema = schemaFile();
        String before = Files.readString(schema);

        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--schema-file", schema.toString());

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(diff.out()).contains("--- before", "+++ after",
                "hr.employees: 3 keyIds replaced, 1 pointer keyId kept, 0 unknown keyIds",
                "hr.employees  ssn  " + OLD + " → " + NEW,
                "hr.employees  medical.encryptMetadata  " + OLD + " → " + NEW,
                "hr.employees badge → /badgeKeyName: the alt names stay on the old DEKs",
                "keyIds were not checked against the key vault: give --uri to check them.");
        assertThat(diff.previewHash()).hasSize(64);
        assertThat(Files.readString(schema)).isEqualTo(before);
    }

    @Test
    void diffShowsKeyIdsAsUuidsAndEachHunkWithItsNamespace() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--schema-file",
                schemaFile().toString());

        assertThat(diff.out()).doesNotContain(SchemaJson.base64(OLD), SchemaJson.base64(NEW))
                .contains("-            {\"$uuid\": \"" + OLD + "\"}", "+            {\"$uuid\": \"" + NEW + "\"}");
        assertThat(diff.out().lines().filter(line -> line.startsWith("@@"))).isNotEmpty()
                .allMatch(line -> line.endsWith(" @@ hr.employees"));
    }

    @Test
    void applyWithThePreviewHashWritesThePreviewedFile() throws IOException {
        Path schema = schemaFile();
        Path mapping = mappingFile();
        String hash = CliRun.keyshift("schema", "diff", "--mapping", mapping.toString(), "--schema-file", schema.toString())
                .previewHash();

        CliRun apply = CliRun.keyshift("schema", "apply", "--mapping", mapping.toString(), "--schema-file", schema.toString(),
                "--preview-hash", hash);

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).startsWith("Wrote " + schema + ". The file as it was is saved as " + schema
                + ".keyshift-backup-");
        assertThat(Files.readString(schema)).doesNotContain(SchemaJson.base64(OLD)).contains(SchemaJson.base64(NEW));
    }

    @Test
    void applyRefusesAndWritesNothingWhenTheSchemaChangedAfterThePreview() throws IOException {
        Path schema = schemaFile();
        Path mapping = mappingFile();
        String hash = CliRun.keyshift("schema", "diff", "--mapping", mapping.toString(), "--schema-file", schema.toString())
                .previewHash();
        String editedMeanwhile = SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD);
        Files.writeString(schema, editedMeanwhile);

        CliRun apply = CliRun.keyshift("schema", "apply", "--mapping", mapping.toString(), "--schema-file", schema.toString(),
                "--preview-hash", hash);

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(apply.err()).contains("Error: The preview hash given is not the one of the rules and mapping as they"
                + " are now", "Run `keyshift schema diff` again, review the new diff");
        assertThat(Files.readString(schema)).isEqualTo(editedMeanwhile);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no backup was made").containsExactlyInAnyOrder(schema, mapping);
        }
    }

    @Test
    void aWrongPreviewHashIsRefusedWithoutTellingTheRightOne() throws IOException {
        Path schema = schemaFile();
        Path mapping = mappingFile();
        String before = Files.readString(schema);
        String rightHash = CliRun.keyshift("schema", "diff", "--mapping", mapping.toString(), "--schema-file",
                schema.toString()).previewHash();

        CliRun apply = CliRun.keyshift("schema", "apply", "--mapping", mapping.toString(), "--schema-file", schema.toString(),
                "--preview-hash", "0".repeat(64));

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(apply.err()).contains("the hash is not the one that was reviewed", "Nothing was written",
                "Run `keyshift schema diff` again, review the new diff");
        assertThat(apply.out() + apply.err()).doesNotContain(rightHash);
        assertThat(Files.readString(schema)).isEqualTo(before);
    }

    @Test
    void sideBySideShowsOldAndNewKeyIdOnOneRow() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--schema-file",
                schemaFile().toString(), "--format", "side-by-side");

        assertThat(diff.out().lines().filter(line -> line.contains(" | "))).hasSize(3)
                .allMatch(line -> line.indexOf(OLD.toString()) < line.indexOf(" | ") && line.indexOf(NEW.toString()) > line.indexOf(" | "));
    }

    @Test
    void jsonFormatGivesScriptsTheFindingsAndTheHash() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--schema-file",
                schemaFile().toString(), "--format", "json");

        Document json = Document.parse(diff.out());
        assertThat(json.getString("previewHash")).hasSize(64);
        assertThat(json.getList("replaced", Document.class)).extracting(replaced -> replaced.getString("path"))
                .containsExactly("ssn", "medical.encryptMetadata", "history");
        assertThat(json.getBoolean("vaultChecked")).isFalse();
    }

    @Test
    void decryptFieldRemovesThatFieldsEncryptBlock() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--decrypt-field", "hr.employees:ssn", "--schema-file",
                schemaFile().toString());

        assertThat(diff.out()).contains("hr.employees: 0 keyIds replaced, 1 pointer keyId kept, 0 unknown keyIds, 1"
                + " encrypt block removed");
        assertThat(diff.out().lines().filter(line -> line.startsWith("-") && line.contains("\"encrypt\""))).hasSize(1);
    }

    @Test
    void aSchemaFileThatIsNotJsonFailsWithLineAndColumn() throws IOException {
        Path broken = SchemaJson.write(dir, "broken.json", "{\n  \"hr.employees\": {\"bsonType\": 'object'}\n}");

        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--schema-file", broken.toString());

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(diff.err().strip()).isEqualTo("Error: The schema file " + broken + " is not valid JSON: expected a"
                + " value at line 2, column 32. Fix the file and run the command again.");
    }

    @Test
    void migrationIdNeedsAConnectionString() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--migration", "m-1", "--schema-file", schemaFile().toString());

        assertThat(diff.err().strip()).isEqualTo("Error: Give the connection string with --uri to read the migration journal.");
    }

    @Test
    void mappingAndMigrationCannotBeGivenTogether() throws IOException {
        CliRun diff = CliRun.keyshift("schema", "diff", "--mapping", mappingFile().toString(), "--migration", "m-1");

        assertThat(diff.exitCode()).isNotZero();
        assertThat(diff.err()).contains("mutually exclusive");
    }
}
