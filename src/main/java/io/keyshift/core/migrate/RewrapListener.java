package io.keyshift.core.migrate;

import java.time.Duration;

/**
 * Progress of a rewrap, reported from the engine's thread; a UI copies it to its own thread at its
 * own pace. Every method has a default so a listener implements only what it shows.
 */
public interface RewrapListener {

    /** After each chunk, and once at the start with what was already done before a resume. */
    default void progress(RewrapProgress progress) {
    }

    /** A transient KMS failure; the chunk is tried again after {@code delay}. */
    default void retrying(int chunk, int attempt, Duration delay, String reason) {
    }

    RewrapListener NONE = new RewrapListener() {
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
}
