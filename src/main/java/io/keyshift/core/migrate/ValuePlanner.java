package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.core.scan.UsageMap;
import io.keyshift.core.scan.UsageScanner;
import io.keyshift.core.schema.QueryableEncryptionUse;
import io.keyshift.core.schema.SchemaSource;
import io.keyshift.core.schema.ServerValidators;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Plans a REKEY or DECRYPT: selects the keys, then scans every collection in full for their values. Reads only. */
final class ValuePlanner {

    public static final int DEFAULT_BATCH = 200;
    /**
     * Four batches in flight keep the server busy while the others decrypt and encrypt: a worker waits
     * on its bulk write most of the time (`keyshift bench rekey --workers N` shows the gain flattening
     * after four).
     */
    public static final int DEFAULT_WORKERS = 4;

    private ValuePlanner() {
    }

    /** @param target the master key for the new keys; null for DECRYPT */
    public static ValuePlan plan(MongoClient client, MongoNamespace keyVault, Strategy strategy, List<UUID> selectedIds,
                                 String sourceProvider, KmsTarget target, int batchSize, int workers,
                                 boolean moveAltNames, Path backupFile) {
        if (strategy == Strategy.REWRAP) {
            throw new IllegalArgumentException("REWRAP is planned by RewrapPlanner");
        }
        Bounds.requireBatch(batchSize);
        Bounds.requireWorkers(workers);
        if (strategy == Strategy.REKEY && target == null) {
            throw new KeyShiftException("REKEY creates its new data keys under a target master key: give the target.");
        }
        List<String> warnings = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        KeyVault vault = KeyVault.open(client, keyVault);
        List<DataKey> keys = RewrapPlanner.selectKeys(vault, selectedIds, sourceProvider, warnings,
                strategy == Strategy.REKEY ? "re-key" : "decrypt");
        Set<UUID> ids = new HashSet<>();
        keys.forEach(key -> ids.add(key.id()));

        UsageScanner scanner = new UsageScanner(client);
        UsageMap usage = scanner.scan(scanner.userNamespaces(keyVault), ScanMode.full());
        List<ValuePlan.CollectionScope> collections = new ArrayList<>();
        for (NamespaceUsage namespace : usage.namespaces()) {
            List<FieldUsage> fields = namespace.fields().stream().filter(field -> ids.contains(field.keyId())).toList();
            if (fields.isEmpty()) {
                continue;
            }
            long values = fields.stream().mapToLong(FieldUsage::values).sum();
            long deterministic = fields.stream()
                    .filter(field -> field.algorithms().contains(CiphertextHeader.Algorithm.DETERMINISTIC))
                    .mapToLong(FieldUsage::values).sum();
            fields.stream().filter(field -> field.algorithms().stream().anyMatch(CiphertextHeader.Algorithm::isQueryable))
                    .findFirst().ifPresent(field -> blockers.add(namespace.namespace() + " holds Queryable Encryption values ("
                            + field.path() + "): they cannot be re-encrypted in place. Leave its keys out of the selection."));
            namespace.unreadable().forEach(unreadable -> warnings.add(namespace.namespace() + " has " + unreadable.values()
                    + " value(s) at " + unreadable.path() + " that are not readable ciphertext (" + unreadable.reason()
                    + "); they are left as they are."));
            collections.add(new ValuePlan.CollectionScope(namespace.namespace(), namespace.documentsScanned(), values,
                    deterministic, fields.stream().map(FieldUsage::path).distinct().toList()));
        }
        List<ValuePlan.Unconvertible> unconvertible = unconvertible(usage, vault.ids());
        if (!unconvertible.isEmpty()) {
            blockers.add(ValuePlan.unconvertibleBlocker(unconvertible));
        }
        ServerValidators validators = SchemaSource.readValidators(client, "the cluster");
        for (QueryableEncryptionUse queryable : validators.queryableEncryption()) {
            if (queryable.keyIds().stream().anyMatch(ids::contains)) {
                blockers.add(queryable.namespace() + " is a Queryable Encryption collection using a selected key: QE values"
                        + " cannot be re-encrypted in place. Leave its keys out of the selection.");
            }
        }
        if (strategy == Strategy.DECRYPT) {
            Set<String> inScope = new HashSet<>();
            collections.forEach(scope -> inScope.add(scope.namespace()));
            validators.collections().stream()
                    .filter(validator -> inScope.contains(validator.namespace()) && requiresEncryption(validator))
                    .forEach(validator -> blockers.add(validator.namespace() + " has a server-side validator that requires"
                            + " its fields to be encrypted: it would reject the plaintext. Remove the encrypt rules first"
                            + " (`keyshift schema diff --strategy decrypt` shows the change)."));
        }
        if (strategy == Strategy.REKEY && collections.stream().anyMatch(scope -> scope.deterministicValues() > 0)) {
            warnings.add("Some fields are encrypted deterministically: an equality query built with the old key stops"
                    + " matching a value once it is re-encrypted. Follow the safe order of the plan.");
        }
        if (collections.isEmpty()) {
            warnings.add("No collection holds a value under the selected keys: only the keys "
                    + (strategy == Strategy.REKEY ? "are replaced." : "are affected, and nothing is decrypted."));
        }
        MigrationRecord.Target to = target == null ? null
                : new MigrationRecord.Target(target.provider().name(), target.masterKey(), null);
        return new ValuePlan(strategy, keyVault.getFullName(), sourceProvider, keys, to, collections, batchSize, workers,
                moveAltNames && strategy == Strategy.REKEY, backupFile, warnings, blockers, unconvertible, false);
    }

    /** Values under keys the vault does not hold, wherever the scan found them (inspect calls these keys missing). */
    private static List<ValuePlan.Unconvertible> unconvertible(UsageMap usage, Set<UUID> inVault) {
        List<ValuePlan.Unconvertible> found = new ArrayList<>();
        for (NamespaceUsage namespace : usage.namespaces()) {
            namespace.fields().stream().filter(field -> !inVault.contains(field.keyId()))
                    .forEach(field -> found.add(new ValuePlan.Unconvertible(namespace.namespace(), field.path(),
                            field.keyId(), field.values())));
        }
        return found;
    }

    private static boolean requiresEncryption(ServerValidators.CollectionValidator validator) {
        return validator.validator().toJson().contains("\"encrypt\"");
    }
}
