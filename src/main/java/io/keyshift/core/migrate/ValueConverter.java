package io.keyshift.core.migrate;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoNamespace;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.migrate.MigrationResult.Outcome;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Converts every value under an old data key, in place: re-encrypted under its new key (REKEY) or
 * replaced by its plaintext (DECRYPT). One cursor per collection reads in {@code _id} order and hands
 * batches, through a bounded queue, to workers that each own a ClientEncryption; the bound keeps the
 * heap flat whatever the collection's size.
 *
 * <p>Every document gets one conditional update whose filter holds its {@code _id} and each old
 * ciphertext it replaces, so a value changed by an application meanwhile is never overwritten: the
 * update matches nothing, the document is read again and converted again (a conflict). A batch's
 * checkpoint is journaled only once every earlier batch is written, so a resume never skips a
 * document; a value already under a new key is simply not touched again. Plaintext exists only in
 * memory: never in the journal, the log or an exception message.
 */
final class ValueConverter {

    private static final Logger LOG = LoggerFactory.getLogger(ValueConverter.class);
    /** Conversions of one document before it is left to the final pass (an application keeps rewriting it). */
    static final int MAX_ATTEMPTS = 5;
    private static final int MAX_ERRORS_LISTED = 20;
    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    private static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    private final MongoClient client;
    private final List<Worker> workers;
    private final Journal journal;
    private final KmsRetry retry;
    private final String targetKms;
    private final Strategy strategy;
    private final Map<UUID, UUID> oldToNew;
    private final Set<UUID> oldIds;
    private final int batchSize;
    private final MigrationListener listener;

    /**
     * What one worker decrypts with (a client that knows only the source providers) and encrypts with (one
     * that knows only the target's, null for DECRYPT): two clients, so a source and a target of the same
     * provider name ({@code local} with another key file) need no renaming.
     */
    record Worker(ClientEncryption decrypting, ClientEncryption encrypting) {
    }

    /**
     * @param workers  one per worker
     * @param targetKms the KMS that opens the new keys, as a DBA names it, for the retries' reasons
     * @param oldToNew the new key of each old key (REKEY); for DECRYPT the old keys, mapped to null
     */
    ValueConverter(MongoClient client, List<Worker> workers, Journal journal, KmsRetry retry, String targetKms,
                   Strategy strategy, Map<UUID, UUID> oldToNew, int batchSize, MigrationListener listener) {
        this.client = client;
        this.workers = List.copyOf(workers);
        this.journal = journal;
        this.retry = retry;
        this.targetKms = targetKms;
        this.strategy = strategy;
        this.oldToNew = new HashMap<>(oldToNew);
        this.oldIds = Set.copyOf(oldToNew.keySet());
        this.batchSize = batchSize;
        this.listener = listener;
    }

    /**
     * The main pass: every collection not yet done, each from its checkpoint. Cancellation is checked
     * between batches; what is written by then is journaled.
     */
    public Outcome run(MigrationRecord migration, BooleanSupplier cancelled) {
        List<MigrationRecord.CollectionCheckpoint> collections = migration.rekey().collections();
        for (int index = 0; index < collections.size(); index++) {
            MigrationRecord.CollectionCheckpoint checkpoint = collections.get(index);
            if (checkpoint.done()) {
                continue;
            }
            CollectionPass pass = new CollectionPass(migration.id(), index, checkpoint, false);
            Outcome outcome = pass.run(checkpoint.lastId() == null ? new BsonDocument() : IdOrder.after(checkpoint.lastId()),
                    cancelled);
            if (outcome == Outcome.INTERRUPTED) {
                return outcome;
            }
            journal.checkpoint(migration.id(), index, pass.checkpoint(true));
        }
        return Outcome.COMPLETED;
    }

    /**
     * One collection's share of the final pass, which reads it in full again: a value still under an old key
     * (written by an application during the main pass) is converted as the main pass converts it.
     */
    CollectionPass finalPass(String migrationId, int index, MigrationRecord.CollectionCheckpoint checkpoint) {
        return new CollectionPass(migrationId, index, checkpoint, true);
    }

