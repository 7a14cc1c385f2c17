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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Rewraps a journaled migration's keys chunk by chunk with {@code rewrapManyDataKey}, several chunks
 * at a time: each worker owns a ClientEncryption, whose KMS calls run one after the other, so the
 * workers bound the KMS calls in flight. Each chunk's filter names its keys AND the old provider, so
 * re-running a chunk (after a crash, a retry or a resume) never rewraps a key twice. A chunk is marked
 * done in the journal only after the key vault shows none of its keys under the old provider.
 */
final class Rewrapper {

    private static final Logger LOG = LoggerFactory.getLogger(Rewrapper.class);

    private final List<Worker> encryptions;
    private final MongoCollection<BsonDocument> keyVault;
    private final Journal journal;
    private final KmsRetry retry;

    /**
     * What one worker rewraps with: {@code fromSource} knows the source provider and the one the keys go
     * to (the target, or its via name); {@code backFromVia} knows the via name and the target's plain
     * name, both with the target's material, and is null when the keys go straight to the target. A
     * source and a target of one name cannot share a client, so a same-name rewrap needs the two.
     */
    record Worker(ClientEncryption fromSource, ClientEncryption backFromVia) {
    }

    /**
     * @param encryptions one per worker
     * @param keyVault    the key vault collection, to confirm each chunk's result
     */
    Rewrapper(List<Worker> encryptions, MongoCollection<BsonDocument> keyVault, Journal journal, KmsRetry retry) {
        this.encryptions = List.copyOf(encryptions);
        this.keyVault = keyVault;
        this.journal = journal;
        this.retry = retry;
    }

