package io.keyshift.ui.keyvault;

import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingCell;
import io.keyshift.ui.keyvault.HealthViewModel.Count;
import io.keyshift.ui.keyvault.HealthViewModel.KeyValues;
import io.keyshift.ui.keyvault.HealthViewModel.SummaryItem;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import org.controlsfx.control.MaskerPane;
import org.controlsfx.control.textfield.TextFields;

import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * The Health view of the Key vault page: the summary strip (each item selects its rows in the table),
 * the findings table with a clearable search, and three charts each beside a table of the same numbers.
 */
public final class HealthController {

    private final HealthViewModel viewModel;
    private final ResourceBundle messages;

    @FXML private FlowPane summaryStrip;
    @FXML private Button auditButton;
    @FXML private Label errorLabel;
    @FXML private TabPane tabs;
    @FXML private Tab findingsTab;
    @FXML private Label findingsCountLabel;
    @FXML private Label searchLabel;
    @FXML private HBox searchBox;
    @FXML private TableView<HealthRow> healthTable;
    @FXML private TableColumn<HealthRow, String> categoryColumn;
    @FXML private TableColumn<HealthRow, String> subjectColumn;
    @FXML private TableColumn<HealthRow, String> whereColumn;
    @FXML private TableColumn<HealthRow, Long> countColumn;
    @FXML private TableColumn<HealthRow, String> detailColumn;
    @FXML private StackedBarChart<Number, String> valuesChart;
    @FXML private CategoryAxis valuesKeyAxis;
    @FXML private TableView<KeyValues> valuesTable;
    @FXML private TableColumn<KeyValues, String> valuesKeyColumn;
    @FXML private TableColumn<KeyValues, String> valuesNamespaceColumn;
    @FXML private TableColumn<KeyValues, Long> valuesCountColumn;
    @FXML private BarChart<String, Number> ageChart;
    @FXML private TableView<Count> ageTable;
    @FXML private TableColumn<Count, String> ageLabelColumn;
    @FXML private TableColumn<Count, Long> ageCountColumn;
    @FXML private BarChart<Number, String> masterKeyChart;
    @FXML private TableView<Count> masterKeyTable;
    @FXML private TableColumn<Count, String> masterKeyLabelColumn;
    @FXML private TableColumn<Count, Long> masterKeyCountColumn;
    @FXML private MaskerPane masker;

    public HealthController(HealthViewModel viewModel, ResourceBundle messages) {
        this.viewModel = viewModel;
        this.messages = messages;
    }

