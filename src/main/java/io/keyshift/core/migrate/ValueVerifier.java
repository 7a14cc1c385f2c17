package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Proves a REKEY or DECRYPT by reading every collection in scope in full, with ClientEncryptions that
 * know ONLY the target provider: every value under a new key decrypts, no value is left under an old key
 * (or, for DECRYPT, as ciphertext of an old key), and the journal shows every collection done.
 *
 * <p>The same scan is a run's final pass, where it first converts each value still under an old key (one
 * an application wrote during the main pass) and then verifies it as it now stands; run on its own
 * ({@code keyshift verify}) it only reads. One cursor per collection hands batches, through a bounded
 * window, to workers that each own a target-only client, so decrypting overlaps reading and the heap
 * stays flat whatever the collection's size.
 */
final class ValueVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ValueVerifier.class);

    private final MongoClient client;
    private final KmsRetry retry;

    /** @param retry the policy of the run: a KMS blip during verification is retried as it is during the run */
    public ValueVerifier(MongoClient client, KmsRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Verification on its own; reads only.
     *
     * @param targetOnly one client per worker, each with the target provider and no other; empty for DECRYPT
     * @param workers    batches verified at once
     */
    public Verification verify(MigrationRecord migration, List<ClientEncryption> targetOnly, int workers) {
        return scan(migration, targetOnly, workers, null, () -> false).orElseThrow();
    }

    /**
     * A run's final pass: converts with {@code converter} what is still under an old key, journals each
     * collection's counts, and verifies. Empty when {@code cancelled} turned true between batches: the pass
     * is then run again in full by the resume.
     *
     * @param targetOnly one client per worker of {@code converter}, each with the target provider and no
     *                   other; empty for DECRYPT
     */
    public Optional<Verification> finalPass(MigrationRecord migration, List<ClientEncryption> targetOnly,
                                            ValueConverter converter, BooleanSupplier cancelled) {
        return scan(migration, targetOnly, migration.rekey().workers(), converter, cancelled);
    }

    /** @param converter converts stragglers before they are verified; null to read only */
    private Optional<Verification> scan(MigrationRecord migration, List<ClientEncryption> targetOnly, int workers,
                                        ValueConverter converter, BooleanSupplier cancelled) {
        if (migration.strategy() == Strategy.REKEY && targetOnly.size() != workers) {
            throw new IllegalArgumentException("one target-only client per worker: " + targetOnly.size() + " for " + workers);
        }
        Findings findings = new Findings(migration);
        List<MigrationRecord.CollectionCheckpoint> journaled = new ArrayList<>();
        List<MigrationRecord.CollectionCheckpoint> collections = migration.rekey().collections();
        for (int index = 0; index < collections.size(); index++) {
            MigrationRecord.CollectionCheckpoint collection = collections.get(index);
            ValueConverter.CollectionPass stragglers = converter == null ? null
                    : converter.finalPass(migration.id(), index, collection);
            if (!scanCollection(new MongoNamespace(collection.namespace()), migration.rekey().batchSize(), workers,
                    targetOnly, stragglers, findings, cancelled)) {
                LOG.info("Migration {}: final pass interrupted in {}", migration.id(), collection.namespace());
                return Optional.empty();
            }
            journaled.add(stragglers == null ? collection : stragglers.journalDone());
        }
        return Optional.of(findings.verification(targetOnly, journaled));
    }

    /**
     * Reads one collection, converting stragglers first when {@code stragglers} is given. Returns false when
     * cancelled between batches; the batches already sent are finished first.
     */
    private boolean scanCollection(MongoNamespace namespace, int batchSize, int workers, List<ClientEncryption> targetOnly,
                                   ValueConverter.CollectionPass stragglers, Findings findings, BooleanSupplier cancelled) {
        if (stragglers != null) {
            stragglers.starting();
        }
        BlockingQueue<Integer> idle = new ArrayBlockingQueue<>(workers, false, IntStream.range(0, workers).boxed().toList());
        // One batch per worker between being read and being verified: memory does not grow with the collection.
        Semaphore inFlight = new Semaphore(workers);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "keyshift-verify-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        boolean completed = true;
        try (MongoCursor<BsonDocument> cursor = client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class).find().batchSize(batchSize).iterator()) {
            List<BsonDocument> batch = new ArrayList<>(batchSize);
            while (failure.get() == null && cursor.hasNext()) {
                batch.add(cursor.next());
                if (batch.size() < batchSize && cursor.hasNext()) {
                    continue;
                }
                inFlight.acquireUninterruptibly();
                if (failure.get() != null) {
                    break;
                }
                // Checked once a worker is free, so nothing new is sent after a pause is asked for.
                if (cancelled.getAsBoolean()) {
                    completed = false;
                    break;
                }
                List<BsonDocument> read = batch;
                batch = new ArrayList<>(batchSize);
                pool.execute(() -> {
                    int worker = idle.remove();
                    try {
                        List<BsonDocument> now = stragglers == null ? read : stragglers.convertStragglers(read, worker);
                        for (BsonDocument document : now) {
                            findings.check(namespace, document, targetOnly.isEmpty() ? null : targetOnly.get(worker));
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        idle.add(worker);
                        inFlight.release();
                    }
                });
            }
        } finally {
            pool.shutdown();
            // The clients are closed by the caller once this returns: no worker may still be inside libmongocrypt.
            Pools.awaitTermination(pool);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return completed;
    }

    /** What the scan found, added to by every worker. */
    private final class Findings {
        private final MigrationRecord migration;
        private final Set<UUID> oldKeys;
        private final Set<UUID> newKeys;
        // Guarded by this.
        private final List<String> undecryptable = new ArrayList<>();
        private final List<String> leftOld = new ArrayList<>();
        private long underNewKeys;
        private long decrypted;
        private long underOldKeys;

        Findings(MigrationRecord migration) {
            this.migration = migration;
            this.oldKeys = Set.copyOf(migration.keyIds());
            this.newKeys = new HashSet<>(migration.rekey().oldToNew().values());
        }

        /** @param targetOnly decrypts the values under new keys; null for DECRYPT */
        void check(MongoNamespace namespace, BsonDocument document, ClientEncryption targetOnly) {
            Ciphertexts.forEach(document, (path, ciphertext) -> {
                UUID keyId;
                try {
                    keyId = CiphertextHeader.parse(ciphertext).keyId();
                } catch (KeyShiftException malformed) {
                    return;
                }
                String where = namespace.getFullName() + " _id " + DocumentIds.describe(document.get("_id")) + " field " + path;
                if (oldKeys.contains(keyId)) {
                    synchronized (this) {
                        underOldKeys++;
                        RewrapVerifier.listFailure(leftOld, where + " is still under the old key " + keyId + ".");
                    }
                } else if (newKeys.contains(keyId)) {
                    decrypts(where, ciphertext, targetOnly);
                }
            });
        }

        private void decrypts(String where, BsonBinary ciphertext, ClientEncryption targetOnly) {
            String failure = null;
            try {
                RewrapVerifier.withKms(retry, migration.target(), () -> targetOnly.decrypt(ciphertext));
            } catch (KmsUnavailableException unanswered) {
                throw unanswered;
            } catch (RuntimeException e) {
                LOG.warn("Verification: {} does not decrypt", where, e);
                failure = where + " does not decrypt with only the " + migration.target().provider() + " provider: "
                        + e.getMessage();
            }
            synchronized (this) {
                underNewKeys++;
                if (failure == null) {
                    decrypted++;
                } else {
                    RewrapVerifier.listFailure(undecryptable, failure);
                }
            }
        }

        /** @param collections each collection's journal entry as the scan left it */
        synchronized Verification verification(List<ClientEncryption> targetOnly,
                                                List<MigrationRecord.CollectionCheckpoint> collections) {
            long valuesNow = underNewKeys + underOldKeys;
            List<Verification.Check> checks = new ArrayList<>();
            if (migration.strategy() == Strategy.REKEY) {
                checks.add(RewrapVerifier.keysDecrypt(List.copyOf(newKeys), targetOnly, retry, migration.target()));
                checks.add(new Verification.Check("Every value under a new key decrypts with only the "
                        + migration.target().provider() + " provider", decrypted, underNewKeys, undecryptable));
            }
            checks.add(new Verification.Check(migration.strategy() == Strategy.REKEY
                    ? "A full scan finds no value left under an old key" : "A full scan finds no ciphertext of the decrypted keys",
                    valuesNow - underOldKeys, valuesNow, leftOld));
            // Conversions are not compared with the values found: an application may overwrite a converted value,
            // and the final pass converts it again, so one value can count twice. The journal must show every
            // collection done with nothing it could not convert.
            List<String> unfinished = new ArrayList<>();
            long finished = 0;
            for (MigrationRecord.CollectionCheckpoint collection : collections) {
                if (!collection.done()) {
                    unfinished.add(collection.namespace() + " is not done in the journal.");
                } else if (collection.failed() > 0) {
                    unfinished.add(collection.namespace() + ": " + collection.failed() + " value(s) could not be converted;"
                            + " the report lists them.");
                } else {
                    finished++;
                }
            }
            checks.add(new Verification.Check("The journal shows every collection done, with no value it could not convert",
                    finished, collections.size(), unfinished));
            return new Verification(checks);
        }
    }
}
