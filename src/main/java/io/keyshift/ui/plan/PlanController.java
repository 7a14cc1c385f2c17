package io.keyshift.ui.plan;

import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.ui.common.Visibility;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/** The Plan page: strategy cards, the dry run and its preflight, and Start after a confirmation. */
public final class PlanController {

    private static final int MIN_WORKERS = 1;
    private static final int MAX_WORKERS = 16;
    private static final int MIN_BATCH = 50;
    private static final int MAX_BATCH = 5_000;
    private static final int BATCH_STEP = 50;
    private static final Duration SETTLE = Duration.millis(600);

    private final PlanViewModel viewModel;
    private final Runnable back;
    private final Consumer<Strategy> started;
    private final ResourceBundle messages;

    @FXML private ToggleGroup strategyGroup;
    @FXML private RadioButton rewrapChoice;
    @FXML private RadioButton rekeyChoice;
    @FXML private RadioButton decryptChoice;
    @FXML private TextField decryptConfirmationField;
    @FXML private TextField backupField;
    @FXML private HBox engineRow;
    @FXML private Spinner<Integer> workersSpinner;
    @FXML private Spinner<Integer> batchSpinner;
    @FXML private Button dryRunButton;
    @FXML private ProgressIndicator dryRunProgress;
    @FXML private TextArea summaryArea;
    @FXML private VBox blockerBox;
    @FXML private Label errorLabel;
    @FXML private HBox unfinishedBanner;
    @FXML private Label unfinishedLabel;
    @FXML private Button startButton;

    /** @param started what to show once a migration is journaled (or an unfinished one taken up), by strategy */
    public PlanController(PlanViewModel viewModel, Runnable back, Consumer<Strategy> started, ResourceBundle messages) {
        this.viewModel = viewModel;
        this.back = back;
        this.started = started;
        this.messages = messages;
    }

    @FXML
    private void initialize() {
        Map<Strategy, RadioButton> choices = Map.of(Strategy.REWRAP, rewrapChoice, Strategy.REKEY, rekeyChoice,
                Strategy.DECRYPT, decryptChoice);
        choices.get(viewModel.strategyProperty().get()).setSelected(true);
        strategyGroup.selectedToggleProperty().addListener((obs, old, toggle) -> choices.forEach((strategy, choice) -> {
            if (choice == toggle) {
                viewModel.strategyProperty().set(strategy);
            }
        }));
        decryptConfirmationField.textProperty().bindBidirectional(viewModel.decryptConfirmationProperty());
        Visibility.showWhen(decryptConfirmationField, decryptChoice.selectedProperty());
        backupField.textProperty().bindBidirectional(viewModel.backupFileProperty());
        Visibility.showWhen(engineRow, rewrapChoice.selectedProperty().not());
        follow(workersSpinner, new SpinnerValueFactory.IntegerSpinnerValueFactory(MIN_WORKERS, MAX_WORKERS,
                viewModel.workersProperty().get()), viewModel.workersProperty());
        follow(batchSpinner, new SpinnerValueFactory.IntegerSpinnerValueFactory(MIN_BATCH, MAX_BATCH,
                viewModel.batchSizeProperty().get(), BATCH_STEP), viewModel.batchSizeProperty());
        dryRunButton.disableProperty().bind(viewModel.computingProperty());
        Visibility.showWhen(dryRunProgress, viewModel.computingProperty().or(viewModel.startingProperty()));
        // A text area, so a DBA can select and copy the plan into a change ticket.
        summaryArea.textProperty().bind(Bindings.createStringBinding(() -> viewModel.summary().isEmpty()
                ? messages.getString("plan.summary.empty") : String.join("\n", viewModel.summary()), viewModel.summary()));
        viewModel.blockers().addListener((ListChangeListener<String>) change -> showBlockers());
        showBlockers();
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        Visibility.showWhen(unfinishedBanner, viewModel.unfinishedProperty().isNotNull());
        viewModel.unfinishedProperty().addListener((obs, old, migration) -> unfinishedLabel.setText(migration == null ? ""
                : describe(migration)));
        startButton.disableProperty().bind(viewModel.valid().not());
    }

    /**
     * The spinner's value reaches the view model once the user stops changing it, so a few clicks
     * start one dry run (a full scan for REKEY and DECRYPT), not one per click.
     */
    private static void follow(Spinner<Integer> spinner, SpinnerValueFactory<Integer> values, IntegerProperty target) {
        spinner.setValueFactory(values);
        PauseTransition settle = new PauseTransition(SETTLE);
        settle.setOnFinished(event -> target.set(spinner.getValue()));
        spinner.valueProperty().addListener((obs, old, value) -> settle.playFromStart());
    }

    private String describe(MigrationRecord migration) {
        return String.format(messages.getString("plan.unfinished"), migration.id(), migration.strategy(), migration.stage(),
                migration.createdBy());
    }

    private void showBlockers() {
        blockerBox.getChildren().setAll(viewModel.blockers().stream().map(blocker -> {
            Label label = new Label("✗ " + blocker);
            label.setWrapText(true);
            label.setMinHeight(Label.USE_PREF_SIZE);
            return label;
        }).toList());
        Visibility.showWhen(blockerBox, Bindings.isNotEmpty(viewModel.blockers()));
    }

    @FXML
    private void onDryRun() {
        viewModel.dryRun();
    }

    @FXML
    private void onStart() {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, viewModel.writesOnStart(), ButtonType.CANCEL, ButtonType.OK);
        confirm.initOwner(startButton.getScene().getWindow());
        confirm.setHeaderText(messages.getString("plan.confirm.header"));
        confirm.showAndWait().filter(ButtonType.OK::equals)
                .ifPresent(ok -> viewModel.start(() -> started.accept(viewModel.strategyProperty().get())));
    }

    @FXML
    private void onResume() {
        viewModel.unfinished().ifPresent(migration -> viewModel.resumeUnfinished(() -> started.accept(migration.strategy())));
    }

    @FXML
    private void onBack() {
        back.run();
    }
}
