package io.keyshift.core.audit;

import java.time.Duration;
import java.util.Optional;

/**
 * Where an audit is. Documents are counted over the whole scan; {@code documentsTotal} is the
 * server's estimate (capped by the sample size), so the ETA is an estimate too.
 *
 * @param namespace the collection being read during {@link Stage#SCAN}; null otherwise
 * @param eta       the time left for the scan, once there is a rate to tell it by
 */
public record AuditProgress(Stage stage, String namespace, long documentsScanned, long documentsTotal,
                            Optional<Duration> eta) {

    /** The steps of an audit, in order. */
    public enum Stage { KEYS, SCAN, KMS, DONE }

    /** Receives progress on the auditing thread: implementations hand it on and return at once. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = progress -> { };

        void progress(AuditProgress progress);
    }
}
