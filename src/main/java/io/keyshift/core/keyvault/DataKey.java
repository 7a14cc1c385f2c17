package io.keyshift.core.keyvault;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A data encryption key as listed from the key vault, without its (wrapped) key material.
 *
 * @param creationDate null when the document has none
 * @param updateDate   null when the document has none
 * @param status       as stored; 0 for an enabled key, null when absent
 */
public record DataKey(UUID id,
                      List<String> keyAltNames,
                      MasterKeyRef masterKey,
                      Instant creationDate,
                      Instant updateDate,
                      Integer status) {

    public DataKey {
        keyAltNames = List.copyOf(keyAltNames);
    }
}
