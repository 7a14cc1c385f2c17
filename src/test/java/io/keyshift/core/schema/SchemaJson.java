package io.keyshift.core.schema;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

/** Builds schema-map text for tests. */
public final class SchemaJson {

    private SchemaJson() {
    }

    /** A keyId element in canonical Extended JSON. */
    public static String canonical(UUID id) {
        return new BsonDocument("k", new BsonBinary(id)).toJson(JsonWriterSettings.builder().build())
                .replaceFirst("^\\{\"k\": ", "").replaceFirst("}$", "");
    }

    /** How a keyId's bytes appear in Extended JSON. */
    public static String base64(UUID id) {
        return Base64.getEncoder().encodeToString(new BsonBinary(id).getData());
    }

    /** A keyId element in the legacy form: {"$binary": "<base64>", "$type": "04"}. */
    public static String legacy(UUID id) {
        return "{\"$binary\": \"" + base64(id) + "\", \"$type\": \"04\"}";
    }

    public static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * A schema map with an encrypted top-level field, a nested field under nested encryptMetadata,
     * an array field with two keyIds, a pointer keyId, and unrelated validation rules.
     */
    public static String hrSchemaMap(UUID ssnKey, UUID nestedDefaultKey, UUID firstArrayKey, UUID secondArrayKey) {
        return """
                {
                  "hr.employees": {
                    "bsonType": "object",
                    "required": ["name"],
                    "properties": {
                      "name": {"bsonType": "string", "maxLength": 120},
                      "ssn": {"encrypt": {"keyId": [%s], "bsonType": "string",
                              "algorithm": "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic"}},
                      "medical": {
                        "bsonType": "object",
                        "encryptMetadata": {"keyId": [%s], "algorithm": "AEAD_AES_256_CBC_HMAC_SHA_512-Random"},
                        "properties": {"notes": {"encrypt": {"bsonType": "string"}}}
                      },
                      "history": {"encrypt": {"keyId": [%s, %s], "bsonType": "array",
                                  "algorithm": "AEAD_AES_256_CBC_HMAC_SHA_512-Random"}},
                      "badge": {"encrypt": {"keyId": "/badgeKeyName", "bsonType": "string",
                                "algorithm": "AEAD_AES_256_CBC_HMAC_SHA_512-Random"}},
                      "age": {"bsonType": "int", "minimum": 16, "maximum": {"$numberLong": "120"}}
                    }
                  }
                }
                """.formatted(canonical(ssnKey), canonical(nestedDefaultKey), canonical(firstArrayKey),
                canonical(secondArrayKey));
    }
}