    /**
     * Rewraps every chunk not yet done. Cancellation is checked before each chunk is started, never
     * inside one; the chunks already started finish and are journaled first.
     *
     * @throws KeyShiftException when a chunk fails for good; the journal then says which chunks are done
     */
    public Outcome run(MigrationRecord migration, MigrationListener listener, BooleanSupplier cancelled) {
        Run run = new Run(migration, listener);
        journal.stage(migration.id(), MigrationRecord.Stage.REWRAPPING);
        run.report();
        BlockingQueue<Worker> idle = new ArrayBlockingQueue<>(encryptions.size(), false, encryptions);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(encryptions.size(), runnable -> {
            Thread thread = new Thread(runnable, "keyshift-rewrap-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Semaphore free = new Semaphore(encryptions.size());
        boolean interrupted = false;
        try {
            for (MigrationRecord.Chunk chunk : migration.chunks()) {
                if (chunk.done()) {
                    continue;
                }
                free.acquireUninterruptibly();
                if (run.failure != null) {
                    free.release();
                    break;
                }
                if (cancelled.getAsBoolean()) {
                    free.release();
                    interrupted = true;
                    break;
                }
                pool.execute(() -> {
                    Worker encryption = idle.poll();
                    try {
                        run.rewrap(chunk, encryption);
                    } catch (RuntimeException e) {
                        run.fail(e);
                    } finally {
                        idle.add(encryption);
                        free.release();
                    }
                });
            }
        } finally {
            free.acquireUninterruptibly(encryptions.size());
            pool.shutdown();
        }
        journal.addRetries(migration.id(), run.retries.get());
        if (run.failure != null) {
            journal.stage(migration.id(), MigrationRecord.Stage.FAILED);
            throw run.failure;
        }
        if (interrupted) {
            journal.stage(migration.id(), MigrationRecord.Stage.INTERRUPTED);
            LOG.info("Migration {} interrupted after {} of {} chunks", migration.id(), run.chunksDone, migration.chunks().size());
            return Outcome.INTERRUPTED;
        }
        return Outcome.COMPLETED;
    }

    /** One run's progress; the workers journal and report under its lock, one chunk at a time. */
    private final class Run {
        private final MigrationRecord migration;
        private final MigrationListener listener;
        private final AtomicLong retries = new AtomicLong();
        private final long started = System.nanoTime();
        private int chunksDone;
        private int keysDone;
        private int keysThisRun;
        private volatile RuntimeException failure;

        Run(MigrationRecord migration, MigrationListener listener) {
            this.migration = migration;
            this.listener = listener;
            this.chunksDone = (int) migration.chunks().stream().filter(MigrationRecord.Chunk::done).count();
            this.keysDone = migration.keysDone();
        }

        /**
         * Runs on a worker thread. Through a via provider, the chunk is journaled once all its keys are
         * under it, so after a stop a key of the chunk under the plain name is known to be under the new
         * master key if the chunk is journaled so, and under the old one if not.
         */
        void rewrap(MigrationRecord.Chunk chunk, Worker encryption) {
            MigrationRecord.Target target = migration.target();
            String via = target.via();
            int attempts = 0;
            if (via != null && !chunk.underVia()) {
                attempts += rewrap(chunk, encryption.fromSource(), migration.sourceProvider(), via)[1];
                underVia(new MigrationRecord.Chunk(chunk.index(), chunk.keyIds(), false, 0, attempts, true));
            }
            int[] last = via == null ? rewrap(chunk, encryption.fromSource(), migration.sourceProvider(), target.provider())
                    : rewrap(chunk, encryption.backFromVia(), via, target.provider());
            done(new MigrationRecord.Chunk(chunk.index(), chunk.keyIds(), true, last[0], attempts + last[1]));
        }

        /** One rewrapManyDataKey of the chunk's keys under {@code from} to the target's master key under {@code to}: modified, attempts. */
        private int[] rewrap(MigrationRecord.Chunk chunk, ClientEncryption encryption, String from, String to) {
            int chunks = migration.chunks().size();
            int[] attempts = {0};
            long started = System.nanoTime();
            RewrapManyDataKeyResult result;
            try {
                result = retry.run(() -> {
                    attempts[0]++;
                    return encryption.rewrapManyDataKey(chunkFilter(chunk, from),
                            new RewrapManyDataKeyOptions().provider(to).masterKey(migration.target().masterKey()));
                }, migration.kmsCalled(), (attempt, delay, reason) -> {
                    retries.incrementAndGet();
                    LOG.warn("Chunk {} of migration {}: {}; retry {} in {} ms", chunk.index(), migration.id(), reason,
                            attempt, delay.toMillis());
                    listener.retrying("chunk " + (chunk.index() + 1), attempt, delay, reason);
                });
            } catch (KmsRetry.GaveUp failure) {
                LOG.error("Chunk {} of migration {} failed after {} attempt(s)", chunk.index(), migration.id(),
                        failure.attempts(), failure.getCause());
                throw new KeyShiftException("Rewrapping chunk " + (chunk.index() + 1) + " of " + chunks
                        + " failed after " + failure.attempts() + " attempt(s): " + failure.getMessage()
                        + ". The chunks marked done in the journal are rewrapped; fix the cause and run"
                        + " `keyshift resume --migration " + migration.id() + "`.", failure);
            }
            long rewrapped = System.nanoTime();
            long stillOld = keyVault.countDocuments(chunkFilter(chunk, from));
            if (stillOld > 0) {
                throw new KeyShiftException(stillOld + " key(s) of chunk " + (chunk.index() + 1)
                        + " are still under provider " + from + " after the rewrap reported success."
                        + " Nothing is lost (the keys are unchanged); run `keyshift resume --migration " + migration.id()
                        + "` to try them again.");
            }
            long checked = System.nanoTime();
            int modified = result.getBulkWriteResult() == null ? 0 : result.getBulkWriteResult().getModifiedCount();
            LOG.info("Chunk {} of migration {}: {} key(s) rewrapped from {} to {} in {} ms ({} attempt(s)), checked in {} ms",
                    chunk.index(), migration.id(), modified, from, to, (rewrapped - started) / 1_000_000, attempts[0],
                    (checked - rewrapped) / 1_000_000);
            return new int[] {modified, attempts[0]};
        }

        private synchronized void underVia(MigrationRecord.Chunk chunk) {
            journal.chunk(migration.id(), chunk);
        }

        // One journal write at a time: they all update the one journal entry.
        private synchronized void done(MigrationRecord.Chunk chunk) {
            journal.chunk(migration.id(), chunk);
            chunksDone++;
            keysDone += chunk.keyIds().size();
            keysThisRun += chunk.keyIds().size();
            report();
        }

        synchronized void report() {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            double rate = keysThisRun == 0 ? 0 : keysThisRun / Math.max(0.001, elapsed.toNanos() / 1e9);
            listener.keysRewrapped(new MigrationListener.RewrapProgress(chunksDone, migration.chunks().size(), keysDone,
                    migration.keyCount(), retries.get(), rate, keysThisRun == 0 ? Duration.ZERO : elapsed));
        }

        /** Keeps the first failure, to be thrown once the chunks in flight are finished. */
        synchronized void fail(RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    static Bson chunkFilter(MigrationRecord.Chunk chunk, String sourceProvider) {
        return Filters.and(Filters.in("_id", chunk.keyIds().stream().map(BsonBinary::new).toList()),
                Filters.eq("masterKey.provider", sourceProvider));
    }
}