    /** True when the document holds a value under one of the old keys. */
    boolean hasOldValues(BsonDocument document) {
        boolean[] found = {false};
        Ciphertexts.forEach(document, (path, ciphertext) -> found[0] |= isOld(ciphertext));
        return found[0];
    }

    private boolean isOld(BsonBinary ciphertext) {
        try {
            return oldIds.contains(CiphertextHeader.parse(ciphertext).keyId());
        } catch (KeyShiftException notCiphertext) {
            return false;
        }
    }

    /** A slice of a collection in {@code _id} order: the documents to convert, and how many were read. */
    private record Batch(long sequence, List<BsonDocument> documents, long scanned, BsonValue lastId) {
    }

    /** What writing a batch did. */
    private record BatchResult(long converted, long conflicts, long failed, List<String> errors) {
    }

    /** The conditional update of one document, how many values it converts, and how many do not decrypt. */
    private record DocumentChange(BsonValue id, BsonDocument filter, BsonDocument set, int values, int undecryptable) {
    }

    /** A batch written, waiting for the batches before it. */
    private record Written(Batch batch, BatchResult result) {
    }

    /** One pass over one collection: the main pass with its own workers, or the final pass's conversions. */
    final class CollectionPass {
        private final String migrationId;
        private final int index;
        private final MigrationRecord.CollectionCheckpoint start;
        private final boolean finalPass;
        private final MongoCollection<BsonDocument> collection;
        private final long startedNanos = System.nanoTime();
        // Guarded by this: results wait here until every earlier batch is written.
        private final TreeMap<Long, Written> finished = new TreeMap<>();
        private long nextToCommit;
        private long scanned;
        private long scannedThisRun;
        private long skipped;
        private long converted;
        private long conflicts;
        private long failed;
        private BsonValue lastId;
        private final List<String> errors;
        private volatile RuntimeException failure;

        private CollectionPass(String migrationId, int index, MigrationRecord.CollectionCheckpoint start, boolean finalPass) {
            this.migrationId = migrationId;
            this.index = index;
            this.start = start;
            this.finalPass = finalPass;
            MongoNamespace namespace = new MongoNamespace(start.namespace());
            this.collection = client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class)
                    .withWriteConcern(WriteConcern.MAJORITY);
            this.scanned = finalPass ? 0 : start.scanned();
            this.skipped = finalPass ? 0 : start.skipped();
            this.converted = start.converted();
            this.conflicts = start.conflicts();
            // The final pass reads everything again, so what it cannot convert is the current list of failures.
            this.failed = finalPass ? 0 : start.failed();
            this.lastId = start.lastId();
            this.errors = finalPass ? new ArrayList<>() : new ArrayList<>(start.errors());
        }

