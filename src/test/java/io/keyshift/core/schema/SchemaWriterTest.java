package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.schema.ServerValidators.CollectionValidator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaWriterTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T17:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final SchemaWriter writer = new SchemaWriter(CLOCK);

    private SchemaPreview previewOf(Path file) {
        SchemaFile source = SchemaSource.readFile(file);
        return SchemaDiff.preview(source,
                KeyIdRewriter.rekey(new DekMapping(Map.of(OLD, NEW), true), Optional.empty()).rewrite(source));
    }

    @Test
    void writesThePreviewedTextAndKeepsTheOriginalAsABackupBesideIt() throws IOException {
        String original = SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD);
        Path file = SchemaJson.write(dir, "schema.json", original);
        SchemaPreview preview = previewOf(file);

        Path backup = writer.writeFile(preview);

        assertThat(Files.readString(file)).isEqualTo(preview.after());
        assertThat(backup).hasFileName("schema.json.keyshift-backup-20261128T170000Z").hasParent(dir);
        assertThat(Files.readString(backup)).isEqualTo(original);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .as("a backup names data keys, so only its owner reads it").isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(SchemaJson.base64(NEW)).doesNotContain(SchemaJson.base64(OLD));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temp file is left behind").hasSize(2);
        }
    }

    @Test
    void aSecondRewriteWithinTheSameSecondKeepsBothBackups() throws IOException {
        String original = SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD);
        Path file = SchemaJson.write(dir, "schema.json", original);
        Path first = writer.writeFile(previewOf(file));
        String rewritten = Files.readString(file);
        Files.writeString(file, original);

        Path second = writer.writeFile(previewOf(file));

        assertThat(second).hasFileName("schema.json.keyshift-backup-20261128T170000Z-2").isNotEqualTo(first);
        assertThat(Files.readString(first)).as("the first backup is never overwritten").isEqualTo(original);
        assertThat(Files.readString(second)).isEqualTo(original);
        assertThat(Files.readString(file)).isEqualTo(rewritten);
    }

    @Test
    void keepsTheFilesPermissions() throws IOException {
        Path file = SchemaJson.write(dir, "schema.json", SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        writer.writeFile(previewOf(file));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void refusesAndWritesNothingWhenTheFileChangedSinceThePreview() throws IOException {
        Path file = SchemaJson.write(dir, "schema.json", SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD));
        SchemaPreview preview = previewOf(file);
        String editedMeanwhile = SchemaJson.hrSchemaMap(OLD, OLD, OLD, UUID.randomUUID());
        Files.writeString(file, editedMeanwhile, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> writer.writeFile(preview))
                .isInstanceOf(SchemaChangedException.class)
                .hasMessage("The schema file " + file + " changed since the preview, so nothing was written."
                        + " Run `keyshift schema diff` again and review the new diff.");
        assertThat(Files.readString(file)).isEqualTo(editedMeanwhile);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesToRewriteAFileWhenThePreviewChangesNothing() throws IOException {
        String original = SchemaJson.hrSchemaMap(NEW, NEW, NEW, NEW);
        Path file = SchemaJson.write(dir, "schema.json", original);

        assertThatThrownBy(() -> writer.writeFile(previewOf(file)))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("changes nothing, so nothing was written");
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void collModInstallsTheNewValidatorAndKeepsLevelAndAction() {
        BsonDocument oldValidator = BsonDocument.parse("{\"$jsonSchema\": {\"properties\": {\"ssn\": {\"encrypt\": {}}}}}");
        BsonDocument newValidator = BsonDocument.parse("{\"$jsonSchema\": {\"properties\": {\"ssn\": {}}}}");
        CollectionValidator previewed = new CollectionValidator("hr.employees", oldValidator, "moderate", "warn");

        BsonDocument command = SchemaWriter.collModCommand(previewed, newValidator);

        assertThat(command).isEqualTo(BsonDocument.parse("""
                {"collMod": "employees",
                 "validator": {"$jsonSchema": {"properties": {"ssn": {}}}},
                 "validationLevel": "moderate",
                 "validationAction": "warn",
                 "writeConcern": {"w": "majority"}}
                """));
        assertThat(command.getFirstKey()).as("the command name comes first").isEqualTo("collMod");
    }

    @Test
    void collModLeavesOutSettingsTheServerDidNotList() {
        CollectionValidator previewed = new CollectionValidator("app.a.b", new BsonDocument(), null, null);

        BsonDocument command = SchemaWriter.collModCommand(previewed, new BsonDocument("$jsonSchema", new BsonDocument()));

        assertThat(command.keySet()).containsExactly("collMod", "validator", "writeConcern");
        assertThat(command.getString("collMod").getValue()).as("a collection name may hold dots").isEqualTo("a.b");
    }
}
