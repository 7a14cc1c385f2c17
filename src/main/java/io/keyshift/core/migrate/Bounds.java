package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;

/**
 * The ranges of the engine's knobs, each with the reason for its limit. Checked before anything is
 * scanned or written: by the plans, by a resume that changes them, and by a run of what the journal holds.
 */
public final class Bounds {

    /** Each worker holds a ClientEncryption with a connection pool of its own; past a few the server is the limit. */
    public static final int MAX_WORKERS = 32;
    /** A batch is held in memory twice (as read and as rewritten) and written as one bulk write. */
    public static final int MAX_BATCH = 10_000;
    /** A chunk is one rewrapManyDataKey call: a KMS failure repeats the whole chunk, one KMS call per key. */
    public static final int MAX_CHUNK = 1_000;

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
}
