package io.keyshift.ui.verify;

import io.keyshift.core.migrate.Verification;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingListCell;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.Region;

/** The Verify & report page. */
public final class VerifyController {

    private final VerifyViewModel viewModel;

    @FXML private Label verdictLabel;
    @FXML private Label routeLabel;
    @FXML private ListView<Verification.Check> checkList;
    @FXML private Label reportLabel;
    @FXML private Button openButton;
    @FXML private Label openFailureLabel;
    @FXML private Button copyButton;
    @FXML private TextArea settingsArea;
    @FXML private ListView<String> nextStepList;
    @FXML private Label settingsTitleLabel;

    public VerifyController(VerifyViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        verdictLabel.textProperty().bind(viewModel.verdictProperty());
        routeLabel.textProperty().bind(viewModel.routeProperty());
        checkList.setItems(viewModel.checks());
        checkList.setCellFactory(list -> new CheckCell(list));
        reportLabel.textProperty().bind(viewModel.reportFileProperty());
        openButton.disableProperty().bind(viewModel.reportFileProperty().isEmpty());
        openFailureLabel.textProperty().bind(viewModel.openFailureProperty());
        Visibility.showWhen(openFailureLabel, viewModel.openFailureProperty().isNotEmpty());
        settingsArea.textProperty().bind(viewModel.applicationSettingsProperty());
        nextStepList.setItems(viewModel.nextSteps());
        nextStepList.setCellFactory(list -> new WrappingListCell<>(list, (index, step) -> (index + 1) + ". " + step));
        settingsTitleLabel.textProperty().bind(viewModel.settingsTitleProperty());
    }

    /** ✓ or ✗, the check, its count, and what failed. */
    private static final class CheckCell extends ListCell<Verification.Check> {
        CheckCell(ListView<Verification.Check> list) {
            setWrapText(true);
            prefWidthProperty().bind(list.widthProperty().subtract(24));
            setMaxWidth(Region.USE_PREF_SIZE);
        }

        @Override
        protected void updateItem(Verification.Check check, boolean empty) {
            super.updateItem(check, empty);
            getStyleClass().removeAll("status-ok", "status-blocked");
            if (empty || check == null) {
                setText(null);
                return;
            }
            setText((check.ok() ? "✓ " : "✗ ") + check.name() + " (" + check.passed() + "/" + check.total() + ")"
                    + (check.failures().isEmpty() ? "" : "\n    " + String.join("\n    ", check.failures())));
            getStyleClass().add(check.ok() ? "status-ok" : "status-blocked");
        }
    }

    @FXML
    private void onOpen() {
        viewModel.openReport();
    }

    @FXML
    private void onCopy() {
        ClipboardContent content = new ClipboardContent();
        content.putString(settingsArea.getText());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void onClose() {
        verdictLabel.getScene().getWindow().hide();
    }
}
