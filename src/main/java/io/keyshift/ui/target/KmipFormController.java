package io.keyshift.ui.target;

import io.keyshift.ui.common.FilePickers;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;

/** The KMIP form of the Target KMS page: server, CA, client certificate and key id. */
public final class KmipFormController {

    private final KmipTargetForm form;

    @FXML private TextField kmipEndpointField;
    @FXML private TextField kmipCaFileField;
    @FXML private Button kmipBrowseCaButton;
    @FXML private TextField kmipCertificateField;
    @FXML private Button kmipBrowseCertificateButton;
    @FXML private TextField kmipKeyIdField;

    public KmipFormController(KmipTargetForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        kmipEndpointField.textProperty().bindBidirectional(form.endpointProperty());
        kmipCaFileField.textProperty().bindBidirectional(form.caFileProperty());
        kmipCertificateField.textProperty().bindBidirectional(form.clientCertificateProperty());
        kmipKeyIdField.textProperty().bindBidirectional(form.keyIdProperty());
    }

    @FXML
    private void onBrowseCa() {
        FilePickers.openPem(kmipBrowseCaButton.getScene().getWindow()).ifPresent(file -> form.caFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseCertificate() {
        FilePickers.openClientCertificate(kmipBrowseCertificateButton.getScene().getWindow())
                .ifPresent(file -> form.clientCertificateProperty().set(file.toString()));
    }
}
