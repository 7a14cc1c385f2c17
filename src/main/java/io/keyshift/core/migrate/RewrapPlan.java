package io.keyshift.core.migrate;

import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.keyvault.DataKey;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What a REWRAP will do, computed without writing anything: which keys, in how many chunks, under
 * which master key, where the backup goes, and what stays as it is.
 */
public record RewrapPlan(String keyVault,
                         String sourceProvider,
                         List<DataKey> keys,
                         int chunkSize,
                         MigrationRecord.Target target,
                         Path backupFile,
                         List<String> warnings) implements MigrationPlan {

    /** What a REWRAP never touches, stated in the plan so a DBA need not take it on trust. */
    public static final List<String> UNCHANGED = List.of(
            "Data key ids and key material stay the same: existing ciphertext keeps decrypting.",
            "No document in any collection is read for writing or changed.",
            "Automatic-encryption schemas keep naming the same key ids: no schema change.",
            "keyAltNames stay on their keys.");

    public RewrapPlan {
        keys = List.copyOf(keys);
        warnings = List.copyOf(warnings);
    }

    /** The same plan with more warnings after its own. */
    public RewrapPlan withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new RewrapPlan(keyVault, sourceProvider, keys, chunkSize, target, backupFile, all);
    }

    @Override
    public RewrapPlan toCheckedTarget(KmsTarget checked) {
        return new RewrapPlan(keyVault, sourceProvider, keys, chunkSize, target.withMasterKey(checked.masterKey()), backupFile,
                warnings);
    }

    /** The plan in sentences, as the CLI prints it and the wizard shows it. */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("REWRAP " + keys.size() + " data key(s) of " + keyVault + " from provider " + sourceProvider
                + " to " + target.describe());
        if (target.via() != null) {
            lines.add("  Same provider name on both sides: each key is rewrapped to " + target.via() + ", then back to "
                    + target.provider() + ", journaled per chunk");
        }
        lines.add("  " + chunks() + " chunk(s) of up to " + chunkSize + " keys; " + ("local".equals(target.type())
                ? "no KMS call (a local master key wraps them here)" : kmsCalls() + " call(s) to " + target.kmsName() + " expected"));
        lines.add("  Backup of the keys before any write: " + backupFile);
        target.endpointNotice("every migrated key").ifPresent(notice -> lines.add("  " + notice));
        UNCHANGED.forEach(line -> lines.add("  Unchanged: " + line));
        warnings.forEach(warning -> lines.add("  Warning: " + warning));
        return lines;
    }

    @Override
    public Strategy strategy() {
        return Strategy.REWRAP;
    }

    @Override
    public long values() {
        return 0;
    }

    @Override
    public java.util.Set<io.keyshift.core.schema.EncryptedField> decryptedFields() {
        return java.util.Set.of();
    }

    public int chunks() {
        return (keys.size() + chunkSize - 1) / chunkSize;
    }

    /** One wrap per key, twice through a via provider; the local provider's unwrapping makes no network call. */
    public int kmsCalls() {
        return target.via() == null ? keys.size() : 2 * keys.size();
    }

    public List<UUID> keyIds() {
        return keys.stream().map(DataKey::id).toList();
    }

    List<MigrationRecord.Chunk> chunkList() {
        List<UUID> ids = keyIds();
        return java.util.stream.IntStream.range(0, chunks())
                .mapToObj(i -> new MigrationRecord.Chunk(i, ids.subList(i * chunkSize, Math.min(ids.size(), (i + 1) * chunkSize)),
                        false, 0, 0))
                .toList();
    }
}
