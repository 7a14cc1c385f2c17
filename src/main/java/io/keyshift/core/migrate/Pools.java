package io.keyshift.core.migrate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** What every worker pool of a migration needs before the clients its workers use may be closed. */
final class Pools {

    private Pools() {
    }

    /**
     * Waits, even when interrupted, until no worker runs any more: a ClientEncryption closed while a worker
     * is still inside libmongocrypt frees memory the native code goes on using, which crashes the JVM.
     */
    static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
