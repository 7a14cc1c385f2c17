package io.keyshift.ui.run;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.OverallProgress;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.FinishedRun;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.StartedMigration;
import io.keyshift.ui.wizard.WizardPage;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Run page: runs (or resumes) the journaled migration in the background, shows a row per collection
 * or chunk, an overall bar and a log, and pauses between batches. The engine reports on its own threads;
 * what it reports is kept in thread-safe holders and copied to the page ten times a second on the FX
 * thread, so a fast engine never floods the FX thread.
 */
public final class RunViewModel implements WizardPage {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();
    /** How often the page catches up with the engine. */
    static final Duration REFRESH = Duration.millis(100);

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final Path reportDirectory;
    private final ObservableList<ProgressRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final DoubleProperty overall = new SimpleDoubleProperty();
    private final StringProperty headline = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final BooleanProperty finished = new SimpleBooleanProperty();
    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    private final AtomicLong rekeyRetries = new AtomicLong();
    /** Waiting for the run in progress to stop, e.g. to close the window. */
    private final List<Runnable> whenStopped = new ArrayList<>();
    // Written by the engine's threads, read by the refresh on the FX thread.
    private final Map<String, MigrationListener.CollectionProgress> latestCollections = new ConcurrentHashMap<>();
    private final AtomicReference<OverallProgress> overallRekey = new AtomicReference<>();
    private final AtomicReference<MigrationListener.RewrapProgress> latestRewrap = new AtomicReference<>();
    private final Queue<String> pendingLog = new ConcurrentLinkedQueue<>();
    private Timeline refresh;

