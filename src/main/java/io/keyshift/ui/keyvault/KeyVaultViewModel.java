package io.keyshift.ui.keyvault;

import com.mongodb.MongoNamespace;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.files.OwnerOnlyFiles;
import io.keyshift.core.inspect.InspectJson;
import io.keyshift.core.inspect.InspectReport;
import io.keyshift.core.inspect.InspectRequest;
import io.keyshift.core.inspect.Inspector;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.KeyUse;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
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
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The Key vault page: lists the data keys, maps where data uses them, and holds the choice of keys to
 * migrate (by default every key under a local master key). Reads only. FX thread only.
 */
public final class KeyVaultViewModel implements WizardPage {

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final StringProperty namespace = new SimpleStringProperty(InspectRequest.DEFAULT_KEY_VAULT);
    private final BooleanProperty fullScan = new SimpleBooleanProperty();
    private final StringProperty search = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty exportMessage = new SimpleStringProperty("");
    private final ObjectProperty<InspectReport> report = new SimpleObjectProperty<>();
    private final ObservableList<KeyRow> rows = FXCollections.observableArrayList(row -> new Observable[]{row.selectedProperty()});
    private final FilteredList<KeyRow> visibleRows = new FilteredList<>(rows);
    private final ObservableList<UsageRow> usageRows = FXCollections.observableArrayList();
    private final StringProperty providerCounts = new SimpleStringProperty("");
    private final StringProperty missingKeys = new SimpleStringProperty("");
    private final StringProperty scanSummary = new SimpleStringProperty("");
    private final IntegerBinding selectedCount;
    private final BooleanBinding valid;
    private LoadedFrom loadedFrom;

    /** What the table was read from, so entering the page again reloads only when that changed. */
    private record LoadedFrom(ConnectionProfile connection, MongoNamespace keyVault, ScanMode scan) {
    }

