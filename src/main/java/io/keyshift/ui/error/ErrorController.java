package io.keyshift.ui.error;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/** The error page: what failed, its code, the details to copy, and Back to the page it interrupted. */
public final class ErrorController {

    private final Failures failures;

    @FXML private Label codeLabel;
    @FXML private Label messageLabel;
    @FXML private TextArea detailsArea;
    @FXML private Button backButton;

    public ErrorController(Failures failures) {
        this.failures = failures;
    }

    @FXML
    private void initialize() {
        failures.unexpectedProperty().addListener((obs, old, error) -> {
            if (error != null) {
                codeLabel.setText(error.code());
                messageLabel.setText(error.message());
                detailsArea.setText(error.details());
                backButton.requestFocus();
            }
        });
    }

    @FXML
    private void onCopy() {
        ClipboardContent content = new ClipboardContent();
        content.putString(codeLabel.getText() + "\n" + detailsArea.getText());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void onBack() {
        failures.dismiss();
    }
}
