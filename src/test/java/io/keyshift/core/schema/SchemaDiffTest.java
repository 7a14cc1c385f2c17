package io.keyshift.core.schema;

import io.keyshift.core.schema.SchemaPreview.Change;
import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;
import io.keyshift.core.schema.ServerValidators.CollectionValidator;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaDiffTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final UUID OTHER = UUID.fromString("22222222-2222-4222-8222-222222222222");
    private static final String SCHEMA = SchemaJson.hrSchemaMap(OLD, OLD, OLD, OTHER);

    @TempDir
    Path dir;

    private SchemaPreview preview(String text, Map<UUID, UUID> mapping) throws IOException {
        SchemaFile source = SchemaSource.readFile(SchemaJson.write(dir, "schema.json", text));
        return SchemaDiff.preview(source,
                KeyIdRewriter.rekey(new DekMapping(mapping, true), Optional.of(Set.of(NEW))).rewrite(source));
    }

    @Test
    void unifiedDiffRemovesTheOldKeyIdAndAddsTheNewOne() throws IOException {
        SchemaPreview preview = preview(SCHEMA, Map.of(OLD, NEW));

        assertThat(preview.unifiedDiff()).startsWith("--- before", "+++ after");
        assertThat(preview.unifiedDiff()).filteredOn(line -> line.startsWith("-") && !line.startsWith("---"))
                .hasSize(3).allMatch(line -> line.contains("\"$uuid\": \"" + OLD + "\""));
        assertThat(preview.unifiedDiff()).filteredOn(line -> line.startsWith("+") && !line.startsWith("+++"))
                .hasSize(3).allMatch(line -> line.contains("\"$uuid\": \"" + NEW + "\""));
        assertThat(String.join("\n", preview.unifiedDiff())).doesNotContain(SchemaJson.base64(OLD), SchemaJson.base64(NEW));
    }

    @Test
    void sideBySideRowsPairEveryLineAndMarkTheChangedOnes() throws IOException {
        SchemaPreview preview = preview(SCHEMA, Map.of(OLD, NEW));

        assertThat(preview.sideBySide()).hasSize(ReadableJson.lines(preview.before(), Map.of()).size());
        assertThat(preview.sideBySide()).filteredOn(row -> row.change() == Change.CHANGED)
                .hasSize(3)
                .allMatch(row -> row.oldLine().contains(OLD.toString()) && row.newLine().contains(NEW.toString()));
        assertThat(preview.sideBySide()).filteredOn(row -> row.change() == Change.EQUAL)
                .allMatch(row -> row.oldLine().equals(row.newLine()));
    }

    @Test
    void listsEachChangeWithItsNamespaceFieldAndKeysByUuidAndAltName() throws IOException {
        SchemaFile source = SchemaSource.readFile(SchemaJson.write(dir, "schema.json", SCHEMA));
        SchemaRewrite rewrite = KeyIdRewriter.rekey(new DekMapping(Map.of(OLD, NEW), false), Optional.empty())
                .rewrite(source);

        SchemaPreview preview = SchemaDiff.preview(source, rewrite, Map.of(OLD, List.of("hr-ssn"), NEW, List.of()));

        assertThat(preview.changes()).extracting(RuleChange::text).containsExactly(
                "hr.employees  ssn  " + OLD + " (hr-ssn) → " + NEW,
                "hr.employees  medical.encryptMetadata  " + OLD + " (hr-ssn) → " + NEW,
                "hr.employees  history  " + OLD + " (hr-ssn) → " + NEW);
        assertThat(preview.sideBySide()).filteredOn(row -> row.change() == Change.CHANGED)
                .allSatisfy(row -> assertThat(row.oldLine()).contains("{\"$uuid\": \"" + OLD + "\"}").endsWith("  // hr-ssn"));
    }

    @Test
    void hunkHeadersNameTheNamespaceTheyStartIn() throws IOException {
        String twoNamespaces = "{\"clinic.patients\": {\"properties\": {\"x\": {\"encrypt\": {\"keyId\": ["
                + SchemaJson.canonical(OTHER) + "]}}}}, " + SCHEMA.strip().substring(1);

        SchemaPreview preview = preview(twoNamespaces, Map.of(OTHER, NEW));

        assertThat(preview.unifiedDiff()).filteredOn(line -> line.startsWith("@@"))
                .containsExactly("@@ -4,7 +4,7 @@ clinic.patients", "@@ -51,7 +51,7 @@ hr.employees");
    }

    @Test
    void aDecryptChangeNamesTheFieldWhoseBlockIsRemoved() throws IOException {
        SchemaFile source = SchemaSource.readFile(SchemaJson.write(dir, "schema.json", SCHEMA));
        SchemaRewrite rewrite = KeyIdRewriter.decrypt(Set.of(new EncryptedField("hr.employees", "ssn")), Optional.empty())
                .rewrite(source);

        assertThat(SchemaDiff.preview(source, rewrite).changes()).extracting(RuleChange::text)
                .containsExactly("hr.employees  ssn  encrypt block removed: values written as plaintext");
    }

    @Test
    void summarisesEachNamespace() throws IOException {
        SchemaPreview preview = preview(SCHEMA, Map.of(OLD, NEW));

        // OTHER is not in the vault {NEW}; the badge pointer is kept.
        assertThat(preview.summaries()).containsExactly(new NamespaceSummary("hr.employees", 3, 1, 1, 0));
    }

    @Test
    void afterIsTheCanonicalTextThatWouldBeWritten() throws IOException {
        SchemaPreview preview = preview(SCHEMA, Map.of(OLD, NEW));

        assertThat(preview.after()).contains("\"$numberInt\": \"16\"", "\"$numberLong\": \"120\"").endsWith("}\n");
        assertThat(SchemaSource.readFile(SchemaJson.write(dir, "written.json", preview.after())).rules())
                .isEqualTo(preview.rewrite().rules());
    }

    @Test
    void previewHashIsStableAndChangesWithTheSourceBytesOrTheMapping() throws IOException {
        String hash = preview(SCHEMA, Map.of(OLD, NEW)).previewHash();

        assertThat(preview(SCHEMA, Map.of(OLD, NEW)).previewHash()).isEqualTo(hash).hasSize(64);
        assertThat(preview(SCHEMA + " ", Map.of(OLD, NEW)).previewHash()).isNotEqualTo(hash);
        assertThat(preview(SCHEMA, Map.of(OTHER, NEW)).previewHash()).isNotEqualTo(hash);
    }

    @Test
    void noDiffWhenNoRuleNamesAMappedDek() throws IOException {
        SchemaPreview preview = preview(SCHEMA, Map.of(UUID.randomUUID(), NEW));

        assertThat(preview.changesSomething()).isFalse();
        assertThat(preview.unifiedDiff()).isEmpty();
    }

    @Test
    void validatorsRenderWithTheirSettingsSoTheHashCoversThem() {
        BsonDocument validator = BsonDocument.parse("{\"$jsonSchema\": {\"properties\": {}}}");
        ServerValidators strict = new ServerValidators("db0:27017",
                List.of(new CollectionValidator("hr.employees", validator, "strict", "error")), List.of());
        ServerValidators moderate = new ServerValidators("db0:27017",
                List.of(new CollectionValidator("hr.employees", validator, "moderate", "error")), List.of());

        assertThat(new String(strict.sourceBytes(), StandardCharsets.UTF_8)).contains("\"validationLevel\": \"strict\"");
        assertThat(strict.sourceBytes()).isNotEqualTo(moderate.sourceBytes());
    }
}
