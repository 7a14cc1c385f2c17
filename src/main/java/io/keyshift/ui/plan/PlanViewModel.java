package io.keyshift.ui.plan;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.migrate.Abandonment;
import io.keyshift.core.migrate.Cutover;
import io.keyshift.core.migrate.MigrationPlan;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.MigrationPreflight;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.migrate.UnfinishedMigration;
import io.keyshift.core.schema.EncryptedField;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.StartedMigration;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Plan page: the strategy, the dry run (what will change, computed without writing) with the
 * preflight, and Start, which writes the backup and the journal entry. Also offers to resume a
 * migration the journal shows unfinished. FX thread only; the work runs on the executor.
 */
public final class PlanViewModel implements WizardPage {

    /** What DECRYPT asks the user to type, so plaintext is never one click away. */
    public static final String DECRYPT_CONFIRMATION = "DECRYPT";

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final ObjectProperty<Strategy> strategy = new SimpleObjectProperty<>(Strategy.REWRAP);
    private final StringProperty backupFile = new SimpleStringProperty();
    private final StringProperty route = new SimpleStringProperty("");
    private final StringProperty decryptConfirmation = new SimpleStringProperty("");
    private final IntegerProperty workers = new SimpleIntegerProperty(MigrationRequest.DEFAULT_WORKERS);
    private final IntegerProperty batchSize = new SimpleIntegerProperty(MigrationRequest.DEFAULT_BATCH);
    private final ObservableList<String> summary = FXCollections.observableArrayList();
    private final ObservableList<String> blockers = FXCollections.observableArrayList();
    private final BooleanProperty computing = new SimpleBooleanProperty();
    private final BooleanProperty starting = new SimpleBooleanProperty();
    private final BooleanProperty planned = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectProperty<UnfinishedMigration> unfinished = new SimpleObjectProperty<>();
    private final BooleanProperty abandoning = new SimpleBooleanProperty();
    private final StringProperty abandoned = new SimpleStringProperty("");
    private final BooleanBinding valid;
    private long generation;

