package io.keyshift.ui.verify;

import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.NextSteps;
import io.keyshift.core.migrate.SchemaOutcome;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.migrate.Verification;
import io.keyshift.core.migrate.MigrationReport;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.wizard.FinishedRun;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Verify page's next steps and settings, from the engine's report of each strategy. */
class VerifyViewModelTest {

    private static final Path BACKUP = Path.of("/backups/keys.json");
    private static final MigrationRecord.Target TARGET =
            new MigrationRecord.Target("eu-west-1", "arn:aws:kms:eu-west-1:111122223333:key/k", null);

    private final MigrationDraft draft = new MigrationDraft();
    private final VerifyViewModel viewModel = new VerifyViewModel(draft, file -> { });

    private static MigrationRecord migration(Strategy strategy) {
        return new MigrationRecord(strategy.name().toLowerCase() + "-1", strategy, "dba@host", Instant.now(),
                "encryption.__keyVault", "local", strategy == Strategy.DECRYPT ? null : TARGET, BACKUP, "ab12",
                MigrationRecord.Stage.DONE, List.of(new MigrationRecord.Chunk(0, List.of(UUID.randomUUID()), true, 1, 1)),
                0, List.of(), strategy == Strategy.REWRAP ? null
                : new MigrationRecord.Rekey(100, 4, false, false, List.of(), List.of()));
    }

    private void finished(MigrationRecord migration, Optional<SchemaOutcome> schema, long stillUnderLocal) throws Exception {
        NextSteps next = NextSteps.of(migration, true, schema, stillUnderLocal, List.of());
        MigrationReport report = new MigrationReport(migration, Instant.now(), Duration.ofSeconds(3), 0, -1,
                new Verification(List.of(new Verification.Check("Every key decrypts with only aws", 1, 1, List.of()))), next);
        FxThread.run(() -> {
            draft.finishedRunProperty().set(new FinishedRun(report, Path.of("/reports/r.html")));
            viewModel.enter();
        });
    }

    @Test
    void rewrapKeepsBothProvidersWhileOtherKeysAreStillUnderLocal() throws Exception {
        finished(migration(Strategy.REWRAP), Optional.empty(), 3);

        assertThat(viewModel.settingsTitleProperty().get()).contains("local and aws side by side");
        assertThat(viewModel.applicationSettingsProperty().get()).contains("\"local\", Map.of(\"key\"", "\"aws\", Map.of(");
        assertThat(viewModel.nextSteps()).anyMatch(step -> step.startsWith("3 data key(s) are still under local"))
                .anyMatch(step -> step.contains("keyExpirationMS"))
                .anyMatch(step -> step.contains(BACKUP.toString()));
        assertThat(viewModel.nextSteps()).noneMatch(step -> step.contains("chema"));
    }

    @Test
    void rekeyWithEveryKeyOffLocalShowsAwsOnlySettingsAndAsksToDeployTheRewrittenSchema() throws Exception {
        SchemaOutcome rewritten = new SchemaOutcome(SchemaOutcome.Kind.REWRITTEN, "schema file /app/schema.json",
                "the schema file /app/schema.json", "/app/schema.json.keyshift-backup-1", 4);

        finished(migration(Strategy.REKEY), Optional.of(rewritten), 0);

        assertThat(viewModel.settingsTitleProperty().get()).contains("aws only");
        assertThat(viewModel.applicationSettingsProperty().get()).doesNotContain("local", "LOCAL_MASTER_KEY_FILE");
        assertThat(viewModel.nextSteps().get(0)).startsWith("Schema rewritten: the schema file /app/schema.json")
                .contains("Deploy it to every application");
        assertThat(viewModel.nextSteps()).anyMatch(step -> step.contains("old data key(s) stay in the key vault"))
                .anyMatch(step -> step.contains("retire the local key file"));
    }

    @Test
    void decryptWithNoSchemaMapSaysSoAndNeedsNoKmsSettings() throws Exception {
        finished(migration(Strategy.DECRYPT), Optional.of(SchemaOutcome.noSchemaMap()), 0);

        assertThat(viewModel.nextSteps().get(0)).startsWith("No schema was rewritten");
        assertThat(viewModel.applicationSettingsProperty().get()).startsWith("The values are plaintext now");
    }

    @Test
    void openReportSaysWhenTheReportIsGone() throws Exception {
        finished(migration(Strategy.REWRAP), Optional.empty(), 0);

        FxThread.run(viewModel::openReport);

        assertThat(viewModel.openFailureProperty().get()).startsWith("The report " + Path.of("/reports/r.html")
                + " cannot be opened: it is no longer there");
    }

    @Test
    void openReportSaysWhyTheBrowserDidNotOpenIt(@TempDir Path dir) throws Exception {
        finished(migration(Strategy.REWRAP), Optional.empty(), 0);
        Path html = Files.writeString(dir.resolve("r.html"), "<html></html>");
        VerifyViewModel noBrowser = new VerifyViewModel(draft, file -> {
            throw new UnsupportedOperationException("no browser is configured");
        });
        FxThread.run(() -> {
            draft.finishedRunProperty().set(new FinishedRun(draft.finishedRunProperty().get().report(), html));
            noBrowser.enter();
        });

        FxThread.run(noBrowser::openReport);

        assertThat(noBrowser.openFailureProperty().get()).isEqualTo("The report could not be opened in a browser (no browser"
                + " is configured). Open " + html + " in a browser yourself.");
    }
}
