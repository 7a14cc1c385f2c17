package io.keyshift.ui.target;

import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** The local form of the Target KMS page: the new key file, chosen or created. */
public final class LocalFormController {

    private final LocalTargetForm form;

    @FXML private TextField newKeyFileField;
    @FXML private Button newKeyBrowseButton;
    @FXML private Button newKeyCreateButton;
    @FXML private Label newKeyCreatedLabel;

    public LocalFormController(LocalTargetForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        newKeyFileField.textProperty().bindBidirectional(form.keyFileProperty());
        newKeyCreatedLabel.textProperty().bind(form.createdProperty());
        Visibility.showWhen(newKeyCreatedLabel, form.createdProperty().isNotEmpty());
    }

    @FXML
    private void onBrowse() {
        FilePickers.openKeyFile(newKeyBrowseButton.getScene().getWindow()).ifPresent(file -> form.keyFileProperty().set(file.toString()));
    }

    @FXML
    private void onCreate() {
        FilePickers.newKeyFile(newKeyCreateButton.getScene().getWindow()).ifPresent(form::createKeyFile);
    }
}
