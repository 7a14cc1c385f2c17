package io.keyshift.ui.target;

import io.keyshift.ui.common.FilePickers;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;

/** The Azure Key Vault form of the Target KMS page: vault, key, identity platform, CA, service principal or token. */
public final class AzureFormController {

    private final AzureTargetForm form;

    @FXML private TextField azureVaultField;
    @FXML private TextField azureKeyNameField;
    @FXML private TextField azureKeyVersionField;
    @FXML private TextField azureIdentityField;
    @FXML private TextField azureCaFileField;
    @FXML private Button azureBrowseCaButton;
    @FXML private TextField azureTenantField;
    @FXML private TextField azureClientField;
    @FXML private PasswordField azureSecretField;
    @FXML private PasswordField azureTokenField;

    public AzureFormController(AzureTargetForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        azureVaultField.textProperty().bindBidirectional(form.keyVaultEndpointProperty());
        azureKeyNameField.textProperty().bindBidirectional(form.keyNameProperty());
        azureKeyVersionField.textProperty().bindBidirectional(form.keyVersionProperty());
        azureIdentityField.textProperty().bindBidirectional(form.identityPlatformEndpointProperty());
        azureCaFileField.textProperty().bindBidirectional(form.caFileProperty());
        azureTenantField.textProperty().bindBidirectional(form.tenantIdProperty());
        azureClientField.textProperty().bindBidirectional(form.clientIdProperty());
        azureSecretField.textProperty().bindBidirectional(form.clientSecretProperty());
        azureTokenField.textProperty().bindBidirectional(form.accessTokenProperty());
    }

    @FXML
    private void onBrowseCa() {
        FilePickers.openPem(azureBrowseCaButton.getScene().getWindow()).ifPresent(file -> form.caFileProperty().set(file.toString()));
    }
}
