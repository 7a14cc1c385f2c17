package io.keyshift.core.migrate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.model.vault.RewrapManyDataKeyResult;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.migrate.MigrationResult.Outcome;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Rewraps a journaled migration's keys chunk by chunk with {@code rewrapManyDataKey}. Each chunk's
 * filter names its keys AND the old provider, so re-running a chunk (after a crash, a retry or a
 * resume) never rewraps a key twice. A chunk is marked done in the journal only after the key vault
 * shows none of its keys under the old provider.
 */
public final class Rewrapper {

    private static final Logger LOG = LoggerFactory.getLogger(Rewrapper.class);

    private final ClientEncryption encryption;
    private final MongoCollection<BsonDocument> keyVault;
    private final Journal journal;
    private final KmsRetry retry;

    /**
     * @param encryption knows the old local provider (to unwrap) and aws (to wrap)
     * @param keyVault   the key vault collection, to confirm each chunk's result
     */
    public Rewrapper(ClientEncryption encryption, MongoCollection<BsonDocument> keyVault, Journal journal, KmsRetry retry) {
        this.encryption = encryption;
        this.keyVault = keyVault;
        this.journal = journal;
        this.retry = retry;
    }

    /**
     * Rewraps every chunk not yet done. Cancellation is checked between chunks, never inside one.
     *
     * @throws KeyShiftException when a chunk fails for good; the journal then says which chunks are done
     */
    public Outcome run(MigrationRecord migration, BsonDocument awsMasterKey, RewrapListener listener, BooleanSupplier cancelled) {
        List<MigrationRecord.Chunk> chunks = migration.chunks();
        int keysTotal = migration.keyCount();
        int keysDone = migration.keysDone();
        int chunksDone = (int) chunks.stream().filter(MigrationRecord.Chunk::done).count();
        AtomicLong retries = new AtomicLong();
        long started = System.nanoTime();
        int keysThisRun = 0;
        journal.stage(migration.id(), MigrationRecord.Stage.REWRAPPING);
        listener.progress(new RewrapListener.RewrapProgress(chunksDone, chunks.size(), keysDone, keysTotal, 0, 0, Duration.ZERO));
        for (MigrationRecord.Chunk chunk : chunks) {
            if (chunk.done()) {
                continue;
            }
            if (cancelled.getAsBoolean()) {
                journal.stage(migration.id(), MigrationRecord.Stage.INTERRUPTED);
                LOG.info("Migration {} interrupted after {} of {} chunks", migration.id(), chunksDone, chunks.size());
                return Outcome.INTERRUPTED;
            }
            int[] attempts = {0};
            RewrapManyDataKeyResult result;
            try {
                result = retry.run(() -> {
                    attempts[0]++;
                    return encryption.rewrapManyDataKey(chunkFilter(chunk, migration.sourceProvider()),
                            new RewrapManyDataKeyOptions().provider("aws").masterKey(awsMasterKey));
                }, (attempt, delay, reason) -> {
                    retries.incrementAndGet();
                    LOG.warn("Chunk {} of migration {}: {}; retry {} in {} ms", chunk.index(), migration.id(), reason,
                            attempt, delay.toMillis());
                    listener.retrying(chunk.index(), attempt, delay, reason);
                });
            } catch (KmsRetry.GaveUp failure) {
                journal.addRetries(migration.id(), retries.get());
                journal.stage(migration.id(), MigrationRecord.Stage.FAILED);
                LOG.error("Chunk {} of migration {} failed after {} attempt(s)", chunk.index(), migration.id(),
                        failure.attempts(), failure.getCause());
                throw new KeyShiftException("Rewrapping chunk " + (chunk.index() + 1) + " of " + chunks.size()
                        + " failed after " + failure.attempts() + " attempt(s): " + failure.getMessage()
                        + ". The " + chunksDone + " chunk(s) before it are done and journaled; fix the cause and run"
                        + " `keyshift resume --migration " + migration.id() + "`.", failure);
            }
            long stillOld = keyVault.countDocuments(chunkFilter(chunk, migration.sourceProvider()));
            if (stillOld > 0) {
                journal.stage(migration.id(), MigrationRecord.Stage.FAILED);
                throw new KeyShiftException(stillOld + " key(s) of chunk " + (chunk.index() + 1)
                        + " are still under provider " + migration.sourceProvider() + " after the rewrap reported success."
                        + " Nothing is lost (the keys are unchanged); run `keyshift resume --migration " + migration.id()
                        + "` to try them again.");
            }
            int rewrapped = result.getBulkWriteResult() == null ? 0 : result.getBulkWriteResult().getModifiedCount();
            journal.chunkDone(migration.id(), new MigrationRecord.Chunk(chunk.index(), chunk.keyIds(), true, rewrapped, attempts[0]));
            chunksDone++;
            keysDone += chunk.keyIds().size();
            keysThisRun += chunk.keyIds().size();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            double rate = keysThisRun / Math.max(0.001, elapsed.toNanos() / 1e9);
            listener.progress(new RewrapListener.RewrapProgress(chunksDone, chunks.size(), keysDone, keysTotal,
                    retries.get(), rate, elapsed));
        }
        journal.addRetries(migration.id(), retries.get());
        return Outcome.COMPLETED;
    }

    static Bson chunkFilter(MigrationRecord.Chunk chunk, String sourceProvider) {
        return Filters.and(Filters.in("_id", chunk.keyIds().stream().map(BsonBinary::new).toList()),
                Filters.eq("masterKey.provider", sourceProvider));
    }
}
