package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.scan.UsageScanner;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Abandons an unfinished migration, so its keys may be migrated again: the door behind
 * {@code keyshift abandon} and the Plan page's Abandon. {@link #plan} reads only and says what
 * {@link #abandon} will do; the caller asks for a typed confirmation in between.
 *
 * <p>REKEY: the new keys the migration created are deleted, but only after a full scan of every
 * collection proves no value is encrypted under them (a value under a new key is only readable with
 * it, so then resuming is the only way); keyAltNames moved to them go back to the old keys as the
 * backup has them. REWRAP and DECRYPT: nothing they wrote is undone (a rewrapped key is as good as the
 * old one; {@code keyshift restore-keys} puts the backup back for whoever wants it). In every case the
 * journal entry becomes ABANDONED (never resumable) and the key claims are released.
 *
 * <p>A run still going elsewhere writes its journal entry at every step: the entry is marked only if
 * it was not written during the scan, and every later write of that run is refused, so it stops.
 */
public final class Abandonment {

    /**
     * What abandoning a migration will do, as read before the confirmation.
     *
     * @param target where the migration moves keys, in words: {@code the CMK}, {@code kmip (key 12)} …
     */
    public record Plan(String migrationId, Strategy strategy, MigrationRecord.Stage stage, String startedBy,
                       Instant startedAt, List<UUID> heldKeys, Map<UUID, UUID> newToOld, int keysRewrapped,
                       int keyCount, Path backupFile, String target) {

        public Plan {
            heldKeys = List.copyOf(heldKeys);
            newToOld = Map.copyOf(newToOld);
        }

        /** The migration as the holder of its keys (its stage, who started it, when). */
        public UnfinishedMigration holder() {
            return new UnfinishedMigration(migrationId, strategy, stage, startedBy, startedAt, heldKeys);
        }

        /** What abandoning does, in sentences, for the confirmation. */
        public List<String> describe() {
            UnfinishedMigration holder = holder();
            List<String> lines = new ArrayList<>();
            lines.add("Abandon migration " + migrationId + " (" + strategy + ", started " + holder.startedInWords() + " by "
                    + startedBy + "): " + holder.stageInWords() + ".");
            if (stage == null) {
                lines.add("It wrote nothing but its claim on " + heldKeys.size() + " key(s); abandoning releases them.");
                return lines;
            }
            switch (strategy) {
                case REKEY -> {
                    if (newToOld.isEmpty()) {
                        lines.add("It created no new key yet; nothing is deleted.");
                    } else {
                        lines.add("It created " + newToOld.size() + " new key(s). They are deleted once a full scan of every"
                                + " collection proves that no value is encrypted under them (if one is, nothing is"
                                + " abandoned and resuming is the only way):");
                        newToOld.forEach((newKey, oldKey) -> lines.add("  " + newKey + " (replaces " + oldKey + ")"));
                        lines.add("keyAltNames moved to them go back to the old keys, as the backup " + backupFile
                                + " has them. The old keys and every value under them stay as they are.");
                        lines.add("If applications already use a schema map naming the new keys, switch them back first.");
                    }
                }
                case REWRAP -> lines.add("Abandoning does not undo what it wrote: " + keysRewrapped + " of " + keyCount
                        + " key(s) are already rewrapped under " + target + " and stay so. To put every key back as it was, run `"
                        + restoreCommand() + "` yourself.");
                case DECRYPT -> lines.add("Abandoning does not undo what it wrote: values already decrypted stay"
                        + " plaintext, and encrypt rules removed from schemas stay removed. Its keys were not changed; the"
                        + " backup " + backupFile + " holds them (`" + restoreCommand() + "`).");
            }
            lines.add("The journal then marks it abandoned (it can no longer be resumed) and its claim on "
                    + heldKeys.size() + " key(s) is released, so they can be migrated again.");
            return lines;
        }

        /** The command that puts the keys back as the migration's backup has them. */
        public String restoreCommand() {
            return "keyshift restore-keys --uri … --file " + backupFile;
        }
    }

    /** What abandoning did. */
    public record Result(String migrationId, Strategy strategy, List<UUID> deletedKeys, int altNamesRestored,
                         long claimsReleased, String restoreCommand, String target) {

        public Result {
            deletedKeys = List.copyOf(deletedKeys);
        }

        /** What was done, in sentences. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            lines.add("Migration " + migrationId + " is abandoned; " + claimsReleased + " key claim(s) released.");
            if (!deletedKeys.isEmpty()) {
                lines.add("Deleted the " + deletedKeys.size() + " new key(s) it had created:");
                deletedKeys.forEach(key -> lines.add("  " + key));
            }
            if (altNamesRestored > 0) {
                lines.add(altNamesRestored + " keyAltName(s) put back on the old keys.");
            }
            if (strategy == Strategy.REWRAP) {
                lines.add("Keys it rewrapped stay under " + target + "; `" + restoreCommand + "` puts them back as they were.");
            }
            return lines;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Abandonment.class);
    private static final int FINDINGS_LISTED = 3;

    private final MongoClient client;
    private final MongoNamespace keyVault;
    private final Journal journal;
    private final KeyClaims claims;

    Abandonment(MongoClient client, MongoNamespace keyVault, String journalCollection) {
        this.client = client;
        this.keyVault = keyVault;
        this.journal = new Journal(client, keyVault, journalCollection);
        this.claims = new KeyClaims(client, keyVault, journal);
    }

    /** What abandoning the migration would do. Reads only. */
    Plan plan(String migrationId) {
        var entry = journal.find(migrationId);
        if (entry.isEmpty()) {
            return claims.claimedOnly(migrationId)
                    .map(held -> new Plan(migrationId, held.strategy(), null, held.startedBy(), held.startedAt(),
                            held.heldKeys(), Map.of(), 0, 0, null, "its target"))
                    .orElseThrow(() -> new KeyShiftException("There is no migration " + migrationId + " in " + journal.namespace()
                            + " and no key is claimed by it: list them with `keyshift migrations`."));
        }
        MigrationRecord migration = entry.get();
        if (migration.stage() == MigrationRecord.Stage.DONE) {
            throw new KeyShiftException("Migration " + migrationId + " is done and verified; there is nothing to abandon.");
        }
        Map<UUID, UUID> newToOld = new LinkedHashMap<>();
        if (migration.strategy() == Strategy.REKEY) {
            newKeys(migration).forEach((oldKey, newKey) -> newToOld.put(newKey, oldKey));
        }
        List<UUID> held = claims.heldBy(migrationId);
        if (migration.stage() == MigrationRecord.Stage.ABANDONED && newToOld.isEmpty() && held.isEmpty()) {
            throw new KeyShiftException("Migration " + migrationId + " is already abandoned; it holds no key.");
        }
        return new Plan(migrationId, migration.strategy(), migration.stage(), migration.createdBy(), migration.createdAt(),
                held.isEmpty() ? migration.keyIds() : held, newToOld, migration.keysDone(), migration.keyCount(),
                migration.backupFile(), target(migration.target()));
    }

    private static String target(MigrationRecord.Target target) {
        return target == null ? "its target" : target.cmk() != null ? "the CMK" : target.describe();
    }

    /**
     * Abandons the migration as planned; call it only after the user confirmed the plan.
     *
     * @throws MigrationBlockedException when a value is encrypted under a key the migration created, or
     *                                   the migration is being run right now; nothing is changed then
     */
    Result abandon(Plan plan) {
        String id = plan.migrationId();
        if (plan.stage() == null) {
            return new Result(id, plan.strategy(), List.of(), 0, claims.release(id), plan.restoreCommand(), plan.target());
        }
        MigrationRecord migration = journal.get(id);
        if (migration.stage() != plan.stage()) {
            throw new MigrationBlockedException("Migration " + id + " moved on since it was shown (it is now "
                    + migration.stage().inWords() + "): it is being run somewhere. Nothing was abandoned; stop that run"
                    + " first, then abandon again.");
        }
        long seen = journal.updatedAt(id);
        Map<UUID, UUID> oldToNew = migration.strategy() == Strategy.REKEY ? newKeys(migration) : Map.of();
        if (!oldToNew.isEmpty()) {
            refuseIfUsed(id, Set.copyOf(oldToNew.values()));
        }
        if (migration.stage() != MigrationRecord.Stage.ABANDONED && !journal.abandon(id, seen, abandonedDetails(oldToNew))) {
            throw new MigrationBlockedException("Migration " + id + " was written to while its abandon was being checked:"
                    + " it is being run somewhere. Nothing was abandoned; stop that run first, then abandon again.");
        }
        int altNames = 0;
        if (!oldToNew.isEmpty()) {
            altNames = putAltNamesBack(migration, oldToNew);
            keyVaultCollection().deleteMany(Filters.in("_id", oldToNew.values().stream().map(BsonBinary::new).toList()));
        }
        long released = claims.release(id);
        LOG.info("Migration {} abandoned: {} new key(s) deleted, {} alt name(s) put back, {} claim(s) released", id,
                oldToNew.size(), altNames, released);
        return new Result(id, migration.strategy(), List.copyOf(oldToNew.values()), altNames, released, plan.restoreCommand(),
                plan.target());
    }

    /**
     * Old key → new key for every key the REKEY created: journaled, or created and stopped before the
     * journal recorded it (found by the marker alt name it was created with).
     */
    private Map<UUID, UUID> newKeys(MigrationRecord migration) {
        Map<UUID, UUID> oldToNew = new LinkedHashMap<>(migration.rekey().oldToNew());
        for (UUID oldKey : migration.keyIds()) {
            if (!oldToNew.containsKey(oldKey)) {
                BsonDocument created = keyVaultCollection()
                        .find(Filters.eq("keyAltNames", NewKeyCreator.marker(migration.id(), oldKey))).first();
                if (created != null) {
                    oldToNew.put(oldKey, created.getBinary("_id").asUuid());
                }
            }
        }
        oldToNew.values().removeIf(newKey -> keyVaultCollection().countDocuments(Filters.eq("_id", new BsonBinary(newKey))) == 0);
        return oldToNew;
    }

    /** A full scan of every user collection: a value under a new key means the keys must stay. */
    private void refuseIfUsed(String migrationId, Set<UUID> newKeys) {
        long found = 0;
        List<String> examples = new ArrayList<>();
        UsageScanner scanner = new UsageScanner(client);
        for (MongoNamespace namespace : scanner.userNamespaces(keyVault)) {
            for (BsonDocument document : client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class)
                    .withReadConcern(ReadConcern.MAJORITY).find()) {
                long[] inDocument = {0};
                Ciphertexts.forEach(document, (path, ciphertext) -> {
                    if (underOneOf(ciphertext, newKeys)) {
                        inDocument[0]++;
                        if (examples.size() < FINDINGS_LISTED) {
                            examples.add(namespace.getFullName() + " _id " + DocumentIds.describe(document.get("_id"))
                                    + " field " + path);
                        }
                    }
                });
                found += inDocument[0];
            }
        }
        if (found > 0) {
            throw new MigrationBlockedException(found + " value(s) are encrypted under the new keys of migration "
                    + migrationId + " (" + String.join("; ", examples) + (found > examples.size() ? "; …" : "")
                    + "). Deleting those keys would make them unreadable, so the migration was not abandoned and nothing"
                    + " was changed. Resuming it is the only way: `keyshift resume --migration " + migrationId + "`.");
        }
    }

    private static boolean underOneOf(BsonBinary ciphertext, Set<UUID> keys) {
        try {
            return keys.contains(CiphertextHeader.parse(ciphertext).keyId());
        } catch (KeyShiftException notCiphertext) {
            return false;
        }
    }

    /**
     * The alt names the old keys had in the backup, put back on them from the new keys (where they were
     * moved after verification, or part-way when a run stopped while moving them).
     */
    private int putAltNamesBack(MigrationRecord migration, Map<UUID, UUID> oldToNew) {
        boolean carryOtherNames = keyVaultCollection().find(Filters.in("_id", oldToNew.values().stream().map(BsonBinary::new).toList()))
                .into(new ArrayList<>()).stream()
                .flatMap(key -> key.getArray("keyAltNames", new BsonArray()).stream())
                .anyMatch(name -> !NewKeyCreator.isMarker(migration.id(), name.asString().getValue()));
        if (!carryOtherNames && migration.stage() != MigrationRecord.Stage.MOVING_ALT_NAMES) {
            return 0; // nothing was moved: the backup is not needed, wherever it is
        }
        Map<UUID, List<String>> moved = new LinkedHashMap<>();
        Map<UUID, UUID> newToOld = new LinkedHashMap<>();
        List<BsonDocument> backedUp = KeyVaultBackup.read(migration.backupFile()).keys();
        for (BsonDocument key : backedUp) {
            UUID oldKey = key.getBinary("_id").asUuid();
            UUID newKey = oldToNew.get(oldKey);
            if (newKey != null) {
                moved.put(newKey, key.getArray("keyAltNames", new BsonArray()).stream()
                        .map(BsonValue::asString).map(BsonString::getValue).toList());
                newToOld.put(newKey, oldKey);
            }
        }
        return new AltNameMover(keyVaultCollection()).move(moved, newToOld);
    }

    private static BsonDocument abandonedDetails(Map<UUID, UUID> oldToNew) {
        return new BsonDocument("at", new BsonDateTime(System.currentTimeMillis()))
                .append("by", new BsonString(MigrationIds.whoAmI()))
                .append("deletedKeys", new BsonArray(oldToNew.values().stream().map(id -> (BsonValue) new BsonBinary(id)).toList()));
    }

    private MongoCollection<BsonDocument> keyVaultCollection() {
        return client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName(), BsonDocument.class)
                .withWriteConcern(WriteConcern.MAJORITY)
                .withReadConcern(ReadConcern.MAJORITY);
    }
}
