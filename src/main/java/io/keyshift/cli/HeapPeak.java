package io.keyshift.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap a benchmark needed, from construction to {@link #close()}. The highest use seen counts
 * garbage not yet collected, so it follows the collector's sizing more than the work; the live heap —
 * what is left after a full collection, sampled every few seconds — is what the work keeps, and what
 * "the heap stays flat as N grows" is about. The samples cost a full collection each (tens of ms).
 */
final class HeapPeak implements AutoCloseable {

    private static final long SAMPLE_SECONDS = 5;

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private final AtomicLong live = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keyshift-heap-sampler");
        thread.setDaemon(true);
        return thread;
    });

    HeapPeak() {
        System.gc();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        sampler.scheduleAtFixedRate(this::sampleLive, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    long peakBytes() {
        return pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    long peakLiveBytes() {
        return live.get();
    }

    private void sampleLive() {
        System.gc();
        live.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
