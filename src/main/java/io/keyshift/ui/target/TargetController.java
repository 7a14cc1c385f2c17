package io.keyshift.ui.target;

import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.ui.common.BusyButtons;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.ResourceBundle;

/** The Target KMS page: a card per provider, the chosen provider's form, and the live checklist of its checks. */
public final class TargetController {

    private final TargetViewModel viewModel;
    private final WizardNavigation navigation;
    private final ResourceBundle messages;
    private final ToggleGroup providerChoice = new ToggleGroup();

    @FXML private HBox cardRow;
    @FXML private Parent awsForm;
    @FXML private Button checkButton;
    @FXML private ProgressIndicator checkProgress;
    @FXML private Label errorLabel;
    @FXML private Label checksPrompt;
    @FXML private VBox checklist;
    @FXML private Button nextButton;

    public TargetController(TargetViewModel viewModel, WizardNavigation navigation, ResourceBundle messages) {
        this.viewModel = viewModel;
        this.navigation = navigation;
        this.messages = messages;
    }

    @FXML
    private void initialize() {
        Arrays.stream(ProviderType.values()).forEach(type -> cardRow.getChildren().add(card(type)));
        selectCard(viewModel.providerProperty().get());
        providerChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                viewModel.providerProperty().set((ProviderType) toggle.getUserData());
            }
        });
        viewModel.providerProperty().addListener((obs, old, type) -> selectCard(type));
        Visibility.showWhen(awsForm, viewModel.providerProperty().isEqualTo(ProviderType.AWS));

        BusyButtons.disableWhile(checkButton, viewModel.checkingProperty());
        Visibility.showWhen(checkProgress, viewModel.checkingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        viewModel.checks().addListener((ListChangeListener<CheckRow>) change -> showChecks());
        Visibility.showWhen(checklist, Bindings.isNotEmpty(viewModel.checks()));
        Visibility.showWhen(checksPrompt, Bindings.isEmpty(viewModel.checks()));
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    /**
     * A provider's card: its name and what it is for. A provider this version cannot move keys to is shown
     * disabled, its tooltip on the card (a disabled control shows none of its own) saying so.
     */
    private VBox card(ProviderType type) {
        RadioButton choice = new RadioButton(type.label());
        choice.setId(type.wireName() + "Card");
        choice.setUserData(type);
        choice.setToggleGroup(providerChoice);
        Label purpose = new Label(messages.getString("target.card." + type.wireName()));
        purpose.setWrapText(true);
        purpose.setMinHeight(Region.USE_PREF_SIZE);
        purpose.getStyleClass().add("muted");
        VBox card = new VBox(6, choice, purpose);
        card.getStyleClass().add("strategy-card");
        card.setPrefWidth(190);
        HBox.setHgrow(card, Priority.ALWAYS);
        if (!viewModel.offers(type)) {
            choice.setDisable(true);
            purpose.setDisable(true);
            Tooltip.install(card, new Tooltip(MessageFormat.format(messages.getString("target.card.unavailable"), type.label())));
        }
        return card;
    }

    private void selectCard(ProviderType type) {
        providerChoice.getToggles().stream().filter(toggle -> toggle.getUserData() == type).findFirst()
                .ifPresent(providerChoice::selectToggle);
    }

    /** One entry per check: the mark and the check's name, and under them its sentence. */
    private void showChecks() {
        checklist.getChildren().setAll(viewModel.checks().stream().map(check -> {
            Label mark = new Label(check.mark());
            mark.getStyleClass().addAll("check-mark", styleOf(check.status()));
            Label name = new Label(check.label());
            name.getStyleClass().add("check-name");
            Label message = new Label(check.message());
            message.setWrapText(true);
            message.setMinHeight(Region.USE_PREF_SIZE);
            message.getStyleClass().add(check.status() == KmsCheck.Status.FAIL ? "status-blocked" : "check-message");
            VBox entry = new VBox(2, new HBox(8, mark, name), message);
            entry.getStyleClass().add("check-entry");
            return entry;
        }).toList());
    }

    private static String styleOf(KmsCheck.Status status) {
        if (status == null) {
            return "status-working";
        }
        return switch (status) {
            case OK -> "status-ok";
            case WARN -> "status-warn";
            case FAIL -> "status-blocked";
            case SKIPPED -> "muted";
        };
    }

    @FXML
    private void onCheck() {
        viewModel.check();
    }

    @FXML
    private void onBack() {
        navigation.back();
    }

    @FXML
    private void onNext() {
        navigation.next();
    }
}
