package io.keyshift.core.schema;

import io.keyshift.core.schema.SchemaRewrite.AltNameResolution;
import io.keyshift.core.schema.SchemaRewrite.PointerKeyId;
import io.keyshift.core.schema.SchemaRewrite.RemovedBlock;
import io.keyshift.core.schema.SchemaRewrite.ReplacedKeyId;
import io.keyshift.core.schema.SchemaRewrite.UnknownKeyId;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Rewrites automatic-encryption rules for a migration: REKEY replaces old DEK ids by new ones in
 * every {@code encrypt} and {@code encryptMetadata} block at any depth; DECRYPT removes the encrypt
 * blocks of chosen fields. Everything else is copied as it is. Pure: reads nothing, writes nothing.
 */
public final class KeyIdRewriter {

    static final String ENCRYPT = "encrypt";
    static final String ENCRYPT_METADATA = "encryptMetadata";
    private static final String KEY_ID = "keyId";
    private static final String PROPERTIES = "properties";

    private final Map<UUID, UUID> oldToNew;
    private final AltNameResolution pointerResolution;
    private final Set<EncryptedField> fieldsToDecrypt;
    private final Optional<Set<UUID>> vaultDekIds;

    private KeyIdRewriter(Map<UUID, UUID> oldToNew, AltNameResolution pointerResolution,
                          Set<EncryptedField> fieldsToDecrypt, Optional<Set<UUID>> vaultDekIds) {
        this.oldToNew = Map.copyOf(oldToNew);
        this.pointerResolution = pointerResolution;
        this.fieldsToDecrypt = Set.copyOf(fieldsToDecrypt);
        this.vaultDekIds = vaultDekIds.map(Set::copyOf);
    }

    /**
     * For REKEY.
     *
     * @param vaultDekIds the ids of the DEKs in the key vault, or empty if the vault was not read
     */
    public static KeyIdRewriter rekey(DekMapping mapping, Optional<Set<UUID>> vaultDekIds) {
        return new KeyIdRewriter(mapping.oldToNew(),
                mapping.altNamesMoved() ? AltNameResolution.NEW_DEK : AltNameResolution.OLD_DEK, Set.of(), vaultDekIds);
    }

    /**
     * For DECRYPT: removes the encrypt blocks of {@code fields}.
     *
     * @param vaultDekIds the ids of the DEKs in the key vault, or empty if the vault was not read
     */
    public static KeyIdRewriter decrypt(Set<EncryptedField> fields, Optional<Set<UUID>> vaultDekIds) {
        return new KeyIdRewriter(Map.of(), AltNameResolution.UNCHANGED, fields, vaultDekIds);
    }

    public SchemaRewrite rewrite(SchemaSnapshot snapshot) {
        Findings findings = new Findings();
        Map<String, BsonDocument> rules = new LinkedHashMap<>();
        snapshot.rules().forEach((namespace, document) ->
                rules.put(namespace, walk(document, namespace, "", findings).asDocument()));
        return new SchemaRewrite(rules, findings.replaced, findings.pointers, findings.unknown, findings.removed,
                vaultDekIds.isPresent());
    }

    /** Copies {@code value}, rewriting the blocks found in it; {@code fieldPath} is the document field it governs. */
    private BsonValue walk(BsonValue value, String namespace, String fieldPath, Findings findings) {
        if (value.isArray()) {
            BsonArray copy = new BsonArray();
            value.asArray().forEach(element -> copy.add(walk(element, namespace, fieldPath, findings)));
            return copy;
        }
        if (!value.isDocument()) {
            return value;
        }
        BsonDocument copy = new BsonDocument();
        value.asDocument().forEach((key, child) -> {
            if (ENCRYPT.equals(key) && child.isDocument()) {
                if (fieldsToDecrypt.contains(new EncryptedField(namespace, fieldPath))) {
                    findings.removed.add(new RemovedBlock(namespace, fieldPath));
                } else {
                    copy.put(key, rewriteBlock(child.asDocument(), namespace, fieldPath, findings));
                }
            } else if (ENCRYPT_METADATA.equals(key) && child.isDocument()) {
                copy.put(key, rewriteBlock(child.asDocument(), namespace, join(fieldPath, ENCRYPT_METADATA), findings));
            } else if (PROPERTIES.equals(key) && child.isDocument()) {
                // Under "properties" the keys are field names, not keywords: a field may be called "encrypt".
                BsonDocument properties = new BsonDocument();
                child.asDocument().forEach((field, schema) ->
                        properties.put(field, walk(schema, namespace, join(fieldPath, field), findings)));
                copy.put(key, properties);
            } else {
                copy.put(key, walk(child, namespace, fieldPath, findings));
            }
        });
        return copy;
    }

    private BsonDocument rewriteBlock(BsonDocument block, String namespace, String path, Findings findings) {
        BsonDocument copy = new BsonDocument();
        block.forEach((key, value) ->
                copy.put(key, KEY_ID.equals(key) ? rewriteKeyId(value, namespace, path, findings) : value));
        return copy;
    }

    private BsonValue rewriteKeyId(BsonValue keyId, String namespace, String path, Findings findings) {
        if (keyId.isString()) {
            findings.pointers.add(new PointerKeyId(namespace, path, keyId.asString().getValue(), pointerResolution));
            return keyId;
        }
        if (keyId.isArray()) {
            BsonArray copy = new BsonArray();
            keyId.asArray().forEach(element -> copy.add(rewriteKeyId(element, namespace, path, findings)));
            return copy;
        }
        if (!keyId.isBinary() || !SchemaSource.isUuid(keyId.asBinary())) {
            return keyId;
        }
        UUID oldId = keyId.asBinary().asUuid();
        UUID newId = oldToNew.get(oldId);
        UUID written = newId == null ? oldId : newId;
        if (vaultDekIds.isPresent() && !vaultDekIds.get().contains(written)) {
            findings.unknown.add(new UnknownKeyId(namespace, path, written));
        }
        if (newId == null) {
            return keyId;
        }
        findings.replaced.add(new ReplacedKeyId(namespace, path, oldId, newId));
        return new BsonBinary(newId);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    /** What one rewrite found, in document order. */
    private static final class Findings {
        final List<ReplacedKeyId> replaced = new ArrayList<>();
        final List<PointerKeyId> pointers = new ArrayList<>();
        final List<UnknownKeyId> unknown = new ArrayList<>();
        final List<RemovedBlock> removed = new ArrayList<>();
    }
}
