package io.keyshift.core.audit;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;

import java.util.List;
import java.util.UUID;

/**
 * One field a schema says is encrypted, with what it inherits from {@code encryptMetadata}.
 *
 * @param path           dotted path, array items written {@code $}
 * @param keyIds         the data keys the schema names; empty when it names none or points to an alt name
 * @param altNamePointer a JSON pointer to a field holding the key's alt name, or null
 * @param algorithm      DETERMINISTIC or RANDOM; null when the schema does not say
 * @param source         where the rule was read: the schema file or a server validator
 */
public record SchemaRule(String namespace, String path, List<UUID> keyIds, String altNamePointer,
                         Algorithm algorithm, String source) {

    public SchemaRule {
        keyIds = List.copyOf(keyIds);
    }
}
