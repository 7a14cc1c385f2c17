package io.keyshift.cli;

import io.keyshift.core.migrate.RewrapListener;
import io.keyshift.core.migrate.RewrapMigration;
import io.keyshift.core.migrate.Rewrapper;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs a migration from the terminal: prints progress per chunk, and turns Ctrl-C (or SIGTERM) into
 * a stop between chunks, so the process exits with the journal consistent and the run resumable.
 */
final class MigrationRunner {

    /** How long Ctrl-C waits for the chunk in flight to finish before the JVM exits regardless. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private MigrationRunner() {
    }

    static RewrapMigration.Result run(PrintWriter out, Function<Run, RewrapMigration.Result> migration) {
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopBetweenChunks = new Thread(() -> {
            stopRequested.set(true);
            out.println("Stopping after the chunk in progress…");
            out.flush();
            try {
                finished.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "keyshift-stop-between-chunks");
        Runtime.getRuntime().addShutdownHook(stopBetweenChunks);
        try {
            return migration.apply(new Run(progressPrinter(out), stopRequested::get));
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopBetweenChunks);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is waiting for this run, which has now stopped.
            }
        }
    }

    /** What a running migration gets: where to report progress, and whether to stop. */
    record Run(RewrapListener listener, java.util.function.BooleanSupplier cancelled) {
    }

    /** Prints a line per chunk and per retry, with the rate and time left. */
    static RewrapListener progressPrinter(PrintWriter out) {
        return new RewrapListener() {
            @Override
            public void progress(RewrapProgress progress) {
                out.printf("Rewrapped %d/%d keys (chunk %d/%d)%s%s%n", progress.keysDone(), progress.keysTotal(),
                        progress.chunksDone(), progress.chunks(),
                        progress.keysPerSecond() > 0 ? String.format(", %.0f keys/s, %d s left", progress.keysPerSecond(),
                                progress.eta().toSeconds()) : "",
                        progress.retries() > 0 ? ", " + progress.retries() + " KMS retries" : "");
                out.flush();
            }

            @Override
            public void retrying(int chunk, int attempt, Duration delay, String reason) {
                out.printf("  chunk %d: %s; retrying in %.1f s (attempt %d)%n", chunk + 1, reason, delay.toMillis() / 1000.0,
                        attempt + 1);
                out.flush();
            }
        };
    }

    /** The exit code and closing lines for a run's result. */
    static int conclude(RewrapMigration.Result result, PrintWriter out) {
        if (result.outcome() == Rewrapper.Outcome.INTERRUPTED) {
            out.println("Stopped between chunks: " + result.migration().keysDone() + " of " + result.migration().keyCount()
                    + " keys are rewrapped and journaled. Continue with: keyshift resume --migration " + result.migration().id()
                    + " --uri … --local-key …");
            return ExitCodes.INTERRUPTED;
        }
        result.report().verification().checks().forEach(check -> {
            out.printf("  %s %s (%d/%d)%n", check.ok() ? "✓" : "✗", check.name(), check.passed(), check.total());
            check.failures().forEach(failure -> out.println("      " + failure));
        });
        out.println((result.verified() ? "Done and verified. " : "Rewrapped, but verification found problems (above). ")
                + "Report: " + result.reportHtml());
        return result.verified() ? ExitCodes.OK : ExitCodes.BLOCKED;
    }
}
