package io.keyshift.ui.schema;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.migrate.MigrationReport;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.SchemaOutcome;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.schema.QueryableEncryptionUse;
import io.keyshift.core.schema.RuleChange;
import io.keyshift.core.schema.SchemaChangedException;
import io.keyshift.core.schema.SchemaFile;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;
import io.keyshift.core.schema.SchemaPreview;
import io.keyshift.core.schema.SchemaRewrite.AltNameResolution;
import io.keyshift.core.schema.SchemaRewrite;
import io.keyshift.core.schema.SchemaChange;
import io.keyshift.core.schema.SchemaSnapshot;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.StartedMigration;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The Schema page: finds the automatic-encryption rules, previews their rewrite for the migration,
 * and writes exactly the reviewed preview. Valid when there is nothing to rewrite, or when the
 * preview is computed and the user has ticked that they reviewed it. FX thread only; reading and
 * writing run on the injected executor.
 */
public final class SchemaViewModel implements WizardPage {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final SchemaWriter writer;

    private final ObjectProperty<SchemaPreview> preview = new SimpleObjectProperty<>();
    private final BooleanProperty nothingToRewrite = new SimpleBooleanProperty();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final BooleanProperty applying = new SimpleBooleanProperty();
    private final BooleanProperty reviewed = new SimpleBooleanProperty();
    private final ObjectProperty<DiffView> diffView = new SimpleObjectProperty<>(DiffView.CHANGES);
    private final BooleanProperty noRulesFound = new SimpleBooleanProperty();
    private final BooleanProperty noSchemaMap = new SimpleBooleanProperty();
    private final BooleanProperty settling = new SimpleBooleanProperty();
    private final ObjectProperty<Path> schemaFile = new SimpleObjectProperty<>();
    private final ObservableList<RuleChange> changes = FXCollections.observableArrayList();
    private final BooleanProperty stale = new SimpleBooleanProperty();
    private final BooleanProperty applied = new SimpleBooleanProperty();
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty result = new SimpleStringProperty("");
    private final ObservableList<NamespaceRow> namespaces = FXCollections.observableArrayList();
    private final ObservableList<SideBySideRow> sideBySide = FXCollections.observableArrayList();
    private final ObservableList<UnifiedLine> unified = FXCollections.observableArrayList();
    private final BooleanBinding busy = loading.or(applying).or(settling);
    private final BooleanBinding reviewable;
    private final BooleanBinding applicable;
    private final BooleanBinding valid;
    private SchemaInputs inputs;
    private long previewRequest;

