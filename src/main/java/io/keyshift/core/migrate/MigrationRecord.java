package io.keyshift.core.migrate;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One migration as the journal holds it: enough to resume it from this workstation or another.
 *
 * @param sourceProvider the provider the selected keys are under now ({@code local}, {@code local:old})
 * @param chunks         the keys in the order they are rewrapped, with what happened to each chunk
 */
public record MigrationRecord(String id,
                              Strategy strategy,
                              String createdBy,
                              Instant createdAt,
                              String keyVault,
                              String sourceProvider,
                              Target target,
                              Path backupFile,
                              String backupSha256,
                              Stage stage,
                              List<Chunk> chunks,
                              long retries,
                              List<String> warnings) {

    /** Where a migration stands. */
    public enum Stage {
        PLANNED, BACKED_UP, REWRAPPING, INTERRUPTED, VERIFYING, DONE, FAILED;

        /** True when {@code keyshift resume} can take the migration further. */
        public boolean resumable() {
            return this != DONE;
        }
    }

    /** The AWS CMK the keys move to. */
    public record Target(String region, String cmk, String endpoint) {
    }

    /** A batch of keys rewrapped by one rewrapManyDataKey call. */
    public record Chunk(int index, List<UUID> keyIds, boolean done, int rewrapped, int attempts) {
        public Chunk {
            keyIds = List.copyOf(keyIds);
        }
    }

    public MigrationRecord {
        chunks = List.copyOf(chunks);
        warnings = List.copyOf(warnings);
    }

    public int keyCount() {
        return chunks.stream().mapToInt(chunk -> chunk.keyIds().size()).sum();
    }

    public List<UUID> keyIds() {
        return chunks.stream().flatMap(chunk -> chunk.keyIds().stream()).toList();
    }

    public int keysDone() {
        return chunks.stream().filter(Chunk::done).mapToInt(chunk -> chunk.keyIds().size()).sum();
    }

    BsonDocument toBson() {
        BsonDocument target = new BsonDocument("provider", new BsonString("aws"))
                .append("region", new BsonString(this.target.region()))
                .append("cmk", new BsonString(this.target.cmk()));
        if (this.target.endpoint() != null) {
            target.append("endpoint", new BsonString(this.target.endpoint()));
        }
        BsonArray chunkArray = new BsonArray();
        chunks.forEach(chunk -> chunkArray.add(chunkToBson(chunk)));
        return new BsonDocument("_id", new BsonString(id))
                .append("strategy", new BsonString(strategy.name()))
                .append("createdBy", new BsonString(createdBy))
                .append("createdAt", new BsonDateTime(createdAt.toEpochMilli()))
                .append("updatedAt", new BsonDateTime(createdAt.toEpochMilli()))
                .append("keyVault", new BsonString(keyVault))
                .append("sourceProvider", new BsonString(sourceProvider))
                .append("target", target)
                .append("backup", new BsonDocument("path", new BsonString(backupFile.toString()))
                        .append("sha256", new BsonString(backupSha256 == null ? "" : backupSha256)))
                .append("stage", new BsonString(stage.name()))
                .append("chunks", chunkArray)
                .append("retries", new BsonInt64(retries))
                .append("warnings", new BsonArray(warnings.stream().map(w -> (BsonValue) new BsonString(w)).toList()));
    }

    static BsonDocument chunkToBson(Chunk chunk) {
        return new BsonDocument("index", new BsonInt32(chunk.index()))
                .append("keyIds", new BsonArray(chunk.keyIds().stream().map(id -> (BsonValue) new BsonBinary(id)).toList()))
                .append("status", new BsonString(chunk.done() ? "DONE" : "PENDING"))
                .append("rewrapped", new BsonInt32(chunk.rewrapped()))
                .append("attempts", new BsonInt32(chunk.attempts()));
    }

    static MigrationRecord fromBson(BsonDocument doc) {
        BsonDocument target = doc.getDocument("target");
        BsonDocument backup = doc.getDocument("backup");
        List<Chunk> chunks = doc.getArray("chunks").stream().map(BsonValue::asDocument).map(chunk -> new Chunk(
                chunk.getInt32("index").getValue(),
                chunk.getArray("keyIds").stream().map(id -> id.asBinary().asUuid()).toList(),
                chunk.getString("status").getValue().equals("DONE"),
                chunk.getInt32("rewrapped").getValue(),
                chunk.getInt32("attempts").getValue())).toList();
        String sha = backup.getString("sha256").getValue();
        return new MigrationRecord(doc.getString("_id").getValue(),
                Strategy.valueOf(doc.getString("strategy").getValue()),
                doc.getString("createdBy").getValue(),
                Instant.ofEpochMilli(doc.getDateTime("createdAt").getValue()),
                doc.getString("keyVault").getValue(),
                doc.getString("sourceProvider").getValue(),
                new Target(target.getString("region").getValue(), target.getString("cmk").getValue(),
                        target.containsKey("endpoint") ? target.getString("endpoint").getValue() : null),
                Path.of(backup.getString("path").getValue()),
                sha.isEmpty() ? null : sha,
                Stage.valueOf(doc.getString("stage").getValue()),
                chunks,
                doc.getNumber("retries").longValue(),
                doc.getArray("warnings").stream().map(w -> w.asString().getValue()).toList());
    }
}
