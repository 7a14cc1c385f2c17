package io.keyshift.core.schema;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One change a rewrite makes, as a DBA reviews it: where (namespace and field path) and which key
 * (UUID and alt names) is replaced by which, or which encrypt block is removed.
 *
 * @param fieldPath the field the rule governs, dotted ({@code patient.ssn}); {@code encryptMetadata}
 *                  rules end in {@code .encryptMetadata}, or are just {@code encryptMetadata} at the top
 * @param oldKey    the key the rule names today; empty for a removed block, whose keys are not listed
 * @param newKey    the key it will name; empty when the encrypt block is removed (DECRYPT)
 */
public record RuleChange(String namespace, String fieldPath, Optional<KeyName> oldKey, Optional<KeyName> newKey) {

    /** A data key as a DBA knows it: its UUID and the alt names the key vault holds for it now. */
    public record KeyName(UUID id, List<String> altNames) {

        public KeyName {
            altNames = List.copyOf(altNames);
        }

        /** {@code 1111…-…111 (hr-ssn)}, or the UUID alone when the key has no alt name. */
        public String text() {
            return altNames.isEmpty() ? id.toString() : id + " (" + String.join(", ", altNames) + ")";
        }
    }

    public boolean removesEncryption() {
        return newKey.isEmpty();
    }

    /** One line: {@code hr.employees  ssn  old → new}, or the removal of the block. */
    public String text() {
        String where = namespace + "  " + fieldPath + "  ";
        return newKey.map(key -> where + oldKey.map(KeyName::text).orElse("") + " → " + key.text())
                .orElse(where + "encrypt block removed: values written as plaintext");
    }
}
