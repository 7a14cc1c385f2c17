package io.keyshift.ui.verify;

import io.keyshift.core.migrate.NextSteps;
import io.keyshift.core.migrate.Verification;
import io.keyshift.core.migrate.MigrationReport;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.wizard.FinishedRun;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/** The Verify page: the checks made with only the target provider, the report, and the settings applications need. */
public final class VerifyViewModel implements WizardPage {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();
    private static final Logger LOG = LoggerFactory.getLogger(VerifyViewModel.class);

    private final MigrationDraft draft;
    private final Consumer<Path> opener;
    private final ObservableList<Verification.Check> checks = FXCollections.observableArrayList();
    private final StringProperty verdict = new SimpleStringProperty("");
    private final StringProperty route = new SimpleStringProperty("");
    private final StringProperty reportFile = new SimpleStringProperty("");
    private final StringProperty applicationSettings = new SimpleStringProperty("");
    private final ObservableList<String> nextSteps = FXCollections.observableArrayList();
    private final StringProperty settingsTitle = new SimpleStringProperty("");
    private final StringProperty openFailure = new SimpleStringProperty("");

    /** @param opener opens a file in the desktop's default application (the report in a browser) */
    public VerifyViewModel(MigrationDraft draft, Consumer<Path> opener) {
        this.draft = draft;
        this.opener = opener;
    }

    @Override
    public void enter() {
        FinishedRun run = draft.finishedRunProperty().get();
        if (run == null) {
            return;
        }
        MigrationReport report = run.report();
        checks.setAll(report.verification().checks());
        route.set(draft.route());
        verdict.set(report.verification().passed()
                ? MessageFormat.format(MESSAGES.getString("verify.verdict.passed"), targetName())
                : MESSAGES.getString("verify.verdict.failed"));
        reportFile.set(run.reportHtml().toString());
        NextSteps next = report.nextSteps();
        nextSteps.setAll(next.steps());
        // Target-only settings only once no key the applications use is under the source provider any more.
        String source = report.migration().sourceProvider();
        String target = report.migration().target() == null ? "" : report.migration().target().provider();
        settingsTitle.set(next.sourceStillInUse()
                ? MessageFormat.format(MESSAGES.getString("verify.settings.both.title"), source, target)
                : MessageFormat.format(MESSAGES.getString("verify.settings.targetOnly.title"), source, target));
        applicationSettings.set(report.migration().target() == null
                ? MESSAGES.getString("verify.settings.plaintext") : report.applicationSettings());
    }

    /** Opens the report in the browser; when it cannot, says why and where the file is. */
    public void openReport() {
        Path file = Path.of(reportFile.get());
        if (!Files.isReadable(file)) {
            openFailure.set(MessageFormat.format(MESSAGES.getString("verify.report.missing"), file));
            return;
        }
        try {
            opener.accept(file);
            openFailure.set("");
        } catch (RuntimeException e) {
            LOG.warn("Could not open the report {}", file, e);
            openFailure.set(MessageFormat.format(MESSAGES.getString("verify.report.openFailed"), file,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** Why Open report did not open it; empty when it did. */
    public ReadOnlyStringProperty openFailureProperty() {
        return openFailure;
    }

    public ObservableList<Verification.Check> checks() {
        return checks;
    }

    /** The provider the verifying client knew: the checked target's, or aws for a migration resumed without one. */
    private String targetName() {
        return draft.targetProperty().get() == null ? "aws" : draft.targetProperty().get().provider().name();
    }

    /** Source → target, as on the Plan page. */
    public ReadOnlyStringProperty routeProperty() {
        return route;
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

    /** What the DBA must do now, in order, as the engine lists it for the report. */
    public ObservableList<String> nextSteps() {
        return nextSteps;
    }

    /** Which providers the settings below keep, and why. */
    public ReadOnlyStringProperty settingsTitleProperty() {
        return settingsTitle;
    }

    /** The last step: complete once it shows a finished run. */
    @Override
    public BooleanBinding valid() {
        return draft.finishedRunProperty().isNotNull();
    }
}