    public SchemaViewModel(MigrationDraft draft, Executor executor, Failures failures, SchemaWriter writer) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        this.writer = writer;
        reviewable = Bindings.createBooleanBinding(() -> preview.get() != null && preview.get().changesSomething()
                && !stale.get() && !applied.get() && !busy.get(), preview, stale, applied, busy);
        applicable = reviewable.and(reviewed);
        // With no rules found, the DBA must say that the applications use none (Migrations.schemaStepCanProceed).
        valid = Bindings.createBooleanBinding(() -> !busy.get() && !stale.get()
                && (noRulesFound.get() ? inputs != null && Migrations.schemaStepCanProceed(inputs.strategy(), false, false,
                noSchemaMap.get())
                : nothingToRewrite.get() || preview.get() != null && reviewed.get()),
                busy, stale, noRulesFound, noSchemaMap, nothingToRewrite, preview, reviewed);
    }

    /**
     * On entering the page: the rules of the migration the Plan page started. REKEY's new keys are created (and
     * journaled) first, so the diff shows the real new key ids and applications can switch to them before any
     * value is re-encrypted.
     */
    @Override
    public void enter() {
        StartedMigration migration = draft.migrationProperty().get();
        ConnectionProfile connection = draft.connectionProperty().get();
        MongoNamespace keyVaultNamespace = draft.keyVaultProperty().get();
        Optional<Path> schemaFile = Optional.ofNullable(draft.schemaFileProperty().get());
        Path validatorBackups = MigrationReport.defaultDirectory().resolveSibling("schema-backups");
        if (migration.strategy() == Strategy.DECRYPT) {
            load(SchemaInputs.decrypt(Optional.of(connection), keyVaultNamespace, Set.copyOf(draft.decryptedFields()),
                    schemaFile, validatorBackups).forMigration(migration.id()));
            return;
        }
        KmsTarget target = draft.targetProperty().get();
        Tasks.start(executor, progress -> {
            try (MongoClient client = ClusterConnection.open(connection.clientSettings())) {
                return new Migrations(client, connection.clientSettings(), keyVaultNamespace,
                        Migrations.DEFAULT_JOURNAL_COLLECTION).createKeys(migration.id(), target,
                        MigrationListener.NONE);
            }
        }, mapping -> load(SchemaInputs.rekey(Optional.of(connection), keyVaultNamespace,
                mapping, schemaFile, validatorBackups).forMigration(migration.id())),
                this::failedBeforePreview);
    }

    /** Reads the rules named by {@code inputs} and previews their rewrite. */
    public void load(SchemaInputs inputs) {
        this.inputs = inputs;
        schemaFile.set(inputs.schemaFile().orElse(null));
        refresh();
    }

    /** The applications' schema-map file, chosen on the page: its rules replace whatever was read before. */
    public void chooseSchemaFile(Path file) {
        SchemaInputs current = Objects.requireNonNull(inputs, "load() names the rules before a file is chosen");
        inputs = current.withSchemaFile(file);
        schemaFile.set(file);
        noSchemaMap.set(false);
        refresh();
    }

    /** Reads the rules again and shows a new preview, which must be reviewed again. */
    public void refresh() {
        SchemaInputs current = Objects.requireNonNull(inputs, "load() names the rules before a refresh");
        forgetPreview();
        error.set("");
        result.set("");
        loading.set(true);
        long request = ++previewRequest;
        // Only the latest request may fill the page: an earlier one read what the user no longer looks at.
        Tasks.start(executor, progress -> preview(current), found -> {
            if (request == previewRequest) {
                previewed(found);
            }
        }, failure -> {
            if (request == previewRequest) {
                loading.set(false);
                error.set(failures.sentence(failure));
            }
        });
    }

    private void forgetPreview() {
        preview.set(null);
        nothingToRewrite.set(false);
        noRulesFound.set(false);
        reviewed.set(false);
        stale.set(false);
        applied.set(false);
        summary.set("");
        namespaces.clear();
        sideBySide.clear();
        unified.clear();
        changes.clear();
    }

    private void previewed(Optional<SchemaPreview> found) {
        loading.set(false);
        if (found.isEmpty()) {
            noRulesFound.set(true);
            summary.set(MESSAGES.getString("schema.summary.noRules"));
            return;
        }
        SchemaPreview shown = found.get();
        changes.setAll(shown.changes());
        namespaces.setAll(rows(shown));
        sideBySide.setAll(shown.sideBySide());
        unified.setAll(shown.unifiedDiff().stream().map(UnifiedLine::of).toList());
        nothingToRewrite.set(!shown.changesSomething());
        summary.set(headline(shown));
        preview.set(shown);
    }

    /** Writes the reviewed preview, and nothing if the rules changed since it was computed. */
    public void apply() {
        if (!applicable.get()) {
            throw new IllegalStateException("apply() needs a reviewed preview that changes something");
        }
        SchemaInputs current = inputs;
        SchemaPreview accepted = preview.get();
        error.set("");
        applying.set(true);
        Tasks.start(executor, progress -> write(current, accepted, writer), backup -> {
            applying.set(false);
            applied.set(true);
            result.set(written(accepted, backup));
        }, failure -> {
            applying.set(false);
            if (failure instanceof SchemaChangedException) {
                stale.set(true);
                error.set("The " + accepted.source().description() + " changed since the preview, so nothing was"
                        + " written. Re-open the preview with Refresh preview and review the new diff.");
            } else {
                error.set(failures.sentence(failure));
            }
        });
    }

    /**
     * Called by Next: records in the migration's journal what the schema step settled — no schema map,
     * or rules that name nothing to change (a write is recorded with it) — then {@code proceed}s.
     */
    public void next(Runnable proceed) {
        Optional<SchemaOutcome> outcome = applied.get() ? Optional.empty()
                : noRulesFound.get() ? Optional.of(SchemaOutcome.noSchemaMap())
                : nothingToRewrite.get() ? Optional.of(SchemaOutcome.nothingToChange(preview.get()))
                : Optional.empty();
        if (outcome.isEmpty() || inputs.migrationId().isEmpty() || inputs.cluster().isEmpty()) {
            proceed.run();
            return;
        }
        SchemaInputs current = inputs;
        error.set("");
        settling.set(true);
        Tasks.start(executor, progress -> {
            try (MongoClient client = open(current.cluster().orElseThrow())) {
                record(client, current, outcome.get());
            }
            return outcome.get();
        }, recorded -> {
            settling.set(false);
            proceed.run();
        }, failure -> {
            settling.set(false);
            error.set(failures.sentence(failure));
        });
    }

    /** What Apply writes, for its confirmation: the file or the validators, and how many rules change. */
    public String applyConfirmation() {
        SchemaPreview shown = preview.get();
        return MessageFormat.format(MESSAGES.getString("schema.apply.confirm.text"), SchemaChange.target(shown),
                shown.changes().size(), shown.source() instanceof SchemaFile ? MESSAGES.getString("schema.apply.backup.file")
                        : MessageFormat.format(MESSAGES.getString("schema.apply.backup.validators"),
                        inputs.validatorBackupDir()));
    }

    /** The label of the button that writes: how many rule changes. */
    public String applyAction() {
        return MessageFormat.format(MESSAGES.getString("schema.apply.confirm.write"), preview.get().changes().size());
    }

    /** Runs on a background thread: reads the rules and, with a cluster, the key vault. */
    private static Optional<SchemaPreview> preview(SchemaInputs inputs) {
        try (MongoClient client = inputs.cluster().map(SchemaViewModel::open).orElse(null)) {
            return SchemaChange.preview(client, inputs.hosts(), inputs.request());
        }
    }

    /**
     * Runs on a background thread: writes only if the rules read again give byte for byte the accepted
     * preview, then journals the rewrite for the migration.
     */
    private static Path write(SchemaInputs inputs, SchemaPreview accepted, SchemaWriter writer) {
        try (MongoClient client = inputs.cluster().map(SchemaViewModel::open).orElse(null)) {
            SchemaChange.Applied applied = SchemaChange.apply(client, inputs.hosts(), inputs.request(),
                    accepted.previewHash(), writer, inputs.validatorBackupDir());
            if (client != null) {
                record(client, inputs, SchemaOutcome.rewritten(applied.preview(), applied.backup()));
            }
            return applied.backup();
        }
    }

    /** Runs on a background thread: journals the outcome of the migration's schema step, if there is a migration. */
    private static void record(MongoClient client, SchemaInputs inputs, SchemaOutcome outcome) {
        inputs.migrationId().ifPresent(id ->
                new Migrations(client, inputs.cluster().orElseThrow().clientSettings(), inputs.keyVault(),
                        Migrations.DEFAULT_JOURNAL_COLLECTION).schemaSettled(id, outcome));
    }

    private static MongoClient open(ConnectionProfile profile) {
        return ClusterConnection.open(profile.clientSettings());
    }

    private static String written(SchemaPreview accepted, Path backup) {
        if (accepted.source() instanceof SchemaFile file) {
            return "Wrote " + file.path() + ". The file as it was is saved as " + backup + ".";
        }
        return "Changed the validators of " + String.join(", ", accepted.changedNamespaces())
                + ". The validators as they were are saved as " + backup + ".";
    }

    private static String headline(SchemaPreview shown) {
        SchemaRewrite rewrite = shown.rewrite();
        String what = "Rules in the " + shown.source().description() + ": ";
        String change;
        if (!shown.changesSomething()) {
            change = "the rules name none of the migrated data keys or decrypted fields, so there is nothing to rewrite.";
        } else if (rewrite.removed().isEmpty()) {
            change = count(rewrite.replaced().size(), "keyId") + " rewritten in "
                    + count(shown.changedNamespaces().size(), "namespace") + ".";
        } else {
            change = count(rewrite.removed().size(), "encrypt block") + " removed in "
                    + count(shown.changedNamespaces().size(), "namespace") + ": these fields will be written as plaintext.";
        }
        String vault = rewrite.vaultChecked() ? ""
                : " The keyIds were not checked against the key vault, because no cluster was given.";
        return what + change + vault;
    }

    private static List<NamespaceRow> rows(SchemaPreview shown) {
        SchemaSnapshot source = shown.source();
        String kind = source instanceof SchemaFile ? "schema file" : "validator";
        SchemaRewrite rewrite = shown.rewrite();
        List<NamespaceRow> rows = new ArrayList<>();
        shown.summaries().forEach(summary ->
                rows.add(new NamespaceRow(summary.namespace(), kind, Optional.of(summary), note(rewrite, summary.namespace()))));
        for (QueryableEncryptionUse use : source.queryableEncryption()) {
            rows.add(new NamespaceRow(use.namespace(), "encryptedFields", Optional.empty(), "Queryable Encryption (fields "
                    + String.join(", ", use.fieldPaths()) + "): reported only, its keyIds are never rewritten."));
        }
        return rows;
    }

    /** What a DBA must know about one namespace beyond its counts. */
    private static String note(SchemaRewrite rewrite, String namespace) {
        List<String> notes = new ArrayList<>();
        rewrite.pointers().stream()
                .filter(pointer -> pointer.namespace().equals(namespace))
                .map(SchemaRewrite.PointerKeyId::resolution)
                .distinct()
                .forEach(resolution -> notes.add(pointerNote(resolution)));
        List<String> unknown = rewrite.unknown().stream()
                .filter(keyId -> keyId.namespace().equals(namespace))
                .map(keyId -> keyId.path() + " " + keyId.keyId())
                .toList();
        if (!unknown.isEmpty()) {
            notes.add("keyIds naming no DEK in the key vault (encryption would fail): " + String.join(", ", unknown) + ".");
        }
        return String.join(" ", notes);
    }

    private static String pointerNote(AltNameResolution resolution) {
        return switch (resolution) {
            case NEW_DEK -> "Alt-name pointers are kept; the alt names move to the new DEKs, so they find the new DEK.";
            case OLD_DEK -> "Alt-name pointers are kept; the alt names stay on the old DEKs, so new values would still"
                    + " be encrypted with the old DEK.";
            case UNCHANGED -> "Alt-name pointers are kept as they are.";
        };
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public ReadOnlyObjectProperty<SchemaPreview> previewProperty() {
        return preview;
    }

    public ReadOnlyBooleanProperty nothingToRewriteProperty() {
        return nothingToRewrite;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    public ReadOnlyBooleanProperty applyingProperty() {
        return applying;
    }

    /** The "I have reviewed this diff" tick; cleared by every new preview. */
    public BooleanProperty reviewedProperty() {
        return reviewed;
    }

    /** Which view of the change the page shows: the change list, side by side, or the unified diff. */
    public ObjectProperty<DiffView> diffViewProperty() {
        return diffView;
    }

    /** True when no schema-map file was given and no validator holds rules: the DBA must choose a file or say there is none. */
    public ReadOnlyBooleanProperty noRulesFoundProperty() {
        return noRulesFound;
    }

    /** The "My applications use no schema map" tick. */
    public BooleanProperty noSchemaMapProperty() {
        return noSchemaMap;
    }

    public ReadOnlyObjectProperty<Path> schemaFileProperty() {
        return schemaFile;
    }

    /** Every keyId replaced and encrypt block removed, with its namespace, field and keys. */
    public ObservableList<RuleChange> changes() {
        return changes;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** What went wrong before there was anything to preview (creating REKEY's new keys), said on this page. */
    public void failedBeforePreview(Throwable failure) {
        error.set(failures.sentence(failure));
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    /** What was written and where the backup is; empty until a write succeeds. */
    public ReadOnlyStringProperty resultProperty() {
        return result;
    }

    public ObservableList<NamespaceRow> namespaces() {
        return namespaces;
    }

    public ObservableList<SideBySideRow> sideBySide() {
        return sideBySide;
    }

    public ObservableList<UnifiedLine> unified() {
        return unified;
    }

    /** True while there is a preview to review: computed, changing something, not yet written. */
    public BooleanBinding reviewable() {
        return reviewable;
    }

    /** True when Apply may run: a reviewable preview the user ticked as reviewed. */
    public BooleanBinding applicable() {
        return applicable;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
