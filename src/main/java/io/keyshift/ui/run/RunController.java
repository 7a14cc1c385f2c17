package io.keyshift.ui.run;

import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingCell;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * The Run page. There is no Back: a migration under way is paused, not abandoned, and the journal
 * keeps it resumable from here or from the Plan page after a restart.
 */
public final class RunController {

    private final RunViewModel viewModel;
    private final Runnable next;

    @FXML private ProgressBar overallBar;
    @FXML private Button pauseButton;
    @FXML private Button resumeButton;
    @FXML private Label headlineLabel;
    @FXML private TableView<ProgressRow> progressTable;
    @FXML private TableColumn<ProgressRow, String> nameColumn;
    @FXML private TableColumn<ProgressRow, Number> barColumn;
    @FXML private TableColumn<ProgressRow, String> doneColumn;
    @FXML private TableColumn<ProgressRow, String> detailColumn;
    @FXML private ListView<String> logList;
    @FXML private Label errorLabel;
    @FXML private Button nextButton;

    public RunController(RunViewModel viewModel, Runnable next) {
        this.viewModel = viewModel;
        this.next = next;
    }

    @FXML
    private void initialize() {
        overallBar.progressProperty().bind(viewModel.overallProperty());
        headlineLabel.textProperty().bind(viewModel.headlineProperty());
        Visibility.showWhen(pauseButton, viewModel.runningProperty());
        Visibility.showWhen(resumeButton, viewModel.pausedProperty());
        progressTable.setItems(viewModel.rows());
        nameColumn.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().name()));
        barColumn.setCellValueFactory(cell -> cell.getValue().progressProperty());
        barColumn.setCellFactory(column -> new BarCell());
        doneColumn.setCellValueFactory(cell -> cell.getValue().doneProperty());
        doneColumn.setCellFactory(WrappingCell::new);
        detailColumn.setCellValueFactory(cell -> cell.getValue().detailProperty());
        detailColumn.setCellFactory(WrappingCell::new);
        logList.setItems(viewModel.log());
        viewModel.log().addListener((ListChangeListener<String>) change -> logList.scrollTo(viewModel.log().size() - 1));
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    /** A progress bar in a table cell. */
    private static final class BarCell extends TableCell<ProgressRow, Number> {
        private final ProgressBar bar = new ProgressBar();

        BarCell() {
            bar.setMaxWidth(Double.MAX_VALUE);
        }

        @Override
        protected void updateItem(Number progress, boolean empty) {
            super.updateItem(progress, empty);
            if (empty || progress == null) {
                setGraphic(null);
            } else {
                bar.setProgress(progress.doubleValue());
                setGraphic(bar);
            }
        }
    }

    @FXML
    private void onPause() {
        viewModel.pause();
    }

    @FXML
    private void onResume() {
        viewModel.start();
    }

    @FXML
    private void onNext() {
        next.run();
    }
}
