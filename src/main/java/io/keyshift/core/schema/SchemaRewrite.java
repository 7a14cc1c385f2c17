package io.keyshift.core.schema;

import org.bson.BsonDocument;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules KeyIdRewriter proposes and what it found on the way. A {@code path} names where in the
 * documents a rule applies: {@code patient.ssn} for an encrypt block, {@code patient.encryptMetadata}
 * or {@code encryptMetadata} for defaults.
 *
 * @param rules        namespace → proposed rules, for every namespace of the source
 * @param vaultChecked false when the key vault was not read, so {@code unknown} is empty for lack of a check
 */
public record SchemaRewrite(Map<String, BsonDocument> rules,
                            List<ReplacedKeyId> replaced,
                            List<PointerKeyId> pointers,
                            List<UnknownKeyId> unknown,
                            List<RemovedBlock> removed,
                            boolean vaultChecked) {

    public record ReplacedKeyId(String namespace, String path, UUID oldId, UUID newId) {
    }

    /** A keyId that is a JSON pointer to a field holding a keyAltName: kept as it is. */
    public record PointerKeyId(String namespace, String path, String pointer, AltNameResolution resolution) {
    }

    /** A keyId that, once written, would name a DEK absent from the key vault. */
    public record UnknownKeyId(String namespace, String path, UUID keyId) {
    }

    /** An encrypt block DECRYPT removes. */
    public record RemovedBlock(String namespace, String path) {
    }

    /** Which DEK a pointer keyId's alt name finds after the migration. */
    public enum AltNameResolution {
        /** REKEY moves the alt names to the new DEKs: new values are encrypted with the new DEK. */
        NEW_DEK,
        /** REKEY leaves the alt names on the old DEKs: new values would still be encrypted with the old DEK. */
        OLD_DEK,
        /** DECRYPT changes no key: the pointer finds the DEK it found before. */
        UNCHANGED
    }

    public SchemaRewrite {
        rules = Map.copyOf(rules);
        replaced = List.copyOf(replaced);
        pointers = List.copyOf(pointers);
        unknown = List.copyOf(unknown);
        removed = List.copyOf(removed);
    }

    /** True if writing would change anything. */
    public boolean changesSomething() {
        return !replaced.isEmpty() || !removed.isEmpty();
    }
}