    @FXML
    private void initialize() {
        // ControlsFX: a search field with a clear button, and a masker that keeps the view readable while it loads.
        TextField search = TextFields.createClearableTextField();
        search.setPromptText(messages.getString("health.search.prompt"));
        search.setPrefColumnCount(18);
        search.textProperty().bindBidirectional(viewModel.searchProperty());
        searchLabel.setLabelFor(search);
        searchBox.getChildren().setAll(search);
        masker.visibleProperty().bind(viewModel.loadingProperty());
        masker.textProperty().bind(viewModel.progressProperty());
        auditButton.disableProperty().bind(viewModel.loadingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());

        healthTable.setItems(viewModel.visibleRows());
        healthTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        text(categoryColumn, row -> messages.getString("health.category." + row.category().name()));
        text(subjectColumn, HealthRow::subject);
        subjectColumn.setCellFactory(WrappingCell::new);
        text(whereColumn, HealthRow::where);
        whereColumn.setCellFactory(WrappingCell::new);
        countColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().count()));
        text(detailColumn, HealthRow::detail);
        detailColumn.setCellFactory(WrappingCell::new);
        findingsCountLabel.textProperty().bind(Bindings.createStringBinding(() -> MessageFormat.format(
                messages.getString("health.findings.count"), viewModel.visibleRows().size(),
                healthTable.getSelectionModel().getSelectedItems().size()),
                viewModel.visibleRows(), healthTable.getSelectionModel().getSelectedItems()));

        viewModel.summary().addListener((ListChangeListener<SummaryItem>) change -> showSummary());
        valuesTable.setItems(viewModel.keyValues());
        valuesKeyColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().key()));
        valuesKeyColumn.setCellFactory(WrappingCell::new);
        valuesNamespaceColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().namespace()));
        valuesCountColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().values()));
        viewModel.keyValues().addListener((ListChangeListener<KeyValues>) change -> showValues());
        counts(ageTable, ageLabelColumn, ageCountColumn, viewModel.ages());
        viewModel.ages().addListener((ListChangeListener<Count>) change -> ageChart.getData().setAll(List.of(
                series(viewModel.ages(), count -> new XYChart.Data<String, Number>(count.shortLabel(), count.count())))));
        counts(masterKeyTable, masterKeyLabelColumn, masterKeyCountColumn, viewModel.keysPerMasterKey());
        viewModel.keysPerMasterKey().addListener((ListChangeListener<Count>) change -> masterKeyChart.getData().setAll(List.of(
                series(viewModel.keysPerMasterKey(), count -> new XYChart.Data<Number, String>(count.count(), count.shortLabel())))));
    }

    /** The Key vault page's "read every document" applies to the audit too. */
    void bindFullScan(BooleanProperty fullScan) {
        viewModel.fullScanProperty().bind(fullScan);
    }

    /** Audits the first time the view is shown; later only on request. */
    void shown() {
        if (viewModel.reportProperty().get() == null && !viewModel.loadingProperty().get()) {
            viewModel.load();
        }
    }

    private void showSummary() {
        summaryStrip.getChildren().setAll(viewModel.summary().stream().map(item -> {
            Button button = new Button(item.text());
            button.setId("summary-" + item.id());
            button.getStyleClass().addAll("summary-item", item.problem() ? "summary-problem" : "summary-ok");
            button.setMinWidth(Button.USE_PREF_SIZE);
            button.setOnAction(event -> select(item));
            return button;
        }).toList());
    }

    /** Shows the findings table with exactly the item's rows selected, the first one scrolled to. */
    private void select(SummaryItem item) {
        viewModel.searchProperty().set("");
        tabs.getSelectionModel().select(findingsTab);
        healthTable.getSelectionModel().clearSelection();
        List<HealthRow> items = healthTable.getItems();
        int first = -1;
        for (int i = 0; i < items.size(); i++) {
            if (item.selects().test(items.get(i))) {
                healthTable.getSelectionModel().select(i);
                first = first < 0 ? i : first;
            }
        }
        if (first >= 0) {
            healthTable.scrollTo(first);
        }
        healthTable.requestFocus();
    }

    private void showValues() {
        Map<String, XYChart.Series<Number, String>> byNamespace = new LinkedHashMap<>();
        for (KeyValues values : viewModel.keyValues()) {
            byNamespace.computeIfAbsent(values.namespace(), namespace -> {
                XYChart.Series<Number, String> series = new XYChart.Series<>();
                series.setName(namespace);
                return series;
            }).getData().add(new XYChart.Data<>(values.values(), values.shortKey()));
        }
        // A stacked chart needs its categories set before its data, or bars land on the wrong rows.
        valuesKeyAxis.getCategories().setAll(viewModel.keyValues().stream().map(KeyValues::shortKey).distinct().toList());
        valuesChart.getData().setAll(byNamespace.values());
    }

    private static <X, Y> XYChart.Series<X, Y> series(List<Count> counts, Function<Count, XYChart.Data<X, Y>> point) {
        XYChart.Series<X, Y> series = new XYChart.Series<>();
        counts.forEach(count -> series.getData().add(point.apply(count)));
        return series;
    }

    private static void counts(TableView<Count> table, TableColumn<Count, String> label, TableColumn<Count, Long> count,
                               ObservableList<Count> items) {
        table.setItems(items);
        label.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().label()));
        label.setCellFactory(WrappingCell::new);
        count.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().count()));
    }

    private static void text(TableColumn<HealthRow, String> column, Function<HealthRow, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }

    @FXML
    private void onAudit() {
        viewModel.load();
    }
}
