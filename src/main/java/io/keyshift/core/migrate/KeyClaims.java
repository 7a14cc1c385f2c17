package io.keyshift.core.migrate;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One migration per key at a time. An unfinished migration holds an exclusive claim on each of its
 * keys: one document per key in a collection next to the key vault, whose {@code _id} is the key id,
 * so the server's {@code _id} uniqueness makes a claim atomic on every MongoDB-compatible server
 * (no partial or unique secondary index needed). Claims are inserted in key-id order by one ordered
 * insertMany: of two migrations racing for overlapping keys, the first to insert their lowest common
 * key wins and the other stops there and takes back what it inserted. A crashed run keeps its
 * claims; only DONE or ABANDONED releases them.
 *
 * <p>Migrations journaled before claims existed hold no claim document, so their unfinished journal
 * entries count as holding their keys too.
 */
final class KeyClaims {

    public static final String COLLECTION = "keyshift_key_claims";

    private static final Logger LOG = LoggerFactory.getLogger(KeyClaims.class);

    private final MongoClient client;
    private final MongoNamespace keyVault;
    private final Journal journal;
    private final MongoCollection<BsonDocument> claims;

    public KeyClaims(MongoClient client, MongoNamespace keyVault, Journal journal) {
        this.client = client;
        this.keyVault = keyVault;
        this.journal = journal;
        this.claims = client.getDatabase(keyVault.getDatabaseName()).getCollection(COLLECTION, BsonDocument.class)
                .withReadConcern(ReadConcern.MAJORITY)
                .withWriteConcern(WriteConcern.MAJORITY);
    }

    /** Every unfinished migration holding any of these keys, by claim or by an unfinished journal entry. Reads only. */
    public List<UnfinishedMigration> unfinishedOn(Collection<UUID> keyIds) {
        Set<UUID> asked = Set.copyOf(keyIds);
        Map<String, List<BsonDocument>> claimsByMigration = new LinkedHashMap<>();
        claims.find(Filters.in("_id", asked.stream().map(BsonBinary::new).toList()))
                .forEach(claim -> claimsByMigration.computeIfAbsent(claim.getString("migration").getValue(),
                        id -> new ArrayList<>()).add(claim));
        List<UnfinishedMigration> holders = new ArrayList<>();
        claimsByMigration.forEach((id, held) -> {
            BsonDocument first = held.get(0);
            List<UUID> keys = held.stream().map(claim -> claim.getBinary("_id").asUuid()).toList();
            Optional<MigrationRecord> record = journalOf(first).find(id);
            if (record.isEmpty()) {
                holders.add(new UnfinishedMigration(id, Strategy.valueOf(first.getString("strategy").getValue()), null,
                        first.getString("claimedBy").getValue(),
                        Instant.ofEpochMilli(first.getDateTime("claimedAt").getValue()), keys));
            } else if (record.get().stage().resumable()) {
                holders.add(holding(record.get(), keys));
            }
        });
        for (MigrationRecord migration : journal.list()) {
            List<UUID> keys = migration.keyIds().stream().filter(asked::contains).toList();
            if (migration.stage().resumable() && !keys.isEmpty() && !claimsByMigration.containsKey(migration.id())) {
                holders.add(holding(migration, keys));
            }
        }
        return holders;
    }

