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

import java.util.List;
import java.util.ResourceBundle;

/** The Target KMS page: a card per provider, the chosen provider's form, and the live checklist of its checks. */
public final class TargetController {

    /** The cards in the order a DBA looks for them: the common roads first, the other clouds last. */
    private static final List<ProviderType> CARDS = List.of(ProviderType.LOCAL, ProviderType.AWS, ProviderType.KMIP,
            ProviderType.AZURE, ProviderType.GCP);

    private final TargetViewModel viewModel;
    private final WizardNavigation navigation;
    private final ResourceBundle messages;
    private final ToggleGroup providerChoice = new ToggleGroup();

    @FXML private HBox cardRow;
    @FXML private Label providerPurpose;
    @FXML private Parent localForm;
    @FXML private Parent awsForm;
    @FXML private Parent kmipForm;
    @FXML private Parent azureForm;
    @FXML private Parent gcpForm;
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
        CARDS.forEach(type -> cardRow.getChildren().add(card(type)));
        selectCard(viewModel.providerProperty().get());
        providerChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                viewModel.providerProperty().set((ProviderType) toggle.getUserData());
            }
        });
        viewModel.providerProperty().addListener((obs, old, type) -> selectCard(type));
        providerPurpose.textProperty().bind(Bindings.createStringBinding(() -> purpose(viewModel.providerProperty().get()),
                viewModel.providerProperty()));
        Visibility.showWhen(localForm, viewModel.providerProperty().isEqualTo(ProviderType.LOCAL));
        Visibility.showWhen(awsForm, viewModel.providerProperty().isEqualTo(ProviderType.AWS));
        Visibility.showWhen(kmipForm, viewModel.providerProperty().isEqualTo(ProviderType.KMIP));
        Visibility.showWhen(azureForm, viewModel.providerProperty().isEqualTo(ProviderType.AZURE));
        Visibility.showWhen(gcpForm, viewModel.providerProperty().isEqualTo(ProviderType.GCP));

        BusyButtons.disableWhile(checkButton, viewModel.checkingProperty());
        Visibility.showWhen(checkProgress, viewModel.checkingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        viewModel.checks().addListener((ListChangeListener<CheckRow>) change -> showChecks());
        Visibility.showWhen(checklist, Bindings.isNotEmpty(viewModel.checks()));
        Visibility.showWhen(checksPrompt, Bindings.isEmpty(viewModel.checks()));
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    /** A provider's card: its name, with what it is for as a tooltip and under the row once chosen. */
    private HBox card(ProviderType type) {
        RadioButton choice = new RadioButton(messages.getString("target.card." + type.wireName() + ".name"));
        choice.setId(type.wireName() + "Card");
        choice.setUserData(type);
        choice.setToggleGroup(providerChoice);
        HBox card = new HBox(choice);
        card.setMinWidth(0);
        card.getStyleClass().add("provider-card");
        HBox.setHgrow(card, Priority.ALWAYS);
        choice.setTooltip(new Tooltip(purpose(type)));
        return card;
    }

    private String purpose(ProviderType type) {
        return messages.getString("target.card." + type.wireName());
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