    public KeyVaultViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        search.addListener((obs, old, text) -> visibleRows.setPredicate(row -> row.matches(text)));
        selectedCount = Bindings.createIntegerBinding(
                () -> (int) rows.stream().filter(row -> row.selectedProperty().get()).count(), rows);
        valid = report.isNotNull().and(loading.not()).and(selectedCount.greaterThan(0));
    }

    /** Called when the page shows: loads the vault unless it already shows this connection's. */
    @Override
    public void enter() {
        namespace.set(draft.keyVaultProperty().get().getFullName());
        ConnectionProfile connection = draft.connectionProperty().get();
        if (loadedFrom == null || loadedFrom.connection() != connection) {
            load();
        }
    }

    /** Reads the key vault and scans the collections in the background. */
    public void load() {
        MongoNamespace keyVault;
        try {
            keyVault = KeyVault.namespace(namespace.get().strip());
        } catch (KeyShiftException e) {
            error.set(e.getMessage());
            return;
        }
        ConnectionProfile connection = draft.connectionProperty().get();
        ScanMode scan = fullScan.get() ? ScanMode.full() : ScanMode.DEFAULT;
        InspectRequest request = new InspectRequest(keyVault, List.of(), scan, Optional.empty());
        error.set("");
        exportMessage.set("");
        loading.set(true);
        // Runs on a background thread: it reads the key vault and samples every collection.
        Tasks.start(executor, progress -> new Inspector(connection.clientSettings()).inspect(request, null), inspected -> {
            loading.set(false);
            boolean reload = loadedFrom != null && loadedFrom.connection() == connection
                    && loadedFrom.keyVault().equals(keyVault);
            loadedFrom = new LoadedFrom(connection, keyVault, scan);
            draft.keyVaultProperty().set(keyVault);
            show(inspected, reload ? selection() : Map.of());
        }, failure -> {
            loading.set(false);
            error.set(failures.sentence(failure));
        });
    }

    /**
     * Shows what was read. A reload of the same vault keeps the DBA's choice: a key shown before keeps its
     * tick and a key new since then starts unticked; a first load ticks the keys under a local master key.
     *
     * @param before the tick of each key shown before; empty on a first load
     */
    void show(InspectReport inspected, Map<UUID, Boolean> before) {
        report.set(inspected);
        rows.setAll(inspected.keys().stream().map(key -> {
            KeyRow row = new KeyRow(key, inspected.keyUsage().usesOf(key.id()));
            row.selectedProperty().set(before.isEmpty() ? key.masterKey().isLocal() : before.getOrDefault(key.id(), false));
            return row;
        }).toList());
        Map<String, Long> byProvider = inspected.keys().stream()
                .collect(Collectors.groupingBy(key -> key.masterKey().provider(), TreeMap::new, Collectors.counting()));
        providerCounts.set(inspected.keys().size() + " data keys" + (byProvider.isEmpty() ? "" : ": "
                + byProvider.entrySet().stream().map(entry -> entry.getValue() + " " + entry.getKey())
                        .collect(Collectors.joining(", "))));
        Map<UUID, String> names = inspected.keys().stream().collect(Collectors.toMap(DataKey::id,
                key -> key.keyAltNames().isEmpty() ? key.id().toString() : key.keyAltNames().get(0)));
        usageRows.setAll(inspected.usage().namespaces().stream()
                .flatMap(usage -> usage.fields().stream().map(field -> usageRow(usage, field, names)))
                .toList());
        long documents = inspected.usage().namespaces().stream().mapToLong(NamespaceUsage::documentsScanned).sum();
        scanSummary.set(documents + " documents in " + inspected.usage().namespaces().size() + " collections, "
                + (inspected.usage().mode().isFull() ? "every document read"
                   : "at most " + inspected.usage().mode().sampleSize() + " read from each"));
        missingKeys.set(missingSentence(inspected.keyUsage().missing()));
    }

    private static UsageRow usageRow(NamespaceUsage usage, FieldUsage field, Map<UUID, String> names) {
        return new UsageRow(usage.namespace(), field.path(), names.getOrDefault(field.keyId(), field.keyId().toString()),
                field.values(), field.algorithms().stream().sorted().map(InspectJson::algorithm).collect(Collectors.joining(", ")),
                names.containsKey(field.keyId()));
    }

    private static String missingSentence(Map<UUID, List<KeyUse>> missing) {
        if (missing.isEmpty()) {
            return "";
        }
        String keys = missing.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + entry.getValue().stream().map(use -> use.namespace() + " " + use.path())
                        .distinct().collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
        return missing.size() + (missing.size() == 1 ? " data key is" : " data keys are") + " used by data but missing"
                + " from the key vault: " + keys + ". Those values cannot be decrypted by anyone: restore the keys from"
                + " a key vault backup before migrating.";
    }

    private Map<UUID, Boolean> selection() {
        return rows.stream().collect(Collectors.toMap(row -> row.key().id(), row -> row.selectedProperty().get()));
    }

    /** Selects exactly the keys wrapped by a local master key: the ones a migration to AWS moves. */
    public void selectLocal() {
        rows.forEach(row -> row.selectedProperty().set(row.key().masterKey().isLocal()));
    }

    public void selectNone() {
        rows.forEach(row -> row.selectedProperty().set(false));
    }

    /** Writes the inspect report as JSON (the same document as {@code keyshift inspect --json}) in the background. */
    public void export(Path file) {
        InspectReport inspected = Objects.requireNonNull(report.get(), "nothing loaded to export");
        Tasks.start(executor, progress -> write(file, InspectJson.toJson(inspected)),
                written -> exportMessage.set("Exported to " + written + "."),
                failure -> exportMessage.set(failures.sentence(failure)));
    }

    /** Runs on a background thread; the export names every key id, so only its owner may read it. */
    private static Path write(Path file, String json) {
        try {
            return OwnerOnlyFiles.write(file, json + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not write " + file + " (" + e.getMessage() + "): choose a folder you may write to.", e);
        }
    }

    /** Hands the chosen keys to the next pages. */
    public void commit() {
        draft.selectKeys(rows.stream().filter(row -> row.selectedProperty().get()).map(KeyRow::key).toList());
    }

    public StringProperty namespaceProperty() {
        return namespace;
    }

    public BooleanProperty fullScanProperty() {
        return fullScan;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyStringProperty exportMessageProperty() {
        return exportMessage;
    }

    public ReadOnlyObjectProperty<InspectReport> reportProperty() {
        return report;
    }

    public ObservableList<KeyRow> rows() {
        return rows;
    }

    /** The rows the search lets through. */
    public FilteredList<KeyRow> visibleRows() {
        return visibleRows;
    }

    public ObservableList<UsageRow> usageRows() {
        return usageRows;
    }

    public ReadOnlyStringProperty providerCountsProperty() {
        return providerCounts;
    }

    public ReadOnlyStringProperty missingKeysProperty() {
        return missingKeys;
    }

    public ReadOnlyStringProperty scanSummaryProperty() {
        return scanSummary;
    }

    public IntegerBinding selectedCount() {
        return selectedCount;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
