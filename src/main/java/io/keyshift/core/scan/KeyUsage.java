package io.keyshift.core.scan;

import io.keyshift.core.keyvault.DataKey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The data keys joined with what uses them.
 *
 * @param usedBy  for each key id seen in data or schema, where
 * @param missing ids used by data or schema that the key vault doesn't hold: that data cannot be
 *                decrypted unless the key is found
 * @param unused  vault keys nothing seen uses (after a sample scan: nothing in the sample)
 */
public record KeyUsage(Map<UUID, List<KeyUse>> usedBy, Map<UUID, List<KeyUse>> missing, List<UUID> unused) {

    public static KeyUsage of(List<DataKey> keys, UsageMap data, List<SchemaKeyRef> schema) {
        Map<UUID, List<KeyUse>> usedBy = new LinkedHashMap<>();
        for (NamespaceUsage namespace : data.namespaces()) {
            for (FieldUsage field : namespace.fields()) {
                usedBy.computeIfAbsent(field.keyId(), id -> new ArrayList<>())
                        .add(new KeyUse(namespace.namespace(), field.path(), KeyUse.Source.DATA, field.values()));
            }
        }
        for (SchemaKeyRef ref : schema) {
            if (ref.keyId() != null) {
                usedBy.computeIfAbsent(ref.keyId(), id -> new ArrayList<>())
                        .add(new KeyUse(ref.namespace(), ref.path(), KeyUse.Source.SCHEMA, 0));
            }
        }
        Set<UUID> inVault = new HashSet<>();
        List<UUID> unused = new ArrayList<>();
        for (DataKey key : keys) {
            inVault.add(key.id());
            if (!usedBy.containsKey(key.id())) {
                unused.add(key.id());
            }
        }
        Map<UUID, List<KeyUse>> missing = new LinkedHashMap<>();
        usedBy.forEach((id, uses) -> {
            if (!inVault.contains(id)) {
                missing.put(id, uses);
            }
        });
        return new KeyUsage(usedBy, missing, unused);
    }

    public List<KeyUse> usesOf(UUID keyId) {
        return usedBy.getOrDefault(keyId, List.of());
    }
}