        Outcome run(Bson filter, BooleanSupplier cancelled) {
            int workers = ValueConverter.this.workers.size();
            BlockingQueue<Worker> idle = new ArrayBlockingQueue<>(workers, false, ValueConverter.this.workers);
            // One batch per worker between being sent and being journaled: a pause waits for these only, and
            // memory does not grow with the collection.
            Semaphore inFlight = new Semaphore(workers);
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
                Thread thread = new Thread(runnable, "keyshift-rekey-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            Outcome outcome = Outcome.COMPLETED;
            report();
            try (MongoCursor<BsonDocument> cursor = collection.find(filter).sort(Sorts.ascending("_id"))
                    .batchSize(batchSize).iterator()) {
                long sequence = 0;
                List<BsonDocument> toConvert = new ArrayList<>();
                long read = 0;
                BsonValue batchLastId = null;
                while (failure == null && cursor.hasNext()) {
                    BsonDocument document = cursor.next();
                    read++;
                    batchLastId = document.get("_id");
                    if (hasOldValues(document)) {
                        toConvert.add(document);
                    }
                    if (read == batchSize || !cursor.hasNext()) {
                        inFlight.acquireUninterruptibly();
                        if (failure != null) {
                            break;
                        }
                        // Checked once a worker is free, so nothing new is sent after a pause is asked for.
                        if (cancelled.getAsBoolean()) {
                            outcome = Outcome.INTERRUPTED;
                            break;
                        }
                        submit(new Batch(sequence++, toConvert, read, batchLastId), pool, idle, inFlight);
                        toConvert = new ArrayList<>();
                        read = 0;
                    }
                }
            } finally {
                pool.shutdown();
                // The batches in flight are written, as a pause promises.
                Pools.awaitTermination(pool);
            }
            if (failure != null) {
                throw failure;
            }
            if (outcome == Outcome.INTERRUPTED) {
                LOG.info("Migration {}: {} interrupted after {} documents", migrationId, start.namespace(), scanned);
            }
            return outcome;
        }

        /** Hands a batch to a free worker; the caller holds the batch's place in the in-flight window. */
        private void submit(Batch batch, ExecutorService pool, BlockingQueue<Worker> idle, Semaphore inFlight) {
            pool.execute(() -> {
                Worker encryption = idle.poll();
                try {
                    BatchResult result = batch.documents().isEmpty() ? new BatchResult(0, 0, 0, List.of())
                            : convert(batch.documents(), encryption);
                    commit(batch, result, inFlight);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                    // Batches after this one will never be journaled: free the reader, which then stops.
                    inFlight.release(workers.size());
                } finally {
                    idle.add(encryption);
                }
            });
        }

        /**
         * Journals batches in order: a checkpoint never passes a batch that is not written yet. A batch
         * leaves the in-flight window only once journaled.
         */
        private synchronized void commit(Batch batch, BatchResult result, Semaphore inFlight) {
            finished.put(batch.sequence(), new Written(batch, result));
            int journaled = 0;
            while (!finished.isEmpty() && finished.firstKey() == nextToCommit) {
                Written done = finished.pollFirstEntry().getValue();
                Batch doneBatch = done.batch();
                count(doneBatch.scanned(), doneBatch.documents().size(), done.result());
                lastId = doneBatch.lastId();
                nextToCommit++;
                journaled++;
            }
            if (journaled > 0) {
                journal.checkpoint(migrationId, index, checkpoint(false));
                report();
                inFlight.release(journaled);
            }
        }

        /** Adds what a batch did: documents read, of which those with a value under an old key, and their conversion. */
        private synchronized void count(long read, long withOldValues, BatchResult result) {
            scanned += read;
            scannedThisRun += read;
            skipped += read - withOldValues;
            converted += result.converted();
            conflicts += result.conflicts();
            failed += result.failed();
            result.errors().stream().limit(Math.max(0, MAX_ERRORS_LISTED - errors.size())).forEach(errors::add);
        }

        /**
         * The final pass's conversion of one batch read in full: the documents that still hold a value under an
         * old key are converted with worker {@code worker}, then read again. Returns the batch as it stands now,
         * for verification; a document deleted meanwhile is left out.
         */
        List<BsonDocument> convertStragglers(List<BsonDocument> documents, int worker) {
            List<BsonDocument> stragglers = documents.stream().filter(ValueConverter.this::hasOldValues).toList();
            count(documents.size(), stragglers.size(), stragglers.isEmpty() ? new BatchResult(0, 0, 0, List.of())
                    : convert(stragglers, workers.get(worker)));
            report();
            if (stragglers.isEmpty()) {
                return documents;
            }
            List<BsonValue> ids = stragglers.stream().map(document -> document.get("_id")).toList();
            Map<BsonValue, BsonDocument> now = new HashMap<>();
            collection.find(Filters.in("_id", ids)).forEach(document -> now.put(document.get("_id"), document));
            Set<BsonValue> reread = Set.copyOf(ids);
            List<BsonDocument> current = new ArrayList<>(documents.size());
            for (BsonDocument document : documents) {
                BsonValue id = document.get("_id");
                BsonDocument asNow = reread.contains(id) ? now.get(id) : document;
                if (asNow != null) {
                    current.add(asNow);
                }
            }
            return current;
        }

        /** The final pass starts on this collection: reported before its first read. */
        void starting() {
            report();
        }

        /** Journals the collection's counts once the final pass has read all of it; returns them. */
        MigrationRecord.CollectionCheckpoint journalDone() {
            MigrationRecord.CollectionCheckpoint done = checkpoint(true);
            journal.checkpoint(migrationId, index, done);
            return done;
        }

        synchronized MigrationRecord.CollectionCheckpoint checkpoint(boolean done) {
            return new MigrationRecord.CollectionCheckpoint(start.namespace(), start.documents(), lastId,
                    done || start.done(), finalPass ? start.scanned() : scanned, finalPass ? start.skipped() : skipped,
                    converted, conflicts, failed, errors);
        }

        private synchronized void report() {
            double seconds = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
            listener.collection(new MigrationListener.CollectionProgress(start.namespace(), finalPass, scanned,
                    Math.max(start.documents(), scanned), skipped, converted, conflicts, failed, scannedThisRun / seconds));
        }

        /** Converts the documents and writes them, re-reading and converting again those changed meanwhile. */
        private BatchResult convert(List<BsonDocument> documents, Worker encryption) {
            long batchConverted = 0;
            long batchConflicts = 0;
            long batchFailed = 0;
            List<String> batchErrors = new ArrayList<>();
            List<BsonDocument> todo = documents;
            for (int attempt = 1; !todo.isEmpty(); attempt++) {
                List<DocumentChange> changes = new ArrayList<>();
                for (BsonDocument document : todo) {
                    // Errors are counted once: a document read again after a conflict would list them again.
                    DocumentChange change = change(document, encryption, attempt == 1 ? batchErrors : null);
                    batchFailed += attempt == 1 ? change.undecryptable() : 0;
                    if (change.values() > 0) {
                        changes.add(change);
                    }
                }
                if (changes.isEmpty()) {
                    break;
                }
                long matched = write(changes);
                if (matched == changes.size()) {
                    batchConverted += changes.stream().mapToLong(DocumentChange::values).sum();
                    break;
                }
                batchConflicts += changes.size() - matched;
                List<BsonDocument> stillOld = new ArrayList<>();
                Map<BsonValue, DocumentChange> byId = new HashMap<>();
                changes.forEach(change -> byId.put(change.id(), change));
                for (BsonDocument current : collection.find(Filters.in("_id", new ArrayList<>(byId.keySet())))) {
                    DocumentChange tried = byId.get(current.get("_id"));
                    if (stillHolds(current, tried)) {
                        stillOld.add(current);
                    } else {
                        batchConverted += tried.values();
                    }
                }
                if (attempt == MAX_ATTEMPTS && !stillOld.isEmpty()) {
                    for (BsonDocument document : stillOld) {
                        batchFailed++;
                        listError(batchErrors, start.namespace() + " _id " + DocumentIds.describe(document.get("_id")) + ": changed by another"
                                + " writer " + MAX_ATTEMPTS + " times while being converted; " + (finalPass
                                ? "left under its old key: resume the migration once that writer uses the new schema."
                                : "left for the final pass."));
                    }
                    break;
                }
                todo = stillOld;
            }
            return new BatchResult(batchConverted, batchConflicts, batchFailed, batchErrors);
        }

        /** True when the document still holds, at any path the update named, the old ciphertext it filtered on. */
        private boolean stillHolds(BsonDocument current, DocumentChange tried) {
            for (Map.Entry<String, BsonValue> condition : tried.filter().entrySet()) {
                if (!condition.getKey().equals("_id") && condition.getValue().equals(valueAt(current, condition.getKey()))) {
                    return true;
                }
            }
            return hasOldValues(current);
        }

        private long write(List<DocumentChange> changes) {
            List<WriteModel<BsonDocument>> updates = new ArrayList<>(changes.size());
            changes.forEach(change -> updates.add(new UpdateOneModel<>(change.filter(), new BsonDocument("$set", change.set()))));
            try {
                BulkWriteResult result = collection.bulkWrite(updates, new BulkWriteOptions().ordered(false));
                return result.getMatchedCount();
            } catch (MongoBulkWriteException e) {
                // The server's error details can quote the update, which holds plaintext in DECRYPT: log ids and codes only.
                for (BulkWriteError error : e.getWriteErrors()) {
                    LOG.warn("Migration {}: update of {} _id {} failed with code {}", migrationId, start.namespace(),
                            DocumentIds.describe(changes.get(error.getIndex()).id()), error.getCode());
                }
                return e.getWriteResult().getMatchedCount();
            }
        }

        /**
         * The update for one document: its old-key values converted. A value that does not decrypt is
         * listed (with {@code _id} and path) and left as it is; a failure to encrypt under the new key
         * stops the collection, since it would fail for every value.
         */
        private DocumentChange change(BsonDocument document, Worker encryption, List<String> errorsOrNull) {
            BsonValue id = document.get("_id");
            BsonDocument filter = new BsonDocument("_id", id);
            BsonDocument set = new BsonDocument();
            int[] undecryptable = {0};
            Ciphertexts.forEach(document, (path, ciphertext) -> {
                if (!isOld(ciphertext)) {
                    return;
                }
                CiphertextHeader header = CiphertextHeader.parse(ciphertext);
                BsonValue plaintext;
                try {
                    plaintext = encryption.decrypting().decrypt(ciphertext);
                } catch (RuntimeException e) {
                    LOG.warn("Migration {}: {} _id {} field {} does not decrypt", migrationId, start.namespace(), DocumentIds.describe(id), path, e);
                    undecryptable[0]++;
                    if (errorsOrNull != null) {
                        listError(errorsOrNull, start.namespace() + " _id " + DocumentIds.describe(id) + " field " + path + " does not decrypt with"
                                + " key " + header.keyId() + " (" + e.getMessage() + "); left as it is.");
                    }
                    return;
                }
                filter.append(path, ciphertext);
                set.append(path, strategy == Strategy.DECRYPT ? plaintext : encrypt(plaintext, header, encryption.encrypting()));
            });
            return new DocumentChange(id, filter, set, set.size(), undecryptable[0]);
        }

        private BsonBinary encrypt(BsonValue plaintext, CiphertextHeader header, ClientEncryption encryption) {
            UUID newKey = oldToNew.get(header.keyId());
            String algorithm = header.algorithm() == CiphertextHeader.Algorithm.DETERMINISTIC ? DETERMINISTIC : RANDOM;
            try {
                return retry.run(() -> encryption.encrypt(plaintext, new EncryptOptions(algorithm).keyId(new BsonBinary(newKey))),
                        targetKms, (attempt, delay, reason) -> listener.retrying("encrypting under " + newKey, attempt, delay, reason));
            } catch (RuntimeException e) {
                throw new KeyShiftException("Encrypting under the new data key " + newKey + " failed (" + e.getMessage()
                        + "), so " + start.namespace() + " stops here. What was written is journaled; fix the cause and"
                        + " resume the migration.", e);
            }
        }
    }

    /** The value at a dotted path (array positions as numbers), or null. */
    static BsonValue valueAt(BsonDocument document, String path) {
        BsonValue current = document;
        for (String part : path.split("\\.")) {
            if (current.isDocument()) {
                current = current.asDocument().get(part);
            } else if (current.isArray() && part.chars().allMatch(Character::isDigit)) {
                int position = Integer.parseInt(part);
                current = position < current.asArray().size() ? current.asArray().get(position) : null;
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static void listError(List<String> errors, String error) {
        if (errors.size() < MAX_ERRORS_LISTED) {
            errors.add(error);
        }
    }
}
