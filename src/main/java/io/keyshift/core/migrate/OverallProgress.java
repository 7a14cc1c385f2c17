package io.keyshift.core.migrate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a whole REKEY or DECRYPT stands against its plan: the documents of every collection, counted
 * from the journal entry before the first batch is written, so the total never changes as collections
 * start and the share done never goes back. The main pass is the measure; the final pass, which
 * reads everything again to convert late writes and verify, is reported beside it. Fed from the engine's
 * threads, read from any other.
 */
public final class OverallProgress {

    private final Map<String, Long> planned = new LinkedHashMap<>();
    private final long total;
    private final LongSupplier nanoTime;
    // Guarded by this.
    private final Map<String, MigrationListener.CollectionProgress> latest = new LinkedHashMap<>();
    private long firstNanos = -1;
    private long doneAtFirst;

    /** The totals come from the journal entry (a first run and a resume alike). */
    OverallProgress(MigrationRecord migration) {
        this(migration, System::nanoTime);
    }

    OverallProgress(MigrationRecord migration, LongSupplier nanoTime) {
        migration.rekey().collections().forEach(c -> planned.put(c.namespace(), c.documents()));
        this.total = planned.values().stream().mapToLong(Long::longValue).sum();
        this.nanoTime = nanoTime;
        migration.rekey().collections().forEach(c -> latest.put(c.namespace(), new MigrationListener.CollectionProgress(
                c.namespace(), false, c.done() ? Math.max(c.scanned(), c.documents()) : c.scanned(), c.documents(),
                c.skipped(), c.converted(), c.conflicts(), c.failed(), 0)));
    }

    /** What the engine just reported for one collection. */
    public synchronized void update(MigrationListener.CollectionProgress progress) {
        if (!planned.containsKey(progress.namespace())) {
            return;
        }
        latest.put(progress.namespace(), progress);
        long done = documentsDone();
        if (firstNanos < 0) {
            firstNanos = nanoTime.getAsLong();
            doneAtFirst = done;
        }
    }

    public synchronized Snapshot snapshot() {
        long done = documentsDone();
        long converted = 0;
        long finalPassRead = 0;
        boolean finalPass = false;
        for (MigrationListener.CollectionProgress p : latest.values()) {
            converted += p.converted();
            if (p.finalPass()) {
                finalPass = true;
                finalPassRead += Math.min(p.scanned(), planned.get(p.namespace()));
            }
        }
        Duration eta = Duration.ZERO;
        if (firstNanos >= 0 && done > doneAtFirst && done < total) {
            double perNano = (done - doneAtFirst) / (double) Math.max(1, nanoTime.getAsLong() - firstNanos);
            eta = Duration.ofNanos((long) ((total - done) / perNano));
        }
        return new Snapshot(done, total, converted, finalPass, finalPassRead, eta);
    }

    /** A collection counts its main pass, never more than planned; once its final pass starts, all of it. */
    private long documentsDone() {
        long done = 0;
        for (MigrationListener.CollectionProgress p : latest.values()) {
            long plannedHere = planned.get(p.namespace());
            done += p.finalPass() ? plannedHere : Math.min(p.scanned(), plannedHere);
        }
        return done;
    }

    /**
     * @param documentsDone  documents the main pass has read and journaled, of {@code documentsTotal}
     * @param finalPass      true once the final pass has begun
     * @param finalPassRead  documents the final pass has read again
     * @param eta            time left for the main pass at this run's rate; zero when done or not measurable
     */
    public record Snapshot(long documentsDone, long documentsTotal, long valuesConverted, boolean finalPass,
                           long finalPassRead, Duration eta) {

        /** From 0 to 1. */
        public double fraction() {
            return documentsTotal == 0 ? 0 : documentsDone / (double) documentsTotal;
        }
    }
}
