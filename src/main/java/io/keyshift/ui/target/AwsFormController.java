package io.keyshift.ui.target;

import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** The AWS KMS form of the Target KMS page: credentials, region, CMK, endpoint and CA. */
public final class AwsFormController {

    private final AwsTargetForm form;

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

    public AwsFormController(AwsTargetForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        keysChoice.setUserData(AwsTargetForm.CredentialMode.KEYS);
        profileChoice.setUserData(AwsTargetForm.CredentialMode.PROFILE);
        credentialChoice.selectToggle(form.modeProperty().get() == AwsTargetForm.CredentialMode.KEYS ? keysChoice : profileChoice);
        credentialChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                form.modeProperty().set((AwsTargetForm.CredentialMode) toggle.getUserData());
            }
        });
        form.modeProperty().addListener((obs, old, mode) ->
                credentialChoice.selectToggle(mode == AwsTargetForm.CredentialMode.KEYS ? keysChoice : profileChoice));
        Visibility.showWhen(keysBox, keysChoice.selectedProperty());
        Visibility.showWhen(profileBox, profileChoice.selectedProperty());
        profileBoxCombo.setItems(form.profiles());
        profileBoxCombo.valueProperty().bindBidirectional(form.profileProperty());
        Visibility.showWhen(noProfilesLabel, Bindings.isEmpty(form.profiles()));

        accessKeyIdField.textProperty().bindBidirectional(form.accessKeyIdProperty());
        secretField.textProperty().bindBidirectional(form.secretAccessKeyProperty());
        sessionTokenField.textProperty().bindBidirectional(form.sessionTokenProperty());
        regionBox.getItems().setAll(AwsTargetForm.COMMON_REGIONS);
        regionBox.valueProperty().bindBidirectional(form.regionProperty());
        cmkField.textProperty().bindBidirectional(form.cmkProperty());
        cmkErrorLabel.textProperty().bind(form.cmkError());
        Visibility.showWhen(cmkErrorLabel, form.cmkError().isNotEmpty());
        endpointField.textProperty().bindBidirectional(form.endpointProperty());
        caFileField.textProperty().bindBidirectional(form.caFileProperty());
    }

    @FXML
    private void onBrowseCa() {
        FilePickers.openPem(browseCaButton.getScene().getWindow()).ifPresent(file -> form.caFileProperty().set(file.toString()));
    }
}
