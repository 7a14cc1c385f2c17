package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;

/**
 * The ranges of the engine's knobs, each with the reason for its limit. Checked before anything is
 * scanned or written: by the plans, by a resume that changes them, and by a run of what the journal holds.
 */
final class Bounds {

    /** Each worker holds a ClientEncryption with a connection pool of its own; past a few the server is the limit. */
    public static final int MAX_WORKERS = 32;
    /** A batch is held in memory twice (as read and as rewritten) and written as one bulk write. */
    public static final int MAX_BATCH = 10_000;
    /** A chunk is one rewrapManyDataKey call: a KMS failure repeats the whole chunk, one KMS call per key. */
    public static final int MAX_CHUNK = 1_000;

    /**
     * KMS calls in flight at once in a REWRAP. AWS KMS allows an account thousands of Encrypt calls per
     * second in every region, shared by all its applications: 8 calls in flight, about 100 to 400 a second,
     * leave most of that to them.
     */
    public static final int DEFAULT_KMS_CONCURRENCY = 8;
    /** Each KMS call in flight holds a ClientEncryption of its own. */
    public static final int MAX_KMS_CONCURRENCY = 32;

    private Bounds() {
    }

    public static void requireWorkers(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new KeyShiftException("The number of workers must be between 1 and " + MAX_WORKERS + " (it is " + workers
                    + "): each worker holds a client with its own connections to the cluster, and past a few workers"
                    + " the server, not KeyShift, is what limits the speed. Nothing was scanned or written.");
        }
    }

    public static void requireBatch(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new KeyShiftException("The batch size must be between 1 and " + MAX_BATCH + " documents (it is "
                    + batchSize + "): each batch is held in memory as read and as rewritten, and written as one bulk"
                    + " write, which the server takes in messages of at most 16 MB. Nothing was scanned or written.");
        }
    }

    public static void requireChunk(int chunkSize) {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK) {
            throw new KeyShiftException("The chunk size must be between 1 and " + MAX_CHUNK + " keys (it is " + chunkSize
                    + "): a chunk is one rewrapManyDataKey call, and a KMS failure repeats the whole chunk, one KMS call"
                    + " per key. Nothing was read or written.");
        }
    }

    public static void requireKmsConcurrency(int calls) {
        if (calls < 1 || calls > MAX_KMS_CONCURRENCY) {
            throw new KeyShiftException("The number of KMS calls in flight must be between 1 and " + MAX_KMS_CONCURRENCY
                    + " (it is " + calls + "): each holds a client of its own, and the KMS account's request quota is"
                    + " shared with every application using it. Nothing was read or written.");
        }
    }
}
