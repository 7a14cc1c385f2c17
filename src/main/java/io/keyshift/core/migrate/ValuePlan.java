package io.keyshift.core.migrate;

import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.keyvault.DataKey;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What a REKEY or DECRYPT will do, computed without writing anything: which keys, which collections
 * with how many documents and values, where the backup goes, and what blocks it.
 *
 * @param target   the master key the new keys go under; null for DECRYPT, which creates no key
 * @param blockers reasons the migration cannot start (a Queryable Encryption collection, a validator
 *                 that requires encryption for DECRYPT, values KeyShift cannot convert); empty when it can
 * @param unconvertible values under data keys the key vault no longer holds, which nothing can decrypt
 * @param unconvertibleSkipped true when the user chose to leave those values as they are
 */
public record ValuePlan(Strategy strategy,
                        String keyVault,
                        String sourceProvider,
                        List<DataKey> keys,
                        MigrationRecord.Target target,
                        List<CollectionScope> collections,
                        int batchSize,
                        int workers,
                        boolean moveAltNames,
                        Path backupFile,
                        List<String> warnings,
                        List<String> blockers,
                        List<Unconvertible> unconvertible,
                        boolean unconvertibleSkipped) implements MigrationPlan {

    /** A collection holding values under the selected keys, as the full scan found it. */
    public record CollectionScope(String namespace, long documents, long values, long deterministicValues,
                                  List<String> fields) {
        public CollectionScope {
            fields = List.copyOf(fields);
        }
    }

    /** Values at one field of a collection under a data key that is not in the key vault. */
    public record Unconvertible(String namespace, String path, UUID keyId, long values) {
        @Override
        public String toString() {
            return namespace + " " + path + ": " + values + " value(s) under data key " + keyId;
        }
    }

    /** The order that keeps deterministic equality queries working, shown with every REKEY plan. */
    public static final List<String> SAFE_ORDER = List.of(
            "1. KeyShift creates the new data keys (nothing else changes yet).",
            "2. Applications switch to the new schema (the Schema step, or `keyshift schema apply`), so new writes use the new keys.",
            "3. KeyShift re-encrypts every value in place, one conditional write per document.",
            "4. A final pass reads every document once more: it converts values an application wrote under an old key in the"
                    + " meantime, and verifies every value with only the target provider.");

    public ValuePlan {
        keys = List.copyOf(keys);
        collections = List.copyOf(collections);
        warnings = List.copyOf(warnings);
        blockers = List.copyOf(blockers);
        unconvertible = List.copyOf(unconvertible);
    }

    /** The same plan with more warnings after its own. */
    public ValuePlan withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new ValuePlan(strategy, keyVault, sourceProvider, keys, target, collections, batchSize, workers, moveAltNames,
                backupFile, all, blockers, unconvertible, unconvertibleSkipped);
    }

    @Override
    public ValuePlan toCheckedTarget(KmsTarget checked) {
        return target == null ? this : new ValuePlan(strategy, keyVault, sourceProvider, keys,
                target.withMasterKey(checked.masterKey()), collections, batchSize, workers, moveAltNames, backupFile,
                warnings, blockers, unconvertible, unconvertibleSkipped);
    }

    /** What blocks a plan that finds values it cannot convert, until the user chooses to leave them as they are. */
    static String unconvertibleBlocker(List<Unconvertible> unconvertible) {
        return unconvertible.stream().mapToLong(Unconvertible::values).sum() + " value(s) in " + unconvertible.size()
                + " field(s) are under data keys that are no longer in the key vault (listed in the plan): nothing can"
                + " decrypt them, so KeyShift cannot convert them. Restore those keys from a backup (`keyshift"
                + " restore-keys`), or choose to leave these values as they are (--skip-unreadable): the report then"
                + " lists them.";
    }

    /**
     * The same plan with the values it cannot convert left as they are: no longer a blocker, but a
     * warning each, journaled with the migration and listed in its report.
     */
    public ValuePlan skippingUnconvertible() {
        if (unconvertible.isEmpty() || unconvertibleSkipped) {
            return this;
        }
        String blocker = unconvertibleBlocker(unconvertible);
        List<String> otherBlockers = blockers.stream().filter(reason -> !reason.equals(blocker)).toList();
        List<String> all = new java.util.ArrayList<>(warnings);
        unconvertible.forEach(values -> all.add("Left as it is, as chosen (its data key is not in the key vault): "
                + values + "."));
        return new ValuePlan(strategy, keyVault, sourceProvider, keys, target, collections, batchSize, workers, moveAltNames,
                backupFile, all, otherBlockers, unconvertible, true);
    }

    public List<UUID> keyIds() {
        return keys.stream().map(DataKey::id).toList();
    }

    public long values() {
        return collections.stream().mapToLong(CollectionScope::values).sum();
    }

    public long documents() {
        return collections.stream().mapToLong(CollectionScope::documents).sum();
    }

    /** The plan in sentences, as the CLI prints it and the wizard shows it. */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(strategy + " " + keys.size() + " data key(s) of " + keyVault + " under provider " + sourceProvider
                + (target == null ? ": their values become plaintext"
                : ": new keys under " + target.describe()));
        collections.forEach(scope -> lines.add(String.format("  %s: %d documents, %d values to convert (%d deterministic) in %s",
                scope.namespace(), scope.documents(), scope.values(), scope.deterministicValues(), String.join(", ", scope.fields()))));
        if (!unconvertibleSkipped) {
            unconvertible.forEach(values -> lines.add("  Cannot convert: " + values + ", which is not in the key vault"));
        }
        lines.add("  Batches of " + batchSize + " documents, " + workers + " worker(s); one conditional update per document");
        lines.add("  Backup of the keys before any write: " + backupFile);
        if (target != null) {
            target.endpointNotice("every new key").ifPresent(notice -> lines.add("  " + notice));
        }
        if (strategy == Strategy.REKEY) {
            lines.add("  The old keys stay in the key vault" + (moveAltNames
                    ? "; their keyAltNames move to the new keys after verification." : " with their keyAltNames."));
            if (deterministic()) {
                lines.add("  Safe order for deterministic fields:");
                SAFE_ORDER.forEach(step -> lines.add("    " + step));
            }
        }
        warnings.forEach(warning -> lines.add("  Warning: " + warning));
        blockers.forEach(blocker -> lines.add("  Blocked: " + blocker));
        return lines;
    }

    /**
     * The fields whose schema rules DECRYPT removes: each field the scan found holding values of the
     * selected keys, except values inside arrays, which no schema rule encrypts one by one.
     */
    public java.util.Set<io.keyshift.core.schema.EncryptedField> encryptedFields() {
        java.util.Set<io.keyshift.core.schema.EncryptedField> fields = new java.util.LinkedHashSet<>();
        collections.forEach(scope -> scope.fields().stream().filter(path -> !path.contains("$"))
                .forEach(path -> fields.add(new io.keyshift.core.schema.EncryptedField(scope.namespace(), path))));
        return fields;
    }

    @Override
    public java.util.Set<io.keyshift.core.schema.EncryptedField> decryptedFields() {
        return strategy == Strategy.DECRYPT ? encryptedFields() : java.util.Set.of();
    }

    public boolean deterministic() {
        return collections.stream().anyMatch(scope -> scope.deterministicValues() > 0);
    }
}
