package io.keyshift.ui.keyvault;

import io.keyshift.core.audit.AuditProgress;
import io.keyshift.core.audit.AuditReport;
import io.keyshift.core.audit.AuditReport.AgeBucket;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.audit.AuditRequest;
import io.keyshift.core.audit.Auditor;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.scan.KeyUse;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.keyvault.HealthRow.Category;
import io.keyshift.ui.wizard.MigrationDraft;
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
import javafx.concurrent.Task;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Key vault page's Health view: runs the audit (the engine's {@link Auditor}) in the background and
 * turns its report into a summary strip, one table of keys and findings, and the charts' data. Reads
 * only. FX thread only, except where a comment says otherwise.
 */
public final class HealthViewModel {

    /**
     * One item of the summary strip: which rows it selects, and its text with the count in it.
     *
     * @param id names the item for tests and tools: {@code provider-local}, {@code dangling}, {@code unused}, …
     */
    public record SummaryItem(String id, String text, long count, boolean problem, Predicate<HealthRow> selects) {
    }

    /**
     * Values of one data key in one collection: a bar segment of the first chart and a row of its table.
     *
     * @param shortKey the key's alt name, or the start of its id, for the chart's axis
     */
    public record KeyValues(String key, String shortKey, String namespace, long values) {
    }

    /**
     * A category of a bar chart with its number: age buckets, master keys.
     *
     * @param shortLabel the label on the chart's axis; the table shows the whole label
     */
    public record Count(String label, String shortLabel, long count) {
    }

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final ResourceBundle messages = FxmlLoaderFactory.messages();
    private final BooleanProperty fullScan = new SimpleBooleanProperty();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final StringProperty progress = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<AuditReport> report = new SimpleObjectProperty<>();
    private final ObservableList<SummaryItem> summary = FXCollections.observableArrayList();
    private final ObservableList<HealthRow> rows = FXCollections.observableArrayList();
    private final FilteredList<HealthRow> visibleRows = new FilteredList<>(rows);
    private final ObservableList<KeyValues> keyValues = FXCollections.observableArrayList();
    private final ObservableList<Count> ages = FXCollections.observableArrayList();
    private final ObservableList<Count> keysPerMasterKey = FXCollections.observableArrayList();

