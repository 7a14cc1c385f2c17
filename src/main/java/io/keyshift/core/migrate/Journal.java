package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Migrations journaled in the cluster, in a collection next to the key vault, so a migration
 * resumes after a crash from this workstation or another. Reads majority, writes majority: what the
 * journal says survives a failover.
 */
final class Journal {

    public static final String DEFAULT_COLLECTION = "keyshift_migrations";

    private final MongoCollection<BsonDocument> collection;
    private final String collectionName;

    public Journal(MongoClient client, MongoNamespace keyVault, String collectionName) {
        requireValidName(collectionName);
        this.collection = client.getDatabase(keyVault.getDatabaseName())
                .getCollection(collectionName, BsonDocument.class)
                .withReadConcern(ReadConcern.MAJORITY)
                .withWriteConcern(WriteConcern.MAJORITY);
        this.collectionName = collectionName;
    }

    public String collectionName() {
        return collectionName;
    }

    /** Checked before the name reaches the server, whose answer to a bad name is an error code, not a reason. */
    private static void requireValidName(String name) {
        if (name.isEmpty() || name.contains("$") || name.contains("\0") || name.startsWith("system.")) {
            throw new KeyShiftException("The journal collection name \"" + name + "\" is not one MongoDB accepts: a collection"
                    + " name may not be empty, contain '$' or a null character, or start with \"system.\". Give another"
                    + " name, or leave it out for the default " + DEFAULT_COLLECTION + ".");
        }
    }

    public String namespace() {
        return collection.getNamespace().getFullName();
    }

    public void create(MigrationRecord record) {
        collection.insertOne(record.toBson());
    }

    public Optional<MigrationRecord> find(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first()).map(MigrationRecord::fromBson);
    }

    public MigrationRecord get(String id) {
        return find(id).orElseThrow(() -> new KeyShiftException("There is no migration " + id + " in " + namespace()
                + ": list them with `keyshift migrations`."));
    }

    /** Every journaled migration, newest first. */
    public List<MigrationRecord> list() {
        return collection.find().sort(Sorts.descending("createdAt")).map(MigrationRecord::fromBson)
                .into(new ArrayList<>());
    }

    public void stage(String id, MigrationRecord.Stage stage) {
        update(id, Updates.set("stage", new BsonString(stage.name())));
    }

    /** Removes the entry of a migration whose backup could not be written: it wrote nothing else. */
    void forgetPlanned(String id) {
        collection.deleteOne(Filters.and(Filters.eq("_id", id),
                Filters.eq("stage", MigrationRecord.Stage.PLANNED.name())));
    }

    public void backedUp(String id, String sha256) {
        update(id, Updates.combine(Updates.set("backup.sha256", new BsonString(sha256)),
                Updates.set("stage", new BsonString(MigrationRecord.Stage.BACKED_UP.name()))));
    }

    public void chunk(String id, MigrationRecord.Chunk chunk) {
        update(id, Updates.set("chunks." + chunk.index(), MigrationRecord.chunkToBson(chunk)));
    }

    public void addRetries(String id, long retries) {
        if (retries > 0) {
            update(id, Updates.inc("retries", retries));
        }
    }

    public void warn(String id, String warning) {
        update(id, Updates.push("warnings", new BsonString(warning)));
    }

    /** Records a new key for an old one; called right after the new key is created, before any data changes. */
    public void keyMapped(String id, MigrationRecord.KeyPair pair) {
        update(id, Updates.push("dekMapping", MigrationRecord.keyPairToBson(pair)));
    }

    /** Saves where a collection's re-encryption stands; {@code index} is its place in the migration's list. */
    public void checkpoint(String id, int index, MigrationRecord.CollectionCheckpoint checkpoint) {
        update(id, Updates.set("rekey.collections." + index, MigrationRecord.checkpointToBson(checkpoint)));
    }

    /** How a REKEY or DECRYPT runs from now on: documents per batch and batches in parallel. */
    public void runSettings(String id, int batchSize, int workers) {
        update(id, Updates.combine(Updates.set("rekey.batchSize", new org.bson.BsonInt32(batchSize)),
                Updates.set("rekey.workers", new org.bson.BsonInt32(workers))));
    }

    public void altNamesMoved(String id) {
        update(id, Updates.set("altNamesMoved", org.bson.BsonBoolean.TRUE));
    }

    /** Records what the schema step did, once it is settled: rewritten, nothing to change, or no schema map. */
    public void schemaSettled(String id, SchemaOutcome outcome) {
        update(id, Updates.set("schema", outcome.toBson()));
    }

    /** What the schema step did; empty for REWRAP and before the schema step is settled. */
    public Optional<SchemaOutcome> schemaOutcome(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first())
                .filter(entry -> entry.isDocument("schema"))
                .map(entry -> SchemaOutcome.fromBson(entry.getDocument("schema")));
    }

    /** Records a run starting or stopping, for the migration's report. */
    public void event(String id, MigrationEvent event) {
        update(id, Updates.push("events", event.toBson()));
    }

    /** Every run's start and stop, oldest first; empty for an entry journaled before events were. */
    public List<MigrationEvent> events(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first())
                .map(entry -> entry.getArray("events", new org.bson.BsonArray()).stream()
                        .map(event -> MigrationEvent.fromBson(event.asDocument())).toList())
                .orElse(List.of());
    }

    public void verification(String id, BsonDocument verification) {
        update(id, Updates.set("verification", verification));
    }

    /** When the entry was last written: a run in progress writes it at every stage, chunk and batch. */
    long updatedAt(String id) {
        BsonDocument entry = collection.find(Filters.eq("_id", id)).first();
        return entry == null ? 0 : entry.getDateTime("updatedAt").getValue();
    }

    /**
     * Marks the migration ABANDONED, only if its entry was not written since {@code updatedAtSeen}: a
     * run still going somewhere writes it, and then the migration is not abandoned.
     *
     * @return false when the entry changed meanwhile
     */
    boolean abandon(String id, long updatedAtSeen, BsonDocument details) {
        return collection.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("updatedAt", new BsonDateTime(updatedAtSeen))),
                Updates.combine(Updates.set("stage", new BsonString(MigrationRecord.Stage.ABANDONED.name())),
                        Updates.set("abandoned", details),
                        Updates.set("updatedAt", new BsonDateTime(System.currentTimeMillis())))).getMatchedCount() == 1;
    }

    /** Every write of a run is refused once the migration is abandoned, so a run still going stops at its next step. */
    private void update(String id, org.bson.conversions.Bson change) {
        long matched = collection.updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.ne("stage", MigrationRecord.Stage.ABANDONED.name())),
                Updates.combine(change, Updates.set("updatedAt", new BsonDateTime(System.currentTimeMillis()))))
                .getMatchedCount();
        if (matched != 1) {
            if (find(id).isPresent()) {
                throw new KeyShiftException("Migration " + id + " was abandoned (`keyshift abandon`) while this run was"
                        + " going, so this run stops here. Check the key vault with `keyshift inspect`.");
            }
            throw new KeyShiftException("The journal entry of migration " + id + " is gone from " + namespace()
                    + "; someone removed it. Stop here and check the key vault with `keyshift inspect`.");
        }
    }
}
