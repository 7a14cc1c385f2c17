package io.keyshift.core.scan;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonArray;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads which data keys an automatic-encryption schema map names. It follows {@code properties}
 * and {@code items} and collects {@code keyId} under {@code encrypt} and {@code encryptMetadata};
 * rewriting schemas is the schema package's job.
 */
public final class SchemaKeyReferences {

    private SchemaKeyReferences() {
    }

    /** Reads a schema-map file: {@code {"db.coll": {jsonSchema}, …}} in MongoDB extended JSON. */
    public static List<SchemaKeyRef> read(Path schemaMapFile) {
        String json;
        try {
            json = Files.readString(schemaMapFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the schema file " + schemaMapFile + " (" + e.getMessage()
                    + "): check the path and that you may read it.", e);
        }
        BsonDocument schemaMap;
        try {
            schemaMap = BsonDocument.parse(json);
        } catch (JsonParseException | BsonInvalidOperationException e) {
            throw new KeyShiftException("The schema file " + schemaMapFile + " is not valid JSON (" + e.getMessage()
                    + "): it must be a schema map such as {\"db.coll\": {\"bsonType\": \"object\", …}}.", e);
        }
        return of(schemaMap);
    }

    public static List<SchemaKeyRef> of(BsonDocument schemaMap) {
        List<SchemaKeyRef> refs = new ArrayList<>();
        schemaMap.forEach((namespace, schema) -> {
            if (schema.isDocument()) {
                BsonDocument root = schema.asDocument();
                BsonValue wrapped = root.get("$jsonSchema");
                walk(namespace, "", wrapped != null && wrapped.isDocument() ? wrapped.asDocument() : root, refs);
            }
        });
        return refs;
    }

    private static void walk(String namespace, String path, BsonDocument schema, List<SchemaKeyRef> refs) {
        for (String rule : List.of("encryptMetadata", "encrypt")) {
            if (schema.get(rule) instanceof BsonDocument encrypt && encrypt.containsKey("keyId")) {
                collect(namespace, path, encrypt.get("keyId"), refs);
            }
        }
        if (schema.get("properties") instanceof BsonDocument properties) {
            properties.forEach((name, sub) -> {
                if (sub.isDocument()) {
                    walk(namespace, path.isEmpty() ? name : path + "." + name, sub.asDocument(), refs);
                }
            });
        }
        if (schema.get("items") instanceof BsonDocument items) {
            walk(namespace, path.isEmpty() ? "$" : path + ".$", items, refs);
        }
    }

    private static void collect(String namespace, String path, BsonValue keyId, List<SchemaKeyRef> refs) {
        if (keyId.isString()) {
            refs.add(new SchemaKeyRef(namespace, path, null, keyId.asString().getValue()));
        } else if (keyId instanceof BsonArray ids) {
            for (BsonValue id : ids) {
                if (id.isBinary() && id.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
                    refs.add(new SchemaKeyRef(namespace, path, id.asBinary().asUuid(), null));
                }
            }
        }
    }
}
