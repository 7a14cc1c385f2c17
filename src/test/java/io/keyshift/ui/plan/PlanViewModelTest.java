package io.keyshift.ui.plan;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Abandonment;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.migrate.UnfinishedMigration;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.StartedMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class PlanViewModelTest {

    @TempDir
    Path dir;

    @Test
    void theDryRunShowsThePlanAndDecryptNeedsItsTypedConfirmation(TestStack stack) throws Exception {
        MigrationDraft draft = readyDraft(stack.info());
        PlanViewModel viewModel = new PlanViewModel(draft, FxThread.DIRECT, new Failures());

        FxThread.run(viewModel::dryRun);

        assertThat(viewModel.summary()).first().asString().startsWith("REWRAP 6 data key(s)");
        assertThat(viewModel.summary()).anySatisfy(line -> assertThat(line).contains("Unchanged: Data key ids and key material"));
        assertThat(viewModel.blockers()).isEmpty();
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(() -> viewModel.strategyProperty().set(Strategy.DECRYPT));

        assertThat(viewModel.summary()).first().asString().startsWith("DECRYPT 6 data key(s)")
                .contains("their values become plaintext");
        assertThat(viewModel.valid().get()).as("not before DECRYPT is typed").isFalse();
        FxThread.run(() -> viewModel.decryptConfirmationProperty().set("decrypt"));
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(() -> viewModel.strategyProperty().set(Strategy.REKEY));
        assertThat(viewModel.summary()).contains("  Batches of 200 documents, 4 worker(s); one conditional update per document");
        FxThread.run(() -> {
            viewModel.workersProperty().set(2);
            viewModel.batchSizeProperty().set(50);
        });
        assertThat(viewModel.summary()).as("the dry run is redone with the new settings")
                .contains("  Batches of 50 documents, 2 worker(s); one conditional update per document");
        draft.close();
    }

    @Test
    void anUnfinishedMigrationOfTheSelectedKeysDisablesStartPreselectsItsStrategyAndIsResumedOrAbandoned() throws Exception {
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(10), line -> { })) {
            MigrationDraft draft = readyDraft(sandbox.info());
            MigrationRecord begun;
            try (MongoClient client = ClusterConnection.open(draft.connectionProperty().get().clientSettings())) {
                Migrations migration = new Migrations(client, draft.connectionProperty().get().clientSettings(),
                        draft.keyVaultProperty().get(),
                    Migrations.DEFAULT_JOURNAL_COLLECTION);
                begun = migration.begin(migration.plan(new MigrationRequest(Strategy.REKEY, List.of(), "local", draft.targetProperty().get(),
                    MigrationRequest.DEFAULT_CHUNK, 50, 1, false, false, dir.resolve("backup.json"))));
            }
            PlanViewModel viewModel = new PlanViewModel(draft, FxThread.DIRECT, new Failures());

            FxThread.run(viewModel::enter);

            assertThat(viewModel.unfinished()).map(UnfinishedMigration::id).contains(begun.id());
            assertThat(viewModel.strategyProperty().get()).as("the unfinished migration's strategy").isEqualTo(Strategy.REKEY);
            assertThat(viewModel.blockers()).anySatisfy(blocker -> assertThat(blocker)
                    .startsWith("Migration " + begun.id() + " (REKEY, started ")
                    .contains("stopped after its backup, before any other write"));
            assertThat(viewModel.valid().get()).as("Start").isFalse();
            AtomicBoolean runPageShown = new AtomicBoolean();
            FxThread.run(() -> viewModel.resumeUnfinished(() -> runPageShown.set(true)));
            assertThat(runPageShown).isTrue();
            assertThat(draft.migrationProperty().get()).isEqualTo(new StartedMigration(begun.id(), Strategy.REKEY));

            AtomicReference<Abandonment.Plan> shown = new AtomicReference<>();
            FxThread.run(() -> viewModel.prepareAbandon(shown::set));
            assertThat(shown.get().describe()).first().asString().startsWith("Abandon migration " + begun.id() + " (REKEY");
            assertThat(PlanViewModel.confirmsAbandon(shown.get(), "yes")).isFalse();
            assertThat(PlanViewModel.confirmsAbandon(shown.get(), " " + begun.id() + " ")).isTrue();
            FxThread.run(() -> viewModel.abandon(shown.get()));

            assertThat(viewModel.abandonedProperty().get()).startsWith("Migration " + begun.id() + " is abandoned");
            assertThat(viewModel.unfinished()).isEmpty();
            assertThat(viewModel.blockers()).isEmpty();
            assertThat(viewModel.valid().get()).as("Start, once the keys are free").isTrue();
            draft.close();
        }
    }

    /** As the pages before Plan leave it: connected, keys selected, local key and AWS target checked. */
    private static MigrationDraft readyDraft(SandboxInfo info) {
        MigrationDraft draft = Drafts.withAllKeysSelected(info);
        draft.sources(List.of(LocalProvider.load(info.localKeyFile())));
        SandboxInfo.Credentials migrator = info.aws().migrator();
        draft.target(new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(),
                null), info.aws().region(), info.aws().cmkArn(), info.aws().endpoint(), info.aws().caFile()).kmsTarget(), null);
        return draft;
    }
}