    public HealthViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        search.addListener((obs, old, text) -> visibleRows.setPredicate(row -> row.matches(text)));
    }

    /** Audits the draft's key vault in the background; progress arrives as sentences, coalesced per pulse. */
    public void load() {
        ConnectionProfile connection = draft.connectionProperty().get();
        AuditRequest request = new AuditRequest(draft.keyVaultProperty().get(), List.of(),
                fullScan.get() ? ScanMode.full() : ScanMode.DEFAULT,
                Optional.ofNullable(draft.schemaFileProperty().get()),
                // The CMKs are checked with the credentials the DBA already has (environment, default profile);
                // kmip, azure and gcp master keys with the providers that opened the selected keys, if any yet.
                Optional.of(new AuditRequest.AwsAccess(AwsCredentialSource.defaultChain(), null, null, null)),
                List.copyOf(draft.sources()));
        error.set("");
        loading.set(true);
        // Runs on a background thread: reads the vault, scans every collection, asks each CMK's KMS once.
        Task<AuditReport> task = Tasks.start(executor,
                lines -> new Auditor(connection.clientSettings()).audit(request, null, step -> lines.accept(sentence(step))),
                audited -> {
                    loading.set(false);
                    show(audited);
                }, failure -> {
                    loading.set(false);
                    error.set(failures.sentence(failure));
                });
        progress.bind(task.messageProperty());
    }

    /** Runs on the auditing thread: only reads the resource bundle. */
    private String sentence(AuditProgress step) {
        return switch (step.stage()) {
            case KEYS -> messages.getString("health.progress.keys");
            case KMS, DONE -> messages.getString("health.progress.kms");
            case SCAN -> MessageFormat.format(messages.getString(step.eta().isPresent()
                            ? "health.progress.scanEta" : "health.progress.scan"), step.namespace(),
                    step.documentsScanned(), step.documentsTotal(), step.eta().map(eta -> Math.max(1, eta.toSeconds())).orElse(0L));
        };
    }

    void show(AuditReport audited) {
        report.set(audited);
        List<SummaryItem> items = new ArrayList<>();
        audited.keysByProvider().forEach((provider, count) -> items.add(new SummaryItem("provider-" + provider,
                MessageFormat.format(messages.getString("health.summary.provider"), count, provider), count, false,
                row -> row.category() != Category.KMS && row.provider().equals(provider))));
        items.add(item("dangling", audited.danglingValues(), Category.DANGLING));
        items.add(item("unused", audited.unusedKeys().size(), Category.UNUSED));
        items.add(item("drift", audited.drift().size(), Category.DRIFT));
        items.add(item("kms", audited.kmsProblems().size(), Category.KMS));
        summary.setAll(items);

        List<HealthRow> lines = new ArrayList<>();
        for (KeyHealth key : audited.keys()) {
            lines.add(new HealthRow(key.unused() ? Category.UNUSED : Category.KEY, key.provider(), name(key),
                    key.masterKey().equals("-") ? key.provider() : key.provider() + " " + key.masterKey(), key.values(), MessageFormat.format(messages.getString("health.row.age"),
                    days(key.ageDays()), days(key.daysSinceRewrap()))));
        }
        audited.dangling().forEach(d -> lines.add(new HealthRow(Category.DANGLING, "", d.keyId().toString(),
                d.namespace() + " " + d.path(), d.values(),
                MessageFormat.format(messages.getString("health.row.dangling"), String.join(", ", d.ids())))));
        audited.drift().forEach(d -> lines.add(new HealthRow(Category.DRIFT, "", d.path(), d.namespace(), d.values(),
                MessageFormat.format(messages.getString("health.row.drift." + d.kind().name()),
                        d.expected() == null ? "" : d.expected(), d.found(), String.join(", ", d.ids())))));
        audited.kmsProblems().forEach(m -> lines.add(new HealthRow(Category.KMS, "", m.masterKey(), m.provider(),
                m.keyIds().size(), m.problem())));
        rows.setAll(lines);

        List<KeyValues> values = new ArrayList<>();
        for (KeyHealth key : audited.keys()) {
            key.usedBy().stream().filter(use -> use.source() == KeyUse.Source.DATA)
                    .collect(Collectors.groupingBy(KeyUse::namespace, TreeMap::new,
                            Collectors.summingLong(KeyUse::values)))
                    .forEach((namespace, count) -> values.add(new KeyValues(name(key), shortName(key), namespace, count)));
        }
        keyValues.setAll(values);
        List<Count> buckets = new ArrayList<>();
        for (Map.Entry<AgeBucket, Long> bucket : audited.ageDistribution().entrySet()) {
            String label = messages.getString("health.age." + bucket.getKey().name());
            buckets.add(new Count(label, label, bucket.getValue()));
        }
        ages.setAll(buckets);
        keysPerMasterKey.setAll(audited.masterKeys().stream()
                .map((MasterKeyHealth m) -> new Count(m.masterKey().equals("-") ? m.provider() : m.provider() + " " + m.masterKey(),
                        shortName(m), m.keyIds().size()))
                .toList());
    }

    private SummaryItem item(String id, long count, Category category) {
        return new SummaryItem(id, MessageFormat.format(messages.getString("health.summary." + id), count), count,
                count > 0, row -> row.category() == category);
    }

    private String days(Long days) {
        return days == null ? messages.getString("health.row.noDate") : String.valueOf(days);
    }

    private static String name(KeyHealth key) {
        return key.keyAltNames().isEmpty() ? key.id().toString() : key.keyAltNames().get(0) + " (" + key.id() + ")";
    }

    /** The provider and the last part of the key's name: {@code aws …/keyshift-sandbox}. */
    private static String shortName(MasterKeyHealth masterKey) {
        String key = masterKey.aws() != null ? masterKey.aws().key() : "";
        return key.isEmpty() ? masterKey.provider() : masterKey.provider() + " …" + key.substring(Math.max(0, key.lastIndexOf('/')));
    }

    private static String shortName(KeyHealth key) {
        return key.keyAltNames().isEmpty() ? key.id().toString().substring(0, 8) + "…" : key.keyAltNames().get(0);
    }

    public BooleanProperty fullScanProperty() {
        return fullScan;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyObjectProperty<AuditReport> reportProperty() {
        return report;
    }

    public ObservableList<SummaryItem> summary() {
        return summary;
    }

    public ObservableList<HealthRow> rows() {
        return rows;
    }

    /** The rows the search lets through. */
    public FilteredList<HealthRow> visibleRows() {
        return visibleRows;
    }

    public ObservableList<KeyValues> keyValues() {
        return keyValues;
    }

    public ObservableList<Count> ages() {
        return ages;
    }

    public ObservableList<Count> keysPerMasterKey() {
        return keysPerMasterKey;
    }
}
