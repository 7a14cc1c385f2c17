package io.keyshift.core.scan;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaKeyReferencesTest {

    private static final UUID A = UUID.fromString("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
    private static final UUID B = UUID.fromString("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");

    @TempDir
    Path dir;

    @Test
    void collectsKeyIdsOfEncryptAndEncryptMetadataWithTheirFieldPaths() throws Exception {
        Path file = Files.writeString(dir.resolve("schema.json"), """
                {
                  "hr.employees": {
                    "bsonType": "object",
                    "encryptMetadata": {"keyId": [{"$uuid": "%s"}]},
                    "properties": {
                      "ssn": {"encrypt": {"keyId": [{"$binary": {"base64": "u7u7u7u7S7uLu7u7u7u7uw==", "subType": "04"}}],
                                          "bsonType": "string"}},
                      "phones": {"bsonType": "array", "items": {"encrypt": {"keyId": [{"$uuid": "%s"}]}}},
                      "address": {"bsonType": "object", "properties": {
                          "street": {"encrypt": {"keyId": "/keyName"}}}}
                    }
                  }
                }
                """.formatted(A, B));

        assertThat(SchemaKeyReferences.read(file)).containsExactlyInAnyOrder(
                new SchemaKeyRef("hr.employees", "", A, null),
                new SchemaKeyRef("hr.employees", "ssn", B, null),
                new SchemaKeyRef("hr.employees", "phones.$", B, null),
                new SchemaKeyRef("hr.employees", "address.street", null, "/keyName"));
    }

    @Test
    void readsAValidatorStyleSchemaWrappedInJsonSchema() throws Exception {
        Path file = Files.writeString(dir.resolve("schema.json"), """
                {"db.c": {"$jsonSchema": {"properties": {"x": {"encrypt": {"keyId": [{"$uuid": "%s"}]}}}}}}
                """.formatted(A));

        assertThat(SchemaKeyReferences.read(file)).containsExactly(new SchemaKeyRef("db.c", "x", A, null));
    }

    @Test
    void refusesAFileThatIsNotJson() throws Exception {
        Path file = Files.writeString(dir.resolve("schema.json"), "hr.employees: ssn");

        assertThatThrownBy(() -> SchemaKeyReferences.read(file))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("is not valid JSON");
    }
}
