package io.keyshift.ui.target;

import io.keyshift.ui.common.FilePickers;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;

/** The Google Cloud KMS form of the Target KMS page: the key's coordinates, endpoint, CA and service-account key file. */
public final class GcpFormController {

    private final GcpTargetForm form;

    @FXML private TextField gcpProjectField;
    @FXML private TextField gcpLocationField;
    @FXML private TextField gcpKeyRingField;
    @FXML private TextField gcpKeyNameField;
    @FXML private TextField gcpKeyVersionField;
    @FXML private TextField gcpEndpointField;
    @FXML private TextField gcpCaFileField;
    @FXML private Button gcpBrowseCaButton;
    @FXML private TextField gcpCredentialsField;
    @FXML private Button gcpBrowseCredentialsButton;
    @FXML private PasswordField gcpTokenField;

    public GcpFormController(GcpTargetForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        gcpProjectField.textProperty().bindBidirectional(form.projectIdProperty());
        gcpLocationField.textProperty().bindBidirectional(form.locationProperty());
        gcpKeyRingField.textProperty().bindBidirectional(form.keyRingProperty());
        gcpKeyNameField.textProperty().bindBidirectional(form.keyNameProperty());
        gcpKeyVersionField.textProperty().bindBidirectional(form.keyVersionProperty());
        gcpEndpointField.textProperty().bindBidirectional(form.endpointProperty());
        gcpCaFileField.textProperty().bindBidirectional(form.caFileProperty());
        gcpCredentialsField.textProperty().bindBidirectional(form.credentialsFileProperty());
        gcpTokenField.textProperty().bindBidirectional(form.accessTokenProperty());
    }

    @FXML
    private void onBrowseCa() {
        FilePickers.openPem(gcpBrowseCaButton.getScene().getWindow()).ifPresent(file -> form.caFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseCredentials() {
        FilePickers.openServiceAccountKey(gcpBrowseCredentialsButton.getScene().getWindow())
                .ifPresent(file -> form.credentialsFileProperty().set(file.toString()));
    }
}
