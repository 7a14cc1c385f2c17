package io.keyshift.ui.schema;

import io.keyshift.core.schema.SchemaPreview.Change;
import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;
import io.keyshift.core.schema.RuleChange;
import io.keyshift.ui.common.Confirmations;
import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingCell;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.text.Text;

import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/** The Schema page: the rules found, the proposed change side by side or unified, the review tick and Apply. */
public final class SchemaController {

    private static final String REMOVED = "diff-removed";
    private static final String ADDED = "diff-added";
    private static final String HEADER = "diff-header";
    private static final int CONTEXT_ABOVE_FIRST_CHANGE = 3;

    private final SchemaViewModel viewModel;
    private final WizardNavigation navigation;

    @FXML private ProgressIndicator loadProgress;
    @FXML private Button refreshButton;
    @FXML private Label errorLabel;
    @FXML private Label summaryLabel;
    @FXML private TableView<NamespaceRow> namespaceTable;
    @FXML private TableColumn<NamespaceRow, String> namespaceColumn;
    @FXML private TableColumn<NamespaceRow, String> sourceColumn;
    @FXML private TableColumn<NamespaceRow, String> replacedColumn;
    @FXML private TableColumn<NamespaceRow, String> pointersColumn;
    @FXML private TableColumn<NamespaceRow, String> unknownColumn;
    @FXML private TableColumn<NamespaceRow, String> removedColumn;
    @FXML private TableColumn<NamespaceRow, String> noteColumn;
    @FXML private Label schemaFileLabel;
    @FXML private Button chooseFileButton;
    @FXML private CheckBox noSchemaMapBox;
    @FXML private ToggleButton changesToggle;
    @FXML private ToggleButton sideBySideToggle;
    @FXML private ToggleButton unifiedToggle;
    @FXML private ToggleButton namespacesToggle;
    @FXML private TableView<RuleChange> changeTable;
    @FXML private TableColumn<RuleChange, String> changeNamespaceColumn;
    @FXML private TableColumn<RuleChange, String> changeFieldColumn;
    @FXML private TableColumn<RuleChange, String> oldKeyColumn;
    @FXML private TableColumn<RuleChange, String> newKeyColumn;
    @FXML private TableView<SideBySideRow> sideBySideTable;
    @FXML private TableColumn<SideBySideRow, String> beforeColumn;
    @FXML private TableColumn<SideBySideRow, String> afterColumn;
    @FXML private ListView<UnifiedLine> unifiedList;
    @FXML private CheckBox reviewedBox;
    @FXML private Button applyButton;
    @FXML private ProgressIndicator applyProgress;
    @FXML private Label resultLabel;
    @FXML private Button nextButton;

    private final ResourceBundle messages = FxmlLoaderFactory.messages();

