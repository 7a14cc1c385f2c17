package io.keyshift.core.audit;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.BsonArray;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads which fields an automatic-encryption schema encrypts, following {@code properties} and
 * {@code items} and letting {@code encryptMetadata} pass its keyId and algorithm down, as the drivers do.
 */
final class SchemaRules {

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    private static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    private SchemaRules() {
    }

    /** @param rules per namespace its schema, bare or wrapped in {@code $jsonSchema} (as in a validator) */
    static List<SchemaRule> of(Map<String, BsonDocument> rules, String source) {
        List<SchemaRule> found = new ArrayList<>();
        rules.forEach((namespace, schema) -> {
            BsonValue wrapped = schema.get("$jsonSchema");
            walk(namespace, "", wrapped != null && wrapped.isDocument() ? wrapped.asDocument() : schema,
                    new Inherited(List.of(), null, null), source, found);
        });
        return found;
    }

    private record Inherited(List<UUID> keyIds, String pointer, Algorithm algorithm) {

        Inherited with(BsonDocument encrypt) {
            List<UUID> ids = keyIds;
            String altNamePointer = pointer;
            BsonValue keyId = encrypt.get("keyId");
            if (keyId != null && keyId.isString()) {
                ids = List.of();
                altNamePointer = keyId.asString().getValue();
            } else if (keyId instanceof BsonArray array) {
                ids = uuids(array);
                altNamePointer = null;
            }
            Algorithm own = SchemaRules.algorithm(encrypt.get("algorithm"));
            return new Inherited(ids, altNamePointer, own != null ? own : algorithm);
        }
    }

    private static void walk(String namespace, String path, BsonDocument schema, Inherited inherited, String source,
                             List<SchemaRule> found) {
        Inherited here = schema.get("encryptMetadata") instanceof BsonDocument metadata ? inherited.with(metadata) : inherited;
        if (schema.get("encrypt") instanceof BsonDocument encrypt) {
            Inherited rule = here.with(encrypt);
            found.add(new SchemaRule(namespace, path, rule.keyIds(), rule.pointer(), rule.algorithm(), source));
            return;
        }
        if (schema.get("properties") instanceof BsonDocument properties) {
            properties.forEach((name, sub) -> {
                if (sub.isDocument()) {
                    walk(namespace, path.isEmpty() ? name : path + "." + name, sub.asDocument(), here, source, found);
                }
            });
        }
        if (schema.get("items") instanceof BsonDocument items) {
            walk(namespace, path.isEmpty() ? "$" : path + ".$", items, here, source, found);
        }
    }

    private static List<UUID> uuids(BsonArray array) {
        List<UUID> ids = new ArrayList<>();
        for (BsonValue id : array) {
            if (id.isBinary() && id.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
                ids.add(id.asBinary().asUuid());
            }
        }
        return ids;
    }

    private static Algorithm algorithm(BsonValue value) {
        if (value == null || !value.isString()) {
            return null;
        }
        return switch (value.asString().getValue()) {
            case DETERMINISTIC -> Algorithm.DETERMINISTIC;
            case RANDOM -> Algorithm.RANDOM;
            default -> null;
        };
    }
}
