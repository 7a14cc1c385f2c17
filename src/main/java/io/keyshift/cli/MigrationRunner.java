package io.keyshift.cli;

import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.Strategy;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs a migration from the terminal: prints progress per chunk, and turns Ctrl-C (SIGINT) or SIGTERM
 * into a stop between chunks or batches, so the process exits 3 with the journal consistent and the
 * run resumable. A second signal exits at once, still with 3: every write is journaled or conditional,
 * so even that resumes.
 */
final class MigrationRunner {

    private static final List<Signal> STOP_SIGNALS = List.of(new Signal("INT"), new Signal("TERM"));

    private MigrationRunner() {
    }

    /** Runs {@code migration} with a stop signal that Ctrl-C and SIGTERM turn on. */
    static <T> T run(PrintWriter out, Function<BooleanSupplier, T> migration) {
        AtomicBoolean stopRequested = new AtomicBoolean();
        SignalHandler stopBetweenChunks = signal -> {
            if (stopRequested.getAndSet(true)) {
                System.exit(ExitCodes.INTERRUPTED);
            }
            out.println("Stopping after the chunk or batch in progress… (again to stop at once)");
            out.flush();
        };
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (Signal signal : STOP_SIGNALS) {
            try {
                previous.put(signal, Signal.handle(signal, stopBetweenChunks));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // With -Xrs the JVM leaves these signals alone: they then end the process as usual.
            }
        }
        try {
            return migration.apply(stopRequested::get);
        } finally {
            previous.forEach(Signal::handle);
        }
    }

    /**
     * Prints a line per chunk rewrapped with the rate and time left, per new key, per collection batch (at
     * most one a second per collection) and per retry.
     */
    static MigrationListener progressPrinter(PrintWriter out) {
        return new MigrationListener() {
            private final java.util.Map<String, Long> lastPrinted = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public void keysRewrapped(RewrapProgress progress) {
                out.printf("Rewrapped %d/%d keys (chunk %d/%d)%s%s%n", progress.keysDone(), progress.keysTotal(),
                        progress.chunksDone(), progress.chunks(),
                        progress.keysPerSecond() > 0 ? String.format(", %.0f keys/s, %d s left", progress.keysPerSecond(),
                                progress.eta().toSeconds()) : "",
                        progress.retries() > 0 ? ", " + progress.retries() + " KMS retries" : "");
                out.flush();
            }

            @Override
            public void keysCreated(int done, int total) {
                out.printf("Created new data key %d/%d under the CMK (journaled)%n", done, total);
                out.flush();
            }

            @Override
            public void collection(CollectionProgress p) {
                long now = System.nanoTime();
                Long last = lastPrinted.get(p.namespace());
                if (last != null && now - last < 1_000_000_000L && p.scanned() < p.documents()) {
                    return;
                }
                lastPrinted.put(p.namespace(), now);
                out.printf("%s%s: %d/%d documents (%d skipped), %d values converted%s%s%s%n", p.finalPass() ? "final pass " : "",
                        p.namespace(), p.scanned(), p.documents(), p.skipped(), p.converted(),
                        p.conflicts() > 0 ? ", " + p.conflicts() + " conflicts retried" : "",
                        p.failed() > 0 ? ", " + p.failed() + " values failed" : "",
                        p.documentsPerSecond() > 0 && !p.finalPass() ? String.format(", %.0f docs/s, %d s left",
                                p.documentsPerSecond(), p.eta().toSeconds()) : "");
                out.flush();
            }

            @Override
            public void retrying(String what, int attempt, Duration delay, String reason) {
                out.printf("  %s: %s; retrying in %.1f s (attempt %d)%n", what, reason, delay.toMillis() / 1000.0, attempt + 1);
                out.flush();
            }
        };
    }

    /** The exit code and closing lines for a run of any strategy. */
    static int conclude(MigrationResult result, PrintWriter out) {
        if (result.outcome() == MigrationResult.Outcome.INTERRUPTED && result.stopReason() != null) {
            out.println(result.stopReason());
            return ExitCodes.INTERRUPTED;
        }
        if (result.outcome() == MigrationResult.Outcome.INTERRUPTED) {
            MigrationRecord migration = result.migration();
            out.println((migration.strategy() == Strategy.REWRAP
                    ? "Stopped between chunks: " + migration.keysDone() + " of " + migration.keyCount()
                    + " keys are rewrapped and journaled."
                    : "Stopped between batches: every batch written so far is journaled.")
                    + " Continue with: keyshift resume --migration " + migration.id() + " --uri … and the"
                    + " provider options you gave migrate (key files, credentials, certificates; --to is journaled).");
            return ExitCodes.INTERRUPTED;
        }
        printChecks(result.report().verification(), out);
        boolean verified = result.verified();
        out.println((verified ? "Done and verified. " : "Finished, but verification found problems (above). ")
                + "Report: " + result.reportHtml());
        printNextSteps(result.report().nextSteps().steps(), out);
        String settings = result.report().applicationSettings();
        if (!settings.isEmpty()) {
            out.println("Settings your applications need now (no secrets: credentials come from the environment):");
            settings.lines().forEach(line -> out.println("  " + line));
        }
        return verified ? ExitCodes.OK : ExitCodes.BLOCKED;
    }

    /** The checklist of what the DBA must do now, numbered. */
    private static void printNextSteps(List<String> steps, PrintWriter out) {
        out.println("Next steps:");
        for (int i = 0; i < steps.size(); i++) {
            out.println("  " + (i + 1) + ". " + steps.get(i));
        }
    }

    /** One line per check, ✓ or ✗ with its count, and what failed under it. */
    static void printChecks(io.keyshift.core.migrate.Verification verification, PrintWriter out) {
        verification.checks().forEach(check -> {
            out.printf("  %s %s (%d/%d)%n", check.ok() ? "✓" : "✗", check.name(), check.passed(), check.total());
            check.failures().forEach(failure -> out.println("      " + failure));
        });
    }
}
