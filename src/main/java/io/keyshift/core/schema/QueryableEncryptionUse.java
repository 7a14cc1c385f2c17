package io.keyshift.core.schema;

import java.util.List;
import java.util.UUID;

/**
 * A Queryable Encryption collection ({@code encryptedFields}). Its keyIds are reported only: QE
 * fields cannot be re-keyed in place, so KeyShift never rewrites them.
 *
 * @param fieldPaths the encrypted fields, dotted
 * @param keyIds     the DEKs those fields name, in field order, without repeats
 */
public record QueryableEncryptionUse(String namespace, List<String> fieldPaths, List<UUID> keyIds) {

    public QueryableEncryptionUse {
        fieldPaths = List.copyOf(fieldPaths);
        keyIds = List.copyOf(keyIds);
    }
}
