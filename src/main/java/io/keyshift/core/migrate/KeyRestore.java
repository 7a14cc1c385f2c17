package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyPreflight;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.kms.SourceProviders;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts backed-up data keys back, the door for {@code keyshift restore-keys} (and the wizard, later).
 * {@link #review} leaves the key vault as it is: it checks the backup's SHA-256 against the one its
 * migration's journal entry recorded (a hash inside the file proves nothing once the file is edited and
 * re-hashed), proves that every key to restore opens with its master key (of any provider), and lists what
 * would change key by key.
 * {@link #restore} then writes only what was reviewed, each key conditional on what the review read.
 */
public final class KeyRestore {

    /**
     * Where the keys to restore are proved: a KeyShift-owned collection beside the key vault, never the vault,
     * since libmongocrypt opens a data key only from a key vault and the vault holds the migrated keys.
     */
    static final String SCRATCH_COLLECTION = "keyshift_restore_checks";

    /** One key the restore would replace: as it is in the vault now, and as the backup has it. */
    public record KeyChange(UUID id, String currentProvider, Instant currentUpdate, String restoredProvider,
                            Instant restoredUpdate) {
    }

    /**
     * What a restore would do, found without writing.
     *
     * @param migrationId the journaled migration whose backup this is; null when it belongs to none
     * @param refusals    one sentence per reason the restore must not happen; empty when it may
     */
    public record Review(KeyVaultBackup.Contents backup, String migrationId, List<KeyChange> changes, int identical,
                         List<UUID> missingFromVault, List<String> refusals, Map<UUID, Replacement> replacements) {
        public Review {
            changes = List.copyOf(changes);
            missingFromVault = List.copyOf(missingFromVault);
            refusals = List.copyOf(refusals);
            replacements = Map.copyOf(replacements);
        }

        public boolean allowed() {
            return refusals.isEmpty();
        }
    }

    /** A key document as the review read it, and the backed-up one that would replace it. */
    public record Replacement(BsonDocument current, BsonDocument restored) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(KeyRestore.class);

    private final MongoClient client;
    private final MongoClientSettings clientSettings;
    private final String journalCollection;

    /** @param clientSettings the settings {@code client} was made with, for the ClientEncryption that proves keys */
    public KeyRestore(MongoClient client, MongoClientSettings clientSettings, String journalCollection) {
        this.client = client;
        this.clientSettings = clientSettings;
        this.journalCollection = journalCollection;
    }

    /**
     * Reads and checks everything; writes nothing to the key vault. Once the backup's hash is the journaled one,
     * the keys that would change are proved, each under its master key, through a ClientEncryption reading
     * them from a scratch collection beside the vault ({@value #SCRATCH_COLLECTION}), removed again.
     *
     * @param keyVaultGiven      the key vault the user named, or null to restore into the backup's own
     * @param migrationId        the migration the backup must belong to, or null to find it by its hash
     * @param acceptUnjournaled  the user confirmed a backup that belongs to no journaled migration
     * @param providers          what opens the backed-up keys, one provider per type or by name (as a
     *                           migration's sources); the caller owns and closes them
     */
    public Review review(Path backupFile, String keyVaultGiven, String migrationId, boolean acceptUnjournaled,
                         Collection<? extends KmsProvider> providers) {
        KeyVaultBackup.Contents backup = KeyVaultBackup.read(backupFile);
        if (keyVaultGiven != null && !keyVaultGiven.equals(backup.keyVaultNamespace())) {
            throw new KeyShiftException("The backup " + backupFile + " holds keys of " + backup.keyVaultNamespace()
                    + ", not of " + keyVaultGiven + ": a backup is restored only into the key vault it was taken from."
                    + " Give --key-vault " + backup.keyVaultNamespace() + ", or leave the option out. Nothing was written.");
        }
        MongoNamespace keyVault = KeyVault.namespace(backup.keyVaultNamespace());
        List<String> refusals = new ArrayList<>();
        String journaledBy = journalEntry(new Journal(client, keyVault, journalCollection), backupFile, backup, migrationId,
                acceptUnjournaled, refusals);

        List<KeyChange> changes = new ArrayList<>();
        Map<UUID, Replacement> replacements = new LinkedHashMap<>();
        List<UUID> missing = new ArrayList<>();
        int identical = 0;
        MongoCollection<BsonDocument> vault = collection(keyVault);
        for (BsonDocument restored : backup.keys()) {
            UUID id = restored.getBinary("_id").asUuid();
            BsonDocument current = vault.find(Filters.eq("_id", restored.get("_id"))).first();
            if (current == null) {
                missing.add(id);
            } else if (current.equals(restored)) {
                identical++;
            } else {
                changes.add(new KeyChange(id, provider(current), updateDate(current), provider(restored), updateDate(restored)));
                replacements.put(id, new Replacement(current, restored));
            }
        }
        // A backup whose hash is not the journaled one is not trusted enough to copy anywhere.
        if (refusals.isEmpty() && !replacements.isEmpty()) {
            List<BsonDocument> restoring = replacements.values().stream().map(Replacement::restored).toList();
            prove(keyVault, restoring, providers).failures().forEach(failure -> refusals.add("Data key "
                    + failure.keyId() + " in the backup does not open with its master key (" + failure.provider()
                    + "): " + failure.reason() + (failure.reason().endsWith(".") ? "" : ".")));
        }
        return new Review(backup, journaledBy, changes, identical, missing, refusals, replacements);
    }

    /** Writes what {@code review} showed; refuses a review with refusals, and stops at a key changed since. */
    public int restore(Review review) {
        if (!review.allowed()) {
            throw new KeyShiftException("The restore was refused: " + String.join(" ", review.refusals()));
        }
        MongoCollection<BsonDocument> vault = collection(KeyVault.namespace(review.backup().keyVaultNamespace()));
        int restored = 0;
        for (Map.Entry<UUID, Replacement> entry : review.replacements().entrySet()) {
            // Conditional on the document the review read: a change made since is not overwritten.
            if (vault.replaceOne(entry.getValue().current(), entry.getValue().restored()).getMatchedCount() != 1) {
                throw new KeyShiftException("Data key " + entry.getKey() + " changed since the review, so it was not"
                        + " restored (" + restored + " key(s) were). Run restore-keys again to review it as it is now.");
            }
            restored++;
        }
        LOG.info("Restored {} data keys from the backup {} ({} already identical, {} missing)", restored,
                review.backup().sha256(), review.identical(), review.missingFromVault().size());
        return restored;
    }

    /** The migration whose journal entry recorded this backup's hash; null, with a refusal or not, when none did. */
    private static String journalEntry(Journal journal, Path backupFile, KeyVaultBackup.Contents backup, String migrationId,
                                       boolean acceptUnjournaled, List<String> refusals) {
        if (migrationId != null) {
            MigrationRecord migration = journal.get(migrationId);
            if (!backup.sha256().equals(migration.backupSha256())) {
                refusals.add("The backup's SHA-256 " + backup.sha256() + " is not the one migration " + migrationId
                        + " recorded for its backup (" + migration.backupSha256() + "): this file is not that backup,"
                        + " or it was changed after it was written.");
            }
            return migrationId;
        }
        List<MigrationRecord> migrations = journal.list();
        Optional<MigrationRecord> byHash = migrations.stream().filter(m -> backup.sha256().equals(m.backupSha256())).findFirst();
        if (byHash.isPresent()) {
            return byHash.get().id();
        }
        Path file = backupFile.toAbsolutePath().normalize();
        Optional<MigrationRecord> byPath = migrations.stream()
                .filter(m -> m.backupFile().toAbsolutePath().normalize().equals(file)).findFirst();
        if (byPath.isPresent()) {
            refusals.add("Migration " + byPath.get().id() + " wrote its backup to this path with SHA-256 "
                    + byPath.get().backupSha256() + ", but the file's is now " + backup.sha256() + ": it was changed"
                    + " after it was written.");
        } else if (!acceptUnjournaled) {
            refusals.add("The backup belongs to no migration journaled in " + journal.namespace() + ", so its hash"
                    + " cannot be checked against one the cluster recorded. If you know where this file comes from,"
                    + " run again with --accept-unjournaled.");
        }
        return null;
    }

    /** Each key's check under the provider of its name, as a migration's preflight checks its keys. */
    private PreflightReport prove(MongoNamespace keyVault, List<BsonDocument> keys,
                                  Collection<? extends KmsProvider> providers) {
        MongoNamespace scratch = new MongoNamespace(keyVault.getDatabaseName(), SCRATCH_COLLECTION);
        MongoCollection<BsonDocument> scratchKeys = collection(scratch);
        scratchKeys.drop(); // left by a restore that was killed while proving
        try {
            scratchKeys.insertMany(keys);
            List<DataKey> dataKeys = KeyVault.open(client, scratch).listAll(Filters.empty(), keys.size());
            try (SourceProviders sources = SourceProviders.forKeys(dataKeys, providers)) {
                return new KeyPreflight(clientSettings, scratch, "This backup's copy of it is damaged: restore from"
                        + " another backup, or leave the key as it is in the vault.").check(sources, dataKeys);
            }
        } finally {
            scratchKeys.drop();
        }
    }

    private MongoCollection<BsonDocument> collection(MongoNamespace keyVault) {
        return client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName(), BsonDocument.class)
                .withReadConcern(ReadConcern.MAJORITY).withWriteConcern(WriteConcern.MAJORITY);
    }

    private static String provider(BsonDocument key) {
        return key.getDocument("masterKey").getString("provider").getValue();
    }

    private static Instant updateDate(BsonDocument key) {
        return key.isDateTime("updateDate") ? Instant.ofEpochMilli(key.getDateTime("updateDate").getValue()) : null;
    }
}