    public RunViewModel(MigrationDraft draft, Executor executor, Failures failures, Path reportDirectory) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        this.reportDirectory = reportDirectory;
    }

    /** On entering the page: the rows from the journal, then the run starts. */
    @Override
    public void enter() {
        if (running.get() || finished.get()) {
            return;
        }
        start();
    }

    /** Runs the migration from where the journal says it stands: a first run and a resume are the same call. */
    public void start() {
        StartedMigration migration = draft.migrationProperty().get();
        ConnectionProfile connection = draft.connectionProperty().get();
        var keyVault = draft.keyVaultProperty().get();
        List<KmsProvider> sources = List.copyOf(draft.sources());
        KmsTarget target = draft.targetProperty().get();
        pauseRequested.set(false);
        paused.set(false);
        running.set(true);
        error.set("");
        startRefresh();
        log.add((log.isEmpty() ? "Running " : "Resuming ") + migration.strategy() + " migration "
                + migration.id() + " from its journal entry.");
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                Migrations migrations = new Migrations(client, connection.clientSettings(), keyVault,
                        Migrations.DEFAULT_JOURNAL_COLLECTION);
                MigrationRecord record = migrations.get(migration.id());
                MigrationListener listener = listener(record);
                javafx.application.Platform.runLater(() -> showRows(record));
                MigrationResult result = migrations.run(migration.id(), sources, target, reportDirectory, listener,
                        pauseRequested::get);
                return result.outcome() == MigrationResult.Outcome.INTERRUPTED ? null : new FinishedRun(result.report(), result.reportHtml());
            }
        }, run -> {
            running.set(false);
            copyFromEngine();
            stopRefresh();
            if (run == null) {
                paused.set(true);
                log.add("Paused between batches: everything written so far is journaled. Resume continues from there.");
            } else {
                finished.set(true);
                overall.set(1);
                draft.finishedRunProperty().set(run);
                log.add(run.report().verification().passed() ? "Done and verified with only the " + target.provider().name() + " provider."
                        : "Finished, but verification found problems: see the next page.");
            }
            runWhenStopped();
        }, failure -> {
            running.set(false);
            stopRefresh();
            paused.set(true);
            error.set(failures.sentence(failure));
            log.add("Stopped: " + error.get());
            runWhenStopped();
        });
    }

    /** Asks the engine to stop after the batch (or chunk) in progress; never in the middle of one. */
    public void pause() {
        pauseRequested.set(true);
        log.add("Pausing after the batch in progress…");
    }

    /** Pauses, then runs {@code stopped} once the batch in progress is written and journaled; at once when nothing runs. */
    public void pauseThen(Runnable stopped) {
        if (!running.get()) {
            stopped.run();
            return;
        }
        whenStopped.add(stopped);
        pause();
    }

    private void runWhenStopped() {
        List<Runnable> waiting = List.copyOf(whenStopped);
        whenStopped.clear();
        waiting.forEach(Runnable::run);
    }

    /** FX thread: a row per chunk or collection, as the journal has them. */
    void showRows(MigrationRecord record) {
        rows.clear();
        if (record.rekey() == null) {
            for (MigrationRecord.Chunk chunk : record.chunks()) {
                ProgressRow row = new ProgressRow("Chunk " + (chunk.index() + 1), chunk.keyIds().size() + " keys");
                row.progressProperty().set(chunk.done() ? 1 : 0);
                rows.add(row);
            }
        } else {
            record.rekey().collections().forEach(c -> rows.add(new ProgressRow(c.namespace(), c.scanned() + " / "
                    + c.documents() + " documents")));
        }
    }

    /** What the engine reports, measured for a REKEY or DECRYPT against the journal entry's totals. */
    MigrationListener listener(MigrationRecord record) {
        OverallProgress whole = record.rekey() == null ? null : Migrations.progressOf(record);
        overallRekey.set(whole);
        return new MigrationListener() {
            @Override
            public void keysRewrapped(RewrapProgress progress) {
                latestRewrap.set(progress);
            }

            @Override
            public void keysCreated(int done, int total) {
                pendingLog.add("New data key " + done + " of " + total + " created under the CMK and journaled");
            }

            @Override
            public void collection(CollectionProgress progress) {
                latestCollections.put(progress.namespace(), progress);
                whole.update(progress);
            }

            @Override
            public void retrying(String what, int attempt, java.time.Duration delay, String reason) {
                rekeyRetries.incrementAndGet();
                pendingLog.add(what + ": " + reason + "; retrying in " + delay.toMillis() + " ms");
            }
        };
    }

    private void startRefresh() {
        stopRefresh();
        refresh = new Timeline(new KeyFrame(REFRESH, event -> copyFromEngine()));
        refresh.setCycleCount(Timeline.INDEFINITE);
        refresh.play();
    }

    private void stopRefresh() {
        if (refresh != null) {
            refresh.stop();
        }
    }

    /** FX thread: what the engine reported since the last refresh. */
    void copyFromEngine() {
        for (String line = pendingLog.poll(); line != null; line = pendingLog.poll()) {
            log.add(line);
        }
        MigrationListener.RewrapProgress rewrap = latestRewrap.get();
        if (rewrap != null) {
            for (int i = 0; i < rewrap.chunksDone() && i < rows.size(); i++) {
                rows.get(i).progressProperty().set(1);
                rows.get(i).detailProperty().set("rewrapped");
            }
            overall.set(rewrap.keysTotal() == 0 ? 0 : rewrap.keysDone() / (double) rewrap.keysTotal());
            headline.set(MessageFormat.format(MESSAGES.getString("run.headline.rewrap"), rewrap.keysDone(), rewrap.keysTotal(),
                    timeLeft(rewrap.eta()), rewrap.retries()));
        }
        if (!latestCollections.isEmpty()) {
            for (ProgressRow row : rows) {
                MigrationListener.CollectionProgress p = latestCollections.get(row.name());
                if (p == null) {
                    continue;
                }
                // The final pass reads a collection already converted: its bar stays full.
                row.progressProperty().set(p.documents() == 0 || p.finalPass() ? 1 : Math.min(1, p.scanned() / (double) p.documents()));
                row.doneProperty().set(MessageFormat.format(MESSAGES.getString(p.finalPass() ? "run.row.done.finalPass" : "run.row.done"),
                        p.scanned(), p.documents()));
                row.detailProperty().set(MessageFormat.format(MESSAGES.getString("run.row.detail"), p.converted(), p.skipped(),
                        p.conflicts(), p.failed()) + (p.documentsPerSecond() > 0 && !p.finalPass()
                        ? MessageFormat.format(MESSAGES.getString("run.row.rate"), Math.round(p.documentsPerSecond()),
                                p.eta().toSeconds()) : ""));
            }
        }
        OverallProgress whole = overallRekey.get();
        if (whole != null) {
            OverallProgress.Snapshot now = whole.snapshot();
            overall.set(now.fraction());
            headline.set(now.finalPass()
                    ? MessageFormat.format(MESSAGES.getString("run.headline.finalPass"), now.documentsTotal(), now.valuesConverted(),
                            now.finalPassRead(), rekeyRetries.get())
                    : MessageFormat.format(MESSAGES.getString("run.headline.rekey"), now.documentsDone(), now.documentsTotal(),
                            now.fraction(), now.valuesConverted(), timeLeft(now.eta()), rekeyRetries.get()));
        }
    }

    /** "about 3 min 20 s left", or that it is not known yet. */
    static String timeLeft(java.time.Duration eta) {
        if (eta.isZero()) {
            return MESSAGES.getString("run.eta.unknown");
        }
        long seconds = Math.max(1, eta.toSeconds());
        String amount = seconds >= 3600 ? String.format("%d h %d min", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%d min %d s", seconds / 60, seconds % 60) : seconds + " s";
        return MessageFormat.format(MESSAGES.getString("run.eta"), amount);
    }

    public ObservableList<ProgressRow> rows() {
        return rows;
    }

    public ObservableList<String> log() {
        return log;
    }

    public ReadOnlyDoubleProperty overallProperty() {
        return overall;
    }

    public ReadOnlyStringProperty headlineProperty() {
        return headline;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused;
    }

    public ReadOnlyBooleanProperty finishedProperty() {
        return finished;
    }

    /** Next leads to Verify once the run finished. */
    @Override
    public BooleanBinding valid() {
        return finished.and(running.not());
    }
}
