package io.keyshift.ui.run;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.StartedMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Pause between batches (as closing the window mid-run does), then Resume: the journal says where the run stopped, and the run finishes verified. */
class RunViewModelTest {

    @TempDir
    Path dir;

    @Test
    void pausedBetweenBatchesThenResumedFinishesVerified() throws Exception {
        ExecutorService background = Tasks.newExecutor("test-run");
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(200), line -> { })) {
            SandboxInfo info = sandbox.info();
            MigrationDraft draft = Drafts.withAllKeysSelected(info);
            draft.sources(List.of(LocalProvider.load(info.localKeyFile())));
            SandboxInfo.Credentials migrator = info.aws().migrator();
            draft.target(new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(),
                    null), info.aws().region(), info.aws().cmkArn(), info.aws().endpoint(), info.aws().caFile()).kmsTarget(), null);
            MigrationRecord begun;
            try (MongoClient client = ClusterConnection.open(draft.connectionProperty().get().clientSettings())) {
                Migrations migration = new Migrations(client, draft.connectionProperty().get().clientSettings(),
                        draft.keyVaultProperty().get(),
                    Migrations.DEFAULT_JOURNAL_COLLECTION);
                begun = migration.begin(migration.plan(new MigrationRequest(Strategy.REKEY, List.of(), "local", draft.targetProperty().get(),
                    MigrationRequest.DEFAULT_CHUNK, 5, 1, false, false, dir.resolve("backup.json"))));
                draft.migrationProperty().set(new StartedMigration(begun.id(), Strategy.REKEY));
                RunViewModel viewModel = new RunViewModel(draft, background, new Failures(), dir.resolve("reports"));

                FxThread.run(viewModel::enter);
                WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> viewModel.overallProperty().get() > 0);
                // As closing the window does: pause, and act only once the batch in progress is journaled.
                AtomicReference<Boolean> pausedWhenCalledBack = new AtomicReference<>();
                FxThread.run(() -> viewModel.pauseThen(() -> pausedWhenCalledBack.set(viewModel.pausedProperty().get()
                        && !viewModel.runningProperty().get())));
                WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> pausedWhenCalledBack.get() != null);
                assertThat(pausedWhenCalledBack.get()).as("called back only once the run stopped").isTrue();

                MigrationRecord paused = migration.get(begun.id());
                assertThat(paused.stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
                assertThat(paused.rekey().collections()).anyMatch(c -> !c.done());
                assertThat(viewModel.valid().get()).isFalse();
                assertThat(viewModel.log()).anySatisfy(line -> assertThat(line).startsWith("Paused between batches"));

                FxThread.run(viewModel::start);
                WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> viewModel.finishedProperty().get());

                assertThat(viewModel.valid().get()).isTrue();
                assertThat(draft.finishedRunProperty().get().report().verification().passed()).isTrue();
                assertThat(migration.get(begun.id()).stage()).isEqualTo(MigrationRecord.Stage.DONE);
                assertThat(viewModel.rows()).extracting(ProgressRow::name)
                        .containsExactly("clinic.patients", "clinic.visits", "hr.employees");
                assertThat(viewModel.overallProperty().get()).isEqualTo(1.0);
                assertThat(viewModel.headlineProperty().get()).matches("All [0-9,]+ documents converted \\([1-9][0-9,]* values\\); final pass: .*, 0 KMS retries");
            } finally {
                draft.close();
            }
        } finally {
            background.shutdownNow();
        }
    }
}
