package io.keyshift.core.migrate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates one AWS-backed data key per old key and journals the pair right away, before any value is
 * touched. The driver picks a new key's id, so each new key carries a marker alt name naming the
 * migration and its old key: if KeyShift stops between creating a key and journaling it, the resume
 * finds the key by its marker instead of creating a second one.
 */
final class NewKeyCreator {

    private static final Logger LOG = LoggerFactory.getLogger(NewKeyCreator.class);

    private final ClientEncryption encryption;
    private final MongoCollection<BsonDocument> keyVault;
    private final Journal journal;
    private final KmsRetry retry;

    NewKeyCreator(ClientEncryption encryption, MongoCollection<BsonDocument> keyVault, Journal journal, KmsRetry retry) {
        this.encryption = encryption;
        this.keyVault = keyVault;
        this.journal = journal;
        this.retry = retry;
    }

    /** The alt name a new key is created with: where it came from, and for which migration. */
    static String marker(String migrationId, UUID oldKey) {
        return markerPrefix(migrationId) + oldKey;
    }

    /** True for the marker alt name of any key the migration created. */
    static boolean isMarker(String migrationId, String altName) {
        return altName.startsWith(markerPrefix(migrationId));
    }

    private static String markerPrefix(String migrationId) {
        return "keyshift:" + migrationId + ":replaces:";
    }

    /** @return old key → new key for every key of the migration, created where missing */
    Map<UUID, UUID> ensure(MigrationRecord migration, MigrationListener listener) {
        Map<UUID, UUID> mapping = new LinkedHashMap<>(migration.rekey().oldToNew());
        List<UUID> oldKeys = migration.keyIds();
        for (UUID oldKey : oldKeys) {
            if (mapping.containsKey(oldKey)) {
                continue;
            }
            String marker = marker(migration.id(), oldKey);
            BsonDocument existing = keyVault.find(Filters.eq("keyAltNames", marker)).first();
            UUID newKey;
            if (existing != null) {
                newKey = existing.getBinary("_id").asUuid();
                LOG.info("Migration {}: new key {} for {} was created before a stop; journaling it", migration.id(), newKey, oldKey);
            } else {
                newKey = create(migration, oldKey, marker, mapping.size(), listener);
            }
            journal.keyMapped(migration.id(), new MigrationRecord.KeyPair(oldKey, newKey));
            mapping.put(oldKey, newKey);
            listener.keysCreated(mapping.size(), oldKeys.size());
        }
        return mapping;
    }

    private UUID create(MigrationRecord migration, UUID oldKey, String marker, int created, MigrationListener listener) {
        MigrationRecord.Target target = migration.target();
        try {
            return retry.run(() -> encryption.createDataKey(target.provider(),
                            new DataKeyOptions().masterKey(target.masterKey()).keyAltNames(List.of(marker))).asUuid(),
                    target.kmsName(), (attempt, delay, reason) -> listener.retrying("creating the key for " + oldKey, attempt, delay, reason));
        } catch (KmsRetry.GaveUp failure) {
            journal.stage(migration.id(), MigrationRecord.Stage.FAILED);
            LOG.error("Migration {}: creating the new key for {} failed after {} attempt(s)", migration.id(), oldKey,
                    failure.attempts(), failure.getCause());
            throw new KeyShiftException("Creating the new data key for " + oldKey + " under " + target.describe() + " failed after "
                    + failure.attempts() + " attempt(s): " + failure.getMessage() + ". " + created + " of "
                    + migration.keyIds().size() + " new key(s) are created and journaled, and no value has been changed;"
                    + " fix the cause and run `keyshift resume --migration " + migration.id() + "`.", failure);
        }
    }
}
