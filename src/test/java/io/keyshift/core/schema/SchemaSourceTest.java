package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaSourceTest {

    private static final UUID KEY = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @TempDir
    Path dir;

    @Test
    void readsCanonicalRelaxedAndLegacyBinaryFormsAsTheSameRules() throws IOException {
        String canonical = """
                {"hr.employees": {"properties": {
                  "ssn": {"encrypt": {"keyId": [%s], "bsonType": "string"}},
                  "age": {"minimum": {"$numberInt": "16"}}}}}
                """.formatted(SchemaJson.canonical(KEY));
        String relaxed = """
                {"hr.employees": {"properties": {
                  "ssn": {"encrypt": {"keyId": [%s], "bsonType": "string"}},
                  "age": {"minimum": 16}}}}
                """.formatted(SchemaJson.canonical(KEY));
        String legacy = """
                {"hr.employees": {"properties": {
                  "ssn": {"encrypt": {"keyId": [%s], "bsonType": "string"}},
                  "age": {"minimum": 16}}}}
                """.formatted(SchemaJson.legacy(KEY));

        SchemaFile fromCanonical = SchemaSource.readFile(SchemaJson.write(dir, "canonical.json", canonical));
        SchemaFile fromRelaxed = SchemaSource.readFile(SchemaJson.write(dir, "relaxed.json", relaxed));
        SchemaFile fromLegacy = SchemaSource.readFile(SchemaJson.write(dir, "legacy.json", legacy));

        assertThat(fromRelaxed.rules()).isEqualTo(fromCanonical.rules());
        assertThat(fromLegacy.rules()).isEqualTo(fromCanonical.rules());
        assertThat(fromLegacy.rules().get("hr.employees").getDocument("properties").getDocument("ssn")
                .getDocument("encrypt").getArray("keyId").get(0).asBinary().asUuid()).isEqualTo(KEY);
    }

    @Test
    void keepsTheExactBytesRead() throws IOException {
        String text = "{ \"hr.employees\" :\t{} }\n";
        SchemaFile schema = SchemaSource.readFile(SchemaJson.write(dir, "spaced.json", text));

        assertThat(schema.sourceBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing comma            | {\\n  \"a.b\": {}\\n  \"c.d\": {}\\n}        | line 3, column 3",
            "trailing comma           | {\\n  \"a.b\": {\"x\": 1,}\\n}               | line 2, column 18",
            "unquoted value           | {\\n  \"a.b\": {\"x\": yes}\\n}              | line 2, column 16",
            "text after the object    | {\"a.b\": {}}\\ntrailing                    | line 2, column 1",
            "file ends inside object  | {\\n  \"a.b\": {\\n                        | line 3, column 1",
            "array instead of object  | [1, 2]                                   | line 1, column 1"})
    void namesLineAndColumnOfAFileThatIsNotJson(String mistake, String text, String position) throws IOException {
        Path file = SchemaJson.write(dir, "broken.json", text.replace("\\n", "\n"));

        assertThatThrownBy(() -> SchemaSource.readFile(file))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("is not valid JSON")
                .hasMessageContaining(position)
                .hasMessageContaining(file.toString());
    }

    @Test
    void acceptsEveryFormOfJsonValueAndAByteOrderMark() throws IOException {
        String text = "\uFEFF{\"a.b\": {\"s\": \"tab\\t quote\\\" \\u00e9 é\", \"n\": [-0, 1.5e3, 2E-2, 10],"
                + " \"t\": true, \"f\": false, \"z\": null, \"o\": {}, \"e\": []}}";
        Path file = SchemaJson.write(dir, "forms.json", text);

        BsonDocument rules = SchemaSource.readFile(file).rules().get("a.b");

        assertThat(rules.getString("s").getValue()).isEqualTo("tab\t quote\" \u00e9 \u00e9");
        assertThat(rules.getArray("n")).hasSize(4);
        assertThat(rules.isNull("z")).isTrue();
    }

    @Test
    void refusesAFileThatIsNotUtf8Text() throws IOException {
        Path file = dir.resolve("schema.json.gz");
        Files.write(file, new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, (byte) 0xff, (byte) 0xfe});

        assertThatThrownBy(() -> SchemaSource.readFile(file))
                .hasMessage("The schema file " + file + " is not UTF-8 text, so it cannot be JSON: check that you chose"
                        + " the right file.");
    }

    @Test
    void refusesAFileThatIsASingleSchemaRatherThanAMapByNamespace() throws IOException {
        Path file = SchemaJson.write(dir, "single.json", "{\"bsonType\": \"object\", \"properties\": {}}");

        assertThatThrownBy(() -> SchemaSource.readFile(file))
                .hasMessageContaining("is not a schema map")
                .hasMessageContaining("\"bsonType\"");
    }

    @Test
    void saysWhenTheFileDoesNotExist() {
        Path missing = dir.resolve("nowhere.json");

        assertThatThrownBy(() -> SchemaSource.readFile(missing))
                .isInstanceOf(KeyShiftException.class)
                .hasMessage("The schema file " + missing + " does not exist: check the path.");
    }
}