    /**
     * Claims every key of the migration that it does not hold yet, or nothing: when another migration
     * holds any of them, the claims inserted here are taken back and the refusal names the holder.
     */
    void claim(String migrationId, Strategy strategy, String claimedBy, Collection<UUID> keyIds) {
        // One read of the migration's own claims says what is left to claim (a run's resume: usually nothing).
        Set<UUID> mine = new HashSet<>(heldBy(migrationId));
        List<UUID> wanted = keyIds.stream().filter(id -> !mine.contains(id)).distinct().sorted().toList();
        if (wanted.isEmpty()) {
            return;
        }
        // A key this migration holds can be held by no other: only the others may be held by a finished one.
        releaseFinishedOn(wanted);
        BsonDateTime now = new BsonDateTime(System.currentTimeMillis());
        List<BsonDocument> documents = wanted.stream().map(id -> new BsonDocument("_id", new BsonBinary(id))
                .append("migration", new BsonString(migrationId))
                .append("journal", new BsonString(journal.collectionName()))
                .append("strategy", new BsonString(strategy.name()))
                .append("claimedBy", new BsonString(claimedBy))
                .append("claimedAt", now)).toList();
        try {
            claims.insertMany(documents, new InsertManyOptions().ordered(true));
        } catch (MongoBulkWriteException e) {
            claims.deleteMany(Filters.and(idIn(wanted), Filters.eq("migration", migrationId)));
            boolean heldByAnother = e.getWriteErrors().stream()
                    .allMatch(error -> ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY);
            if (!heldByAnother) {
                throw e;
            }
            List<UnfinishedMigration> holders = unfinishedOn(keyIds).stream()
                    .filter(holder -> !holder.id().equals(migrationId)).toList();
            LOG.info("Migration {} refused: its keys are held by {}", migrationId,
                    holders.stream().map(UnfinishedMigration::id).toList());
            throw new MigrationBlockedException(holders.isEmpty()
                    ? "Another migration held some of the selected keys a moment ago and has just released them. Nothing"
                      + " was written; plan again."
                    : holders.get(0).sentence() + " Nothing was written.");
        }
        LOG.info("Migration {} claimed {} key(s) in {}", migrationId, wanted.size(), namespace());
    }

    /** Releases every key the migration holds; called once it is DONE or ABANDONED. */
    long release(String migrationId) {
        long released = claims.deleteMany(Filters.eq("migration", migrationId)).getDeletedCount();
        LOG.info("Migration {} released {} key claim(s)", migrationId, released);
        return released;
    }

    /** The keys the migration holds by claim. */
    List<UUID> heldBy(String migrationId) {
        List<UUID> held = new ArrayList<>();
        claims.find(Filters.eq("migration", migrationId)).projection(Projections.include("_id"))
                .forEach(claim -> held.add(claim.getBinary("_id").asUuid()));
        return held;
    }

    /** When the claims of a migration were taken, its strategy and who took them; empty when it holds none. */
    Optional<UnfinishedMigration> claimedOnly(String migrationId) {
        List<BsonDocument> held = claims.find(Filters.eq("migration", migrationId)).into(new ArrayList<>());
        if (held.isEmpty()) {
            return Optional.empty();
        }
        BsonDocument first = held.get(0);
        return Optional.of(new UnfinishedMigration(migrationId, Strategy.valueOf(first.getString("strategy").getValue()), null,
                first.getString("claimedBy").getValue(), Instant.ofEpochMilli(first.getDateTime("claimedAt").getValue()),
                held.stream().map(claim -> claim.getBinary("_id").asUuid()).toList()));
    }

    public String namespace() {
        return claims.getNamespace().getFullName();
    }

    /**
     * Claims left by a migration that is DONE or ABANDONED (it stopped between its last stage and the
     * release) hold nothing any more: a finished migration never takes a claim again.
     */
    private void releaseFinishedOn(Collection<UUID> keyIds) {
        Set<String> seen = new HashSet<>();
        claims.find(idIn(keyIds)).forEach(claim -> {
            String id = claim.getString("migration").getValue();
            if (seen.add(id) && journalOf(claim).find(id).filter(record -> !record.stage().resumable()).isPresent()) {
                release(id);
            }
        });
    }

    private Journal journalOf(BsonDocument claim) {
        String name = claim.getString("journal").getValue();
        return name.equals(journal.collectionName()) ? journal : new Journal(client, keyVault, name);
    }

    private static UnfinishedMigration holding(MigrationRecord migration, List<UUID> keys) {
        return new UnfinishedMigration(migration.id(), migration.strategy(), migration.stage(), migration.createdBy(),
                migration.createdAt(), keys);
    }

    private static Bson idIn(Collection<UUID> keyIds) {
        return Filters.in("_id", keyIds.stream().map(BsonBinary::new).toList());
    }
}
