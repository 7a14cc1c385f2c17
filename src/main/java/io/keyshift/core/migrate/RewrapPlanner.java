package io.keyshift.core.migrate;

import com.mongodb.client.model.Filters;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.KmsTarget;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Computes a {@link RewrapPlan}: reads the key vault, writes nothing. */
final class RewrapPlanner {

    // 50 keys per rewrapManyDataKey: one bulk write per 50 KMS calls, so the write is never what takes the time,
    // and a chunk that fails for good leaves at most 50 keys to look at.
    public static final int DEFAULT_CHUNK = 50;
    private static final int PAGE = 1000;

    private RewrapPlanner() {
    }

    /**
     * @param selectedIds    the keys to move, or empty for every key under {@code sourceProvider}
     * @param sourceProvider the local provider the keys are under ({@code local}, or a named one)
     */
    static RewrapPlan plan(KeyVault vault, List<UUID> selectedIds, String sourceProvider, KmsTarget target,
                                  int chunkSize, Path backupFile) {
        Bounds.requireChunk(chunkSize);
        List<String> warnings = new ArrayList<>();
        List<DataKey> keys = selectKeys(vault, selectedIds, sourceProvider, warnings, "rewrap");
        String name = target.provider().name();
        // The same name on both sides cannot mean two master keys in one client: the keys pass through a named one.
        MigrationRecord.Target to = new MigrationRecord.Target(name, target.masterKey(),
                name.equals(sourceProvider) ? MigrationRecord.Target.viaName(name) : null);
        return new RewrapPlan(vault.namespace().getFullName(), sourceProvider, keys, chunkSize, to, backupFile, warnings);
    }

    /**
     * The selected keys that are under {@code sourceProvider} (every such key when none is selected);
     * a selected key under another provider is left out with a warning.
     */
    static List<DataKey> selectKeys(KeyVault vault, List<UUID> selectedIds, String sourceProvider, List<String> warnings,
                                    String verb) {
        List<DataKey> keys;
        if (selectedIds.isEmpty()) {
            keys = vault.listAll(Filters.eq("masterKey.provider", sourceProvider), PAGE);
        } else {
            List<DataKey> found = new ArrayList<>();
            for (int from = 0; from < selectedIds.size(); from += PAGE) {
                found.addAll(vault.listAll(Filters.in("_id", selectedIds.subList(from, Math.min(selectedIds.size(), from + PAGE))
                        .stream().map(org.bson.BsonBinary::new).toList()), PAGE));
            }
            Set<UUID> missing = new HashSet<>(selectedIds);
            found.forEach(key -> missing.remove(key.id()));
            if (!missing.isEmpty()) {
                throw new KeyShiftException(missing.size() + " selected data key(s) are not in " + vault.namespace().getFullName()
                        + ": " + missing.stream().limit(5).map(UUID::toString).toList()
                        + (missing.size() > 5 ? " …" : "") + ". Check the ids with `keyshift inspect`.");
            }
            keys = new ArrayList<>();
            for (DataKey key : found) {
                if (key.masterKey().provider().equals(sourceProvider)) {
                    keys.add(key);
                } else {
                    warnings.add("Data key " + key.id() + " is under provider " + key.masterKey().provider()
                            + ", not " + sourceProvider + ": it is left as it is; a migration moves the keys of one provider, so move"
                            + " it in a migration of its own from " + key.masterKey().provider() + ".");
                }
            }
        }
        if (keys.isEmpty()) {
            throw new KeyShiftException("No data key to " + verb + ": none is under provider \"" + sourceProvider + "\" in "
                    + vault.namespace().getFullName() + ". Check the provider name with `keyshift inspect`.");
        }
        return keys;
    }
}