    public SchemaController(SchemaViewModel viewModel, WizardNavigation navigation) {
        this.viewModel = viewModel;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        Visibility.showWhen(loadProgress, viewModel.loadingProperty());
        refreshButton.disableProperty().bind(viewModel.loadingProperty().or(viewModel.applyingProperty()));
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        summaryLabel.textProperty().bind(viewModel.summaryProperty());
        Visibility.showWhen(summaryLabel, viewModel.summaryProperty().isNotEmpty());
        schemaFileLabel.textProperty().bind(Bindings.createStringBinding(() -> viewModel.schemaFileProperty().get() == null
                ? messages.getString("schema.file.none") : viewModel.schemaFileProperty().get().toString(),
                viewModel.schemaFileProperty()));
        chooseFileButton.disableProperty().bind(viewModel.loadingProperty().or(viewModel.applyingProperty()));
        noSchemaMapBox.selectedProperty().bindBidirectional(viewModel.noSchemaMapProperty());
        Visibility.showWhen(noSchemaMapBox, viewModel.noRulesFoundProperty());

        namespaceTable.setItems(viewModel.namespaces());
        namespaceColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().namespace()));
        sourceColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().source()));
        count(replacedColumn, NamespaceSummary::keyIdsReplaced);
        count(pointersColumn, NamespaceSummary::pointersKept);
        count(unknownColumn, NamespaceSummary::unknownKeyIds);
        count(removedColumn, NamespaceSummary::encryptBlocksRemoved);
        noteColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().note()));
        noteColumn.setCellFactory(WrappingCell::new);

        showViews();
        changeTable.setItems(viewModel.changes());
        changeNamespaceColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().namespace()));
        changeNamespaceColumn.setCellFactory(WrappingCell::new);
        changeFieldColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().fieldPath()));
        changeFieldColumn.setCellFactory(WrappingCell::new);
        oldKeyColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().oldKey()
                .map(RuleChange.KeyName::text).orElse("")));
        oldKeyColumn.setCellFactory(WrappingCell::new);
        newKeyColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().newKey()
                .map(RuleChange.KeyName::text).orElse(messages.getString("schema.changes.removed"))));
        newKeyColumn.setCellFactory(WrappingCell::new);
        sideBySideTable.setItems(viewModel.sideBySide());
        beforeColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().oldLine()));
        beforeColumn.setCellFactory(column -> new SideCell(column, Set.of(Change.REMOVED, Change.CHANGED), REMOVED));
        afterColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().newLine()));
        afterColumn.setCellFactory(column -> new SideCell(column, Set.of(Change.ADDED, Change.CHANGED), ADDED));
        viewModel.previewProperty().addListener((obs, old, preview) -> showFirstChange());
        unifiedList.setItems(viewModel.unified());
        unifiedList.setCellFactory(list -> new UnifiedCell(list));

        reviewedBox.selectedProperty().bindBidirectional(viewModel.reviewedProperty());
        reviewedBox.disableProperty().bind(viewModel.reviewable().not());
        applyButton.disableProperty().bind(viewModel.applicable().not());
        Visibility.showWhen(applyProgress, viewModel.applyingProperty());
        resultLabel.textProperty().bind(viewModel.resultProperty());
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    /** One toggle per view of the change; exactly one is always selected, the change list first. */
    private void showViews() {
        Map<ToggleButton, DiffView> views = Map.of(changesToggle, DiffView.CHANGES, sideBySideToggle, DiffView.SIDE_BY_SIDE,
                unifiedToggle, DiffView.UNIFIED, namespacesToggle, DiffView.NAMESPACES);
        ToggleGroup group = new ToggleGroup();
        views.forEach((toggle, view) -> {
            toggle.setToggleGroup(group);
            toggle.setSelected(viewModel.diffViewProperty().get() == view);
        });
        group.selectedToggleProperty().addListener((obs, old, selected) -> {
            if (selected == null) {
                group.selectToggle(old);
            } else {
                viewModel.diffViewProperty().set(views.get(selected));
            }
        });
        Visibility.showWhen(changeTable, viewModel.diffViewProperty().isEqualTo(DiffView.CHANGES));
        Visibility.showWhen(sideBySideTable, viewModel.diffViewProperty().isEqualTo(DiffView.SIDE_BY_SIDE));
        Visibility.showWhen(unifiedList, viewModel.diffViewProperty().isEqualTo(DiffView.UNIFIED));
        Visibility.showWhen(namespaceTable, viewModel.diffViewProperty().isEqualTo(DiffView.NAMESPACES));
    }

    /** Scrolls the side-by-side diff to a few lines above its first change, which may be far down a long file. */
    private void showFirstChange() {
        List<SideBySideRow> rows = viewModel.sideBySide();
        IntStream.range(0, rows.size())
                .filter(index -> rows.get(index).change() != Change.EQUAL)
                .findFirst()
                .ifPresent(index -> sideBySideTable.scrollTo(Math.max(0, index - CONTEXT_ABOVE_FIRST_CHANGE)));
    }

    /** A count of the namespace's summary; blank for Queryable Encryption, which has none. */
    private static void count(TableColumn<NamespaceRow, String> column, ToIntFunction<NamespaceSummary> count) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().summary()
                .map(summary -> Integer.toString(count.applyAsInt(summary)))
                .orElse("")));
    }

    /**
     * One side of the side-by-side diff: coloured when its line is removed (before) or added (after),
     * and wrapped to the column's width, so no line is cut.
     */
    private static final class SideCell extends TableCell<SideBySideRow, String> {

        private static final double PADDING = 16;

        private final Set<Change> marked;
        private final String styleClass;
        private final Text text = new Text();

        SideCell(TableColumn<SideBySideRow, String> column, Set<Change> marked, String styleClass) {
            this.marked = marked;
            this.styleClass = styleClass;
            text.wrappingWidthProperty().bind(column.widthProperty().subtract(PADDING));
            text.getStyleClass().add("diff-text");
        }

        @Override
        protected void updateItem(String line, boolean empty) {
            super.updateItem(line, empty);
            text.setText(empty ? null : line);
            setGraphic(empty ? null : text);
            getStyleClass().remove(styleClass);
            // The row's item may not be set yet when its cells update, so the change is read by index.
            if (!empty && marked.contains(getTableView().getItems().get(getIndex()).change())) {
                getStyleClass().add(styleClass);
            }
        }
    }

    /** A line of the unified diff, coloured by what it is, wrapped to the list's width so no line is cut. */
    private static final class UnifiedCell extends ListCell<UnifiedLine> {

        /** The list's scroll bar and the cell's padding. */
        private static final double MARGIN = 32;

        private final Text text = new Text();

        UnifiedCell(ListView<UnifiedLine> list) {
            text.wrappingWidthProperty().bind(list.widthProperty().subtract(MARGIN));
            text.getStyleClass().add("diff-text");
        }

        @Override
        protected void updateItem(UnifiedLine line, boolean empty) {
            super.updateItem(line, empty);
            text.setText(empty || line == null ? null : line.text());
            setGraphic(empty || line == null ? null : text);
            getStyleClass().removeAll(REMOVED, ADDED, HEADER);
            if (empty || line == null) {
                return;
            }
            switch (line.kind()) {
                case REMOVED -> getStyleClass().add(REMOVED);
                case ADDED -> getStyleClass().add(ADDED);
                case FILE_HEADER, HUNK_HEADER -> getStyleClass().add(HEADER);
                case CONTEXT -> { }
            }
        }
    }

    @FXML
    private void onRefresh() {
        viewModel.refresh();
    }

    @FXML
    private void onChooseFile() {
        FilePickers.openSchemaMap(chooseFileButton.getScene().getWindow()).ifPresent(viewModel::chooseSchemaFile);
    }

    /** Apply writes only after a confirmation that names what is written; Cancel is its default button. */
    @FXML
    private void onApply() {
        if (Confirmations.confirm(applyButton.getScene().getWindow(), messages.getString("schema.apply.confirm.header"),
                viewModel.applyConfirmation(), viewModel.applyAction())) {
            viewModel.apply();
        }
    }

    @FXML
    private void onBack() {
        navigation.back();
    }

    @FXML
    private void onNext() {
        viewModel.next(navigation::next);
    }
}
