package io.keyshift.ui.keyvault;

import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingCell;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;

import java.util.List;
import java.util.function.Function;

/** The Key vault page: the table of data keys with search and detail, the usage map, export, selection. */
public final class KeyVaultController {

    private final KeyVaultViewModel viewModel;
    private final WizardNavigation navigation;

    @FXML private TextField namespaceField;
    @FXML private CheckBox fullScanBox;
    @FXML private Button loadButton;
    @FXML private ProgressIndicator loadProgress;
    @FXML private Label errorLabel;
    @FXML private Label missingLabel;
    @FXML private Label countsLabel;
    @FXML private TextField searchField;
    @FXML private Button exportButton;
    @FXML private Label exportLabel;
    @FXML private TableView<KeyRow> keyTable;
    @FXML private TableColumn<KeyRow, Boolean> selectColumn;
    @FXML private TableColumn<KeyRow, String> idColumn;
    @FXML private TableColumn<KeyRow, String> altNamesColumn;
    @FXML private TableColumn<KeyRow, String> providerColumn;
    @FXML private TableColumn<KeyRow, String> masterKeyColumn;
    @FXML private TableColumn<KeyRow, String> createdColumn;
    @FXML private TableColumn<KeyRow, String> updatedColumn;
    @FXML private TableColumn<KeyRow, String> usedByColumn;
    @FXML private TextArea detailArea;
    @FXML private Label scanSummaryLabel;
    @FXML private TableView<UsageRow> usageTable;
    @FXML private TableColumn<UsageRow, String> usageNamespaceColumn;
    @FXML private TableColumn<UsageRow, String> usagePathColumn;
    @FXML private TableColumn<UsageRow, String> usageKeyColumn;
    @FXML private TableColumn<UsageRow, Long> usageValuesColumn;
    @FXML private TableColumn<UsageRow, String> usageAlgorithmsColumn;
    @FXML private Label selectionLabel;
    @FXML private Button nextButton;
    @FXML private ToggleButton healthToggle;
    @FXML private Label searchLabel;
    @FXML private HBox keysActions;
    @FXML private SplitPane usagePane;
    @FXML private Node health;
    @FXML private HealthController healthController;

    public KeyVaultController(KeyVaultViewModel viewModel, WizardNavigation navigation) {
        this.viewModel = viewModel;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        namespaceField.textProperty().bindBidirectional(viewModel.namespaceProperty());
        fullScanBox.selectedProperty().bindBidirectional(viewModel.fullScanProperty());
        loadButton.disableProperty().bind(viewModel.loadingProperty());
        Visibility.showWhen(loadProgress, viewModel.loadingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        missingLabel.textProperty().bind(viewModel.missingKeysProperty());
        Visibility.showWhen(missingLabel, viewModel.missingKeysProperty().isNotEmpty());
        countsLabel.textProperty().bind(viewModel.providerCountsProperty());
        searchField.textProperty().bindBidirectional(viewModel.searchProperty());
        exportButton.disableProperty().bind(viewModel.reportProperty().isNull());
        exportLabel.textProperty().bind(viewModel.exportMessageProperty());
        scanSummaryLabel.textProperty().bind(viewModel.scanSummaryProperty());
        selectionLabel.textProperty().bind(Bindings.createStringBinding(
                () -> viewModel.selectedCount().get() + " of " + viewModel.rows().size() + " data keys selected to migrate",
                viewModel.selectedCount(), viewModel.rows()));

        SortedList<KeyRow> sorted = new SortedList<>(viewModel.visibleRows());
        sorted.comparatorProperty().bind(keyTable.comparatorProperty());
        keyTable.setItems(sorted);
        keyTable.setEditable(true);
        selectColumn.setCellValueFactory(cell -> cell.getValue().selectedProperty());
        selectColumn.setCellFactory(CheckBoxTableCell.forTableColumn(selectColumn));
        text(idColumn, KeyRow::id);
        text(altNamesColumn, KeyRow::altNames);
        text(providerColumn, KeyRow::provider);
        providerColumn.setCellFactory(column -> new ProviderBadgeCell());
        text(masterKeyColumn, KeyRow::masterKey);
        text(createdColumn, KeyRow::created);
        text(updatedColumn, KeyRow::updated);
        text(usedByColumn, KeyRow::usedBy);
        usedByColumn.setCellFactory(WrappingCell::new);
        // Space toggles the focused key's selection, so the keyboard reaches the check boxes.
        keyTable.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            KeyRow row = keyTable.getSelectionModel().getSelectedItem();
            if (event.getCode() == KeyCode.SPACE && row != null && keyTable.getEditingCell() == null) {
                row.selectedProperty().set(!row.selectedProperty().get());
                event.consume();
            }
        });
        detailArea.textProperty().bind(Bindings.createStringBinding(() -> {
            KeyRow row = keyTable.getSelectionModel().getSelectedItem();
            return row == null ? "" : row.details();
        }, keyTable.getSelectionModel().selectedItemProperty()));

        usageTable.setItems(viewModel.usageRows());
        usageNamespaceColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().namespace()));
        usagePathColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().path()));
        usageKeyColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().key()));
        usageValuesColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().values()));
        usageAlgorithmsColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().algorithms()));
        nextButton.disableProperty().bind(viewModel.valid().not());
        showKeysOrHealth();
    }

    /** The keys and their health share the page, one at a time; the audit runs when Health is first shown. */
    private void showKeysOrHealth() {
        for (Node keysView : List.of(searchLabel, searchField, keyTable, keysActions, usagePane)) {
            Visibility.showWhen(keysView, healthToggle.selectedProperty().not());
        }
        Visibility.showWhen(health, healthToggle.selectedProperty());
        healthController.bindFullScan(viewModel.fullScanProperty());
        healthToggle.selectedProperty().addListener((obs, was, shown) -> {
            if (shown) {
                healthController.shown();
            }
        });
    }

    private static void text(TableColumn<KeyRow, String> column, Function<KeyRow, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }

    /** The provider as a coloured badge: local keys are the ones to migrate, AWS ones are done. */
    private static final class ProviderBadgeCell extends TableCell<KeyRow, String> {
        private final Label badge = new Label();

        @Override
        protected void updateItem(String provider, boolean empty) {
            super.updateItem(provider, empty);
            if (empty || provider == null) {
                setGraphic(null);
                return;
            }
            badge.setText(provider);
            // Named providers (local:old, aws:prod) share their type's colour.
            badge.getStyleClass().setAll("badge", "provider-" + provider.split(":", 2)[0]);
            setGraphic(badge);
        }
    }

    @FXML
    private void onLoad() {
        viewModel.load();
    }

    @FXML
    private void onSelectLocal() {
        viewModel.selectLocal();
    }

    @FXML
    private void onSelectNone() {
        viewModel.selectNone();
    }

    @FXML
    private void onExport() {
        FilePickers.saveJson(exportButton.getScene().getWindow(), "keyvault.json").ifPresent(viewModel::export);
    }

    @FXML
    private void onBack() {
        navigation.back();
    }

    @FXML
    private void onNext() {
        viewModel.commit();
        navigation.next();
    }
}