    public PlanViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        backupFile.set(Migrations.defaultBackupFile().toString());
        valid = Bindings.createBooleanBinding(() -> planned.get() && blockers.isEmpty() && !computing.get() && !starting.get()
                        && unfinished.get() == null && !abandoning.get()
                        && (strategy.get() != Strategy.DECRYPT
                        || DECRYPT_CONFIRMATION.equals(decryptConfirmation.get().strip().toUpperCase(Locale.ROOT))),
                planned, blockers, computing, starting, unfinished, abandoning, strategy, decryptConfirmation);
        strategy.addListener((obs, old, chosen) -> dryRun());
        // REKEY and DECRYPT only: the plan states them, and the journal keeps them for every resume.
        workers.addListener((obs, old, value) -> redoUnlessRewrap());
        batchSize.addListener((obs, old, value) -> redoUnlessRewrap());
    }

    /**
     * On entering the page: whether an unfinished migration holds any selected key (core's rule: then
     * no migration of them may start, and its strategy is the one preselected), then the dry run.
     */
    @Override
    public void enter() {
        route.set(draft.route());
        ConnectionProfile connection = draft.connectionProperty().get();
        var keyVault = draft.keyVaultProperty().get();
        List<UUID> keys = draft.selectedKeys().stream().map(DataKey::id).toList();
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                return migrations(client, connection, keyVault).unfinishedOn(keys).stream().findFirst();
            }
        }, found -> {
            unfinished.set(found.orElse(null));
            if (found.isPresent() && found.get().strategy() != strategy.get()) {
                strategy.set(found.get().strategy()); // the strategy's listener does the dry run
            } else {
                dryRun();
            }
        }, failure -> {
            error.set(failures.sentence(failure));
            dryRun();
        });
    }

    /** Computes the plan and the preflight in the background; nothing is written. */
    public void dryRun() {
        long run = ++generation;
        planned.set(false);
        summary.clear();
        blockers.clear();
        error.set("");
        computing.set(true);
        Strategy chosen = strategy.get();
        ConnectionProfile connection = draft.connectionProperty().get();
        var keyVault = draft.keyVaultProperty().get();
        List<UUID> keys = draft.selectedKeys().stream().map(DataKey::id).toList();
        String sourceProvider = draft.sourceProvider();
        List<KmsProvider> sources = List.copyOf(draft.sources());
        KmsTarget target = draft.targetProperty().get();
        Path backup = Path.of(backupFile.get());
        Engine engine = new Engine(batchSize.get(), workers.get());
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                Migrations migrations = migrations(client, connection, keyVault);
                MigrationPlan plan = migrations.plan(request(chosen, keys, sourceProvider, target, engine, backup));
                return new DryRun(plan.describe(), migrations.preflight(plan, sources, target));
            }
        }, result -> {
            if (run != generation) {
                return;
            }
            computing.set(false);
            summary.setAll(result.summary());
            blockers.setAll(result.preflight().blockers());
            planned.set(true);
        }, failure -> {
            if (run == generation) {
                computing.set(false);
                error.set(failures.sentence(failure));
            }
        });
    }

    private void redoUnlessRewrap() {
        if (strategy.get() != Strategy.REWRAP) {
            dryRun();
        }
    }

    /** Writes the backup, then the journal entry; {@code started} runs on the FX thread once both are written. */
    public void start(Runnable started) {
        starting.set(true);
        Strategy chosen = strategy.get();
        ConnectionProfile connection = draft.connectionProperty().get();
        var keyVault = draft.keyVaultProperty().get();
        List<UUID> keys = draft.selectedKeys().stream().map(DataKey::id).toList();
        String sourceProvider = draft.sourceProvider();
        KmsTarget target = draft.targetProperty().get();
        Path backup = Path.of(backupFile.get());
        Engine engine = new Engine(batchSize.get(), workers.get());
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                Migrations migrations = migrations(client, connection, keyVault);
                MigrationPlan plan = migrations.plan(request(chosen, keys, sourceProvider, target, engine, backup));
                return new Begun(migrations.begin(plan).id(), plan.decryptedFields());
            }
        }, begun -> {
            starting.set(false);
            draft.decryptedFields().setAll(begun.decryptedFields());
            draft.migrationProperty().set(new StartedMigration(begun.id(), chosen));
            started.run();
        }, failure -> {
            starting.set(false);
            error.set(failures.sentence(failure));
        });
    }

    /** Takes up the unfinished migration holding the selected keys; the Run page resumes it. */
    public void resumeUnfinished(Runnable resumed) {
        UnfinishedMigration migration = unfinished.get();
        draft.migrationProperty().set(new StartedMigration(migration.id(), migration.strategy()));
        resumed.run();
    }

    /** Reads what abandoning the unfinished migration would do; {@code confirm} gets it on the FX thread. */
    public void prepareAbandon(Consumer<Abandonment.Plan> confirm) {
        String id = unfinished.get().id();
        abandoning.set(true);
        error.set("");
        withAbandonment(migrations -> migrations.planAbandon(id), plan -> {
            abandoning.set(false);
            confirm.accept(plan);
        });
    }

    /** True when the text typed is the id of the migration to abandon: nothing is abandoned on a click alone. */
    public static boolean confirmsAbandon(Abandonment.Plan plan, String typed) {
        return typed != null && typed.strip().equals(plan.migrationId());
    }

    /** Abandons the migration once its id was typed, then looks at the selected keys again. */
    public void abandon(Abandonment.Plan plan) {
        abandoning.set(true);
        withAbandonment(migrations -> migrations.abandon(plan), result -> {
            abandoning.set(false);
            abandoned.set(String.join("\n", result.describe()));
            enter();
        });
    }

    /** Background thread: one abandon step on the cluster; its refusal or failure is shown on the page. */
    private <T> void withAbandonment(Function<Migrations, T> step, Consumer<T> done) {
        ConnectionProfile connection = draft.connectionProperty().get();
        var keyVault = draft.keyVaultProperty().get();
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                return step.apply(migrations(client, connection, keyVault));
            }
        }, done, failure -> {
            abandoning.set(false);
            error.set(failures.sentence(failure));
        });
    }

    /** What Start's confirmation names: where it writes, what, and with which target key. */
    public record StartFacts(String cluster, int keys, String target, String backupFile) {
    }

    public StartFacts startFacts() {
        ClusterReport cluster = draft.clusterProperty().get();
        String hosts = cluster.members().stream().map(ClusterReport.Member::host).collect(Collectors.joining(", "));
        String where = cluster.setName() == null || cluster.setName().isBlank() || ClusterReport.UNKNOWN.equals(cluster.setName())
                ? hosts : cluster.setName() + " (" + hosts + ")";
        KmsTarget target = draft.targetProperty().get();
        return new StartFacts(where, draft.selectedKeys().size(),
                strategy.get() == Strategy.DECRYPT || target == null ? "—" : target.describe(), backupFile.get());
    }

    /** The cutover steps in order, for the selected keys' provider and the checked target. */
    public String cutoverOrder() {
        return String.join("\n", Cutover.order(strategy.get(), draft.sourceProvider(), journaledTarget()));
    }

    /** The kmsProviders (and masterKey) the applications deploy before the run: the selected keys' provider and the checked target's. */
    public String providersToDeploy() {
        MigrationRecord.Target target = journaledTarget();
        return target == null ? "" : Cutover.bothProviders(strategy.get(), draft.sourceProvider(), target);
    }

    private MigrationRecord.Target journaledTarget() {
        KmsTarget target = draft.targetProperty().get();
        return target == null ? null : new MigrationRecord.Target(target.provider().name(), target.masterKey(), null);
    }

    private static Migrations migrations(MongoClient client, ConnectionProfile connection, MongoNamespace keyVault) {
        return new Migrations(client, connection.clientSettings(), keyVault, Migrations.DEFAULT_JOURNAL_COLLECTION);
    }

    /** What the wizard asks for: REWRAP in chunks of the default size, REKEY moving alt names with its keys. */
    private static MigrationRequest request(Strategy chosen, List<UUID> keys, String sourceProvider, KmsTarget target,
                                            Engine engine, Path backup) {
        return new MigrationRequest(chosen, keys, sourceProvider, chosen == Strategy.DECRYPT ? null : target,
                MigrationRequest.DEFAULT_CHUNK, engine.batchSize(), engine.workers(), chosen == Strategy.REKEY, false, backup);
    }

    /** How REKEY and DECRYPT write: documents per bulk write, and batches in parallel. */
    private record Engine(int batchSize, int workers) {
    }

    /** A migration journaled, with the fields whose schema rules DECRYPT removes. */
    private record Begun(String id, Set<EncryptedField> decryptedFields) {
    }

    /** The plan and preflight, as shown. */
    record DryRun(List<String> summary, MigrationPreflight preflight) {
    }

    public ObjectProperty<Strategy> strategyProperty() {
        return strategy;
    }

    public IntegerProperty workersProperty() {
        return workers;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public StringProperty backupFileProperty() {
        return backupFile;
    }

    public StringProperty decryptConfirmationProperty() {
        return decryptConfirmation;
    }

    public ObservableList<String> summary() {
        return summary;
    }

    public ObservableList<String> blockers() {
        return blockers;
    }

    public ReadOnlyBooleanProperty computingProperty() {
        return computing;
    }

    public ReadOnlyBooleanProperty startingProperty() {
        return starting;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyObjectProperty<UnfinishedMigration> unfinishedProperty() {
        return unfinished;
    }

    public Optional<UnfinishedMigration> unfinished() {
        return Optional.ofNullable(unfinished.get());
    }

    public ReadOnlyBooleanProperty abandoningProperty() {
        return abandoning;
    }

    /** What the last abandon did, in sentences; empty before. */
    public ReadOnlyStringProperty abandonedProperty() {
        return abandoned;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }

    /** Source → target: what the selected keys are under, and where they go. */
    public ReadOnlyStringProperty routeProperty() {
        return route;
    }
}
