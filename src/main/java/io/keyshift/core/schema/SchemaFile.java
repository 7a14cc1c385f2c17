package io.keyshift.core.schema;

import org.bson.BsonDocument;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema-map file as read: namespace → {@code $jsonSchema}. Entries in the {@code encryptedFields}
 * shape (a {@code fields} array) are Queryable Encryption and stay as they are.
 *
 * @param content the parsed file, every entry in the order of the file
 */
public record SchemaFile(Path path, byte[] sourceBytes, BsonDocument content,
                         List<QueryableEncryptionUse> queryableEncryption) implements SchemaSnapshot {

    public SchemaFile {
        sourceBytes = sourceBytes.clone();
        content = content.clone();
        queryableEncryption = List.copyOf(queryableEncryption);
    }

    @Override
    public byte[] sourceBytes() {
        return sourceBytes.clone();
    }

    @Override
    public BsonDocument content() {
        return content.clone();
    }

    @Override
    public String description() {
        return "schema file " + path;
    }

    @Override
    public Map<String, BsonDocument> rules() {
        Map<String, BsonDocument> rules = new LinkedHashMap<>();
        content.forEach((namespace, value) -> {
            if (!isEncryptedFields(value.asDocument())) {
                rules.put(namespace, value.asDocument().clone());
            }
        });
        return rules;
    }

    @Override
    public String render(Map<String, BsonDocument> rules) {
        BsonDocument result = new BsonDocument();
        content.forEach((namespace, value) -> result.put(namespace, rules.getOrDefault(namespace, value.asDocument())));
        return ExtendedJson.canonicalPretty(result) + "\n";
    }

    /** True for an {@code encryptedFieldsMap} entry: {@code {"fields": [{"path": …, "keyId": …}]}}. */
    static boolean isEncryptedFields(BsonDocument entry) {
        return entry.isArray("fields") && !entry.containsKey("properties") && !entry.containsKey("encryptMetadata");
    }
}
