package io.keyshift.ui.aws;

import io.keyshift.core.kms.KmsCheck;
import io.keyshift.ui.common.BusyButtons;
import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The AWS page: credentials, region, CMK, endpoint, and the live checklist of the AWS checks. */
public final class AwsController {

    private final AwsViewModel viewModel;
    private final WizardNavigation navigation;

    @FXML private RadioButton keysChoice;
    @FXML private RadioButton profileChoice;
    @FXML private ToggleGroup credentialChoice;
    @FXML private VBox profileBox;
    @FXML private ComboBox<String> profileBoxCombo;
    @FXML private Label noProfilesLabel;
    @FXML private GridPane keysBox;
    @FXML private TextField accessKeyIdField;
    @FXML private PasswordField secretField;
    @FXML private PasswordField sessionTokenField;
    @FXML private ComboBox<String> regionBox;
    @FXML private TextField cmkField;
    @FXML private Label cmkErrorLabel;
    @FXML private TextField endpointField;
    @FXML private TextField caFileField;
    @FXML private Button browseCaButton;
    @FXML private Button checkButton;
    @FXML private ProgressIndicator checkProgress;
    @FXML private Label errorLabel;
    @FXML private Label checksPrompt;
    @FXML private VBox checklist;
    @FXML private Button nextButton;

    public AwsController(AwsViewModel viewModel, WizardNavigation navigation) {
        this.viewModel = viewModel;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        keysChoice.setUserData(AwsViewModel.CredentialMode.KEYS);
        profileChoice.setUserData(AwsViewModel.CredentialMode.PROFILE);
        credentialChoice.selectToggle(viewModel.modeProperty().get() == AwsViewModel.CredentialMode.KEYS ? keysChoice : profileChoice);
        credentialChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                viewModel.modeProperty().set((AwsViewModel.CredentialMode) toggle.getUserData());
            }
        });
        viewModel.modeProperty().addListener((obs, old, mode) ->
                credentialChoice.selectToggle(mode == AwsViewModel.CredentialMode.KEYS ? keysChoice : profileChoice));
        Visibility.showWhen(keysBox, keysChoice.selectedProperty());
        Visibility.showWhen(profileBox, profileChoice.selectedProperty());
        profileBoxCombo.setItems(viewModel.profiles());
        profileBoxCombo.valueProperty().bindBidirectional(viewModel.profileProperty());
        Visibility.showWhen(noProfilesLabel, Bindings.isEmpty(viewModel.profiles()));

        accessKeyIdField.textProperty().bindBidirectional(viewModel.accessKeyIdProperty());
        secretField.textProperty().bindBidirectional(viewModel.secretAccessKeyProperty());
        sessionTokenField.textProperty().bindBidirectional(viewModel.sessionTokenProperty());
        regionBox.getItems().setAll(AwsViewModel.COMMON_REGIONS);
        regionBox.valueProperty().bindBidirectional(viewModel.regionProperty());
        cmkField.textProperty().bindBidirectional(viewModel.cmkProperty());
        cmkErrorLabel.textProperty().bind(viewModel.cmkError());
        Visibility.showWhen(cmkErrorLabel, viewModel.cmkError().isNotEmpty());
        endpointField.textProperty().bindBidirectional(viewModel.endpointProperty());
        caFileField.textProperty().bindBidirectional(viewModel.caFileProperty());

        BusyButtons.disableWhile(checkButton, viewModel.checkingProperty());
        Visibility.showWhen(checkProgress, viewModel.checkingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        viewModel.checks().addListener((ListChangeListener<CheckRow>) change -> showChecks());
        Visibility.showWhen(checklist, Bindings.isNotEmpty(viewModel.checks()));
        Visibility.showWhen(checksPrompt, Bindings.isEmpty(viewModel.checks()));
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    /** One entry per check: the mark and the check's name, and under them its sentence. */
    private void showChecks() {
        checklist.getChildren().setAll(viewModel.checks().stream().map(check -> {
            Label mark = new Label(check.mark());
            mark.getStyleClass().addAll("check-mark", styleOf(check.status()));
            Label name = new Label(check.name().label());
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
    private void onBrowseCa() {
        FilePickers.openPem(browseCaButton.getScene().getWindow()).ifPresent(file -> viewModel.caFileProperty().set(file.toString()));
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
