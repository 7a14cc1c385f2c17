package io.keyshift.ui.plan;

import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.migrate.UnfinishedMigration;
import io.keyshift.ui.common.Visibility;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
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
    @FXML private Label routeLabel;
    @FXML private HBox unfinishedBanner;
    @FXML private Label unfinishedLabel;
    @FXML private Button resumeButton;
    @FXML private Button abandonButton;
    @FXML private Label abandonedLabel;
    @FXML private Label cutoverLabel;
    @FXML private VBox providersBox;
    @FXML private TextArea providersArea;
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
        routeLabel.textProperty().bind(viewModel.routeProperty());
        Map<Strategy, RadioButton> choices = Map.of(Strategy.REWRAP, rewrapChoice, Strategy.REKEY, rekeyChoice,
                Strategy.DECRYPT, decryptChoice);
        choices.get(viewModel.strategyProperty().get()).setSelected(true);
        strategyGroup.selectedToggleProperty().addListener((obs, old, toggle) -> choices.forEach((strategy, choice) -> {
            if (choice == toggle) {
                viewModel.strategyProperty().set(strategy);
            }
        }));
        // The view model preselects the strategy of an unfinished migration holding the keys.
        viewModel.strategyProperty().addListener((obs, old, strategy) -> choices.get(strategy).setSelected(true));
        cutoverLabel.textProperty().bind(Bindings.createStringBinding(
                viewModel::cutoverOrder, viewModel.strategyProperty()));
        providersArea.textProperty().bind(Bindings.createStringBinding(
                viewModel::providersToDeploy,
                viewModel.strategyProperty()));
        Visibility.showWhen(providersBox, providersArea.textProperty().isNotEmpty());
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
        viewModel.unfinishedProperty().addListener((obs, old, migration) -> {
            unfinishedLabel.setText(migration == null ? "" : describe(migration));
            resumeButton.setDisable(migration == null || !migration.resumable());
        });
        abandonButton.disableProperty().bind(viewModel.abandoningProperty());
        abandonedLabel.textProperty().bind(viewModel.abandonedProperty());
        Visibility.showWhen(abandonedLabel, viewModel.abandonedProperty().isNotEmpty());
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

    private String describe(UnfinishedMigration migration) {
        return migration.resumable()
                ? String.format(messages.getString("plan.unfinished"), migration.id(), migration.strategy(),
                        migration.startedBy(), migration.startedInWords(), migration.heldKeys().size(), migration.stageInWords())
                : String.format(messages.getString("plan.unfinished.claimOnly"), migration.id(), migration.strategy(),
                        migration.startedBy(), migration.startedInWords(), migration.heldKeys().size());
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

    /**
     * Start asks first, naming what it will do and where; it goes on only once the DBA ticks that the
     * applications are ready, and the safe answer is the default one.
     */
    @FXML
    private void onStart() {
        Strategy strategy = viewModel.strategyProperty().get();
        ButtonType start = new ButtonType(String.format(messages.getString("plan.confirm.start"), strategy),
                ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(messages.getString("plan.confirm.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        PlanViewModel.StartFacts facts = viewModel.startFacts();
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, String.format(messages.getString("plan.confirm.text"),
                facts.cluster(), strategy, facts.keys(), facts.target(), facts.backupFile(),
                messages.getString("plan.confirm.writes." + strategy.name())), cancel, start);
        confirm.initOwner(startButton.getScene().getWindow());
        confirm.setHeaderText(String.format(messages.getString("plan.confirm.header"), strategy));
        CheckBox cutoverDone = new CheckBox(messages.getString(strategy == Strategy.DECRYPT
                ? "plan.confirm.cutover.DECRYPT" : "plan.confirm.cutover"));
        cutoverDone.setId("cutoverDoneBox");
        cutoverDone.setWrapText(true);
        confirm.getDialogPane().setContent(new VBox(12, wrapped(confirm.getContentText()), cutoverDone));
        Button startChoice = safeDefault(confirm, start, cancel);
        startChoice.setId("confirmStartButton");
        startChoice.disableProperty().bind(cutoverDone.selectedProperty().not());
        confirm.showAndWait().filter(start::equals)
                .ifPresent(ok -> viewModel.start(() -> started.accept(viewModel.strategyProperty().get())));
    }

    /**
     * Abandon names what it will do (core's plan of it) and goes on only once the migration id is
     * typed; Keep it is the default.
     */
    @FXML
    private void onAbandon() {
        viewModel.prepareAbandon(plan -> {
            ButtonType abandon = new ButtonType(messages.getString("plan.abandon.confirm"), ButtonBar.ButtonData.OK_DONE);
            ButtonType keep = new ButtonType(messages.getString("plan.abandon.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
            Alert confirm = new Alert(Alert.AlertType.WARNING, "", keep, abandon);
            confirm.initOwner(abandonButton.getScene().getWindow());
            confirm.setHeaderText(String.format(messages.getString("plan.abandon.header"), plan.migrationId()));
            TextField typedId = new TextField();
            typedId.setId("abandonIdField");
            Label prompt = new Label(messages.getString("plan.abandon.prompt"));
            prompt.setLabelFor(typedId);
            confirm.getDialogPane().setContent(new VBox(10, wrapped(String.join("\n", plan.describe())), prompt, typedId));
            Button abandonChoice = safeDefault(confirm, abandon, keep);
            abandonChoice.disableProperty().bind(Bindings.createBooleanBinding(
                    () -> !PlanViewModel.confirmsAbandon(plan, typedId.getText()), typedId.textProperty()));
            Platform.runLater(typedId::requestFocus);
            confirm.showAndWait().filter(abandon::equals).ifPresent(ok -> viewModel.abandon(plan));
        });
    }

    /** The dialog's safe button is its default (Enter), never the one that writes. */
    private static Button safeDefault(Alert dialog, ButtonType dangerous, ButtonType safe) {
        Button dangerousButton = (Button) dialog.getDialogPane().lookupButton(dangerous);
        dangerousButton.setDefaultButton(false);
        ((Button) dialog.getDialogPane().lookupButton(safe)).setDefaultButton(true);
        return dangerousButton;
    }

    private static Label wrapped(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.setMinHeight(Label.USE_PREF_SIZE);
        label.setMaxWidth(640);
        return label;
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
