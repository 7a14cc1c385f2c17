package io.keyshift.core.migrate;

import java.time.Duration;

/**
 * Progress of a migration of any strategy, reported from the engine's threads (REKEY's and DECRYPT's
 * workers included); a UI copies it to its own thread at its own pace. Every method has a default so
 * a listener implements only what it shows.
 */
public interface MigrationListener {

    /** REWRAP: after each chunk, and once at the start with what was already done before a resume. */
    default void keysRewrapped(RewrapProgress progress) {
    }

    /** REKEY: after each new data key is created and journaled. */
    default void keysCreated(int done, int total) {
    }

    /** REKEY and DECRYPT: after each batch of a collection is written, and once when a collection starts. */
    default void collection(CollectionProgress progress) {
    }

    /** A transient KMS failure; {@code what} (a chunk, a key, a batch) is tried again after {@code delay}. */
    default void retrying(String what, int attempt, Duration delay, String reason) {
    }

    MigrationListener NONE = new MigrationListener() {
    };

    /** Where a rewrap stands. */
    record RewrapProgress(int chunksDone, int chunks, int keysDone, int keysTotal, long retries,
                          double keysPerSecond, Duration elapsed) {

        /** The estimated time left at the current rate; zero when done or not yet measurable. */
        public Duration eta() {
            if (keysPerSecond <= 0 || keysDone >= keysTotal) {
                return Duration.ZERO;
            }
            return Duration.ofMillis((long) ((keysTotal - keysDone) / keysPerSecond * 1000));
        }
    }

    /**
     * Where one collection of a REKEY or DECRYPT stands. Counts include earlier runs of the same migration.
     *
     * @param finalPass true during the final pass, which reads the whole collection again
     * @param skipped documents read that held no value under an old key
     */
    record CollectionProgress(String namespace, boolean finalPass, long scanned, long documents, long skipped,
                              long converted, long conflicts, long failed, double documentsPerSecond) {

        /** The estimated time left at the current rate; zero when done or not yet measurable. */
        public Duration eta() {
            if (documentsPerSecond <= 0 || scanned >= documents) {
                return Duration.ZERO;
            }
            return Duration.ofMillis((long) ((documents - scanned) / documentsPerSecond * 1000));
        }
    }
}
