package io.keyshift.ui.verify;

import io.keyshift.core.migrate.Verification;
import io.keyshift.core.report.MigrationReport;
import io.keyshift.ui.wizard.FinishedRun;
import io.keyshift.ui.wizard.MigrationDraft;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The Verify page: the checks made with only the aws provider, the report, and the settings applications need. */
public final class VerifyViewModel {

    private final MigrationDraft draft;
    private final Consumer<Path> opener;
    private final ObservableList<Verification.Check> checks = FXCollections.observableArrayList();
    private final StringProperty verdict = new SimpleStringProperty("");
    private final StringProperty reportFile = new SimpleStringProperty("");
    private final StringProperty applicationSettings = new SimpleStringProperty("");

    /** @param opener opens a file in the desktop's default application (the report in a browser) */
    public VerifyViewModel(MigrationDraft draft, Consumer<Path> opener) {
        this.draft = draft;
        this.opener = opener;
    }

    public void enter() {
        FinishedRun run = draft.finishedRunProperty().get();
        if (run == null) {
            return;
        }
        MigrationReport report = run.report();
        checks.setAll(report.verification().checks());
        verdict.set(report.verification().passed()
                ? "Verified: every check passed with a client that knows only the aws provider."
                : "Verification found problems: each failed check lists what it found. The migration is journaled;"
                + " fix the cause and resume it from the Plan page or with `keyshift resume`.");
        reportFile.set(run.reportHtml().toString());
        applicationSettings.set(report.migration().target() == null
                ? "The values are plaintext now: applications need no KMS settings for them."
                : ApplicationSettings.all(report.migration().target()));
    }

    public void openReport() {
        opener.accept(Path.of(reportFile.get()));
    }

    public ObservableList<Verification.Check> checks() {
        return checks;
    }

    public ReadOnlyStringProperty verdictProperty() {
        return verdict;
    }

    public ReadOnlyStringProperty reportFileProperty() {
        return reportFile;
    }

    public ReadOnlyStringProperty applicationSettingsProperty() {
        return applicationSettings;
    }
}
