package io.keyshift.ui.wizard;

import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.StackPane;

import java.util.ResourceBundle;

/** The window: the steps of a migration on the left, the current page on the right. */
public final class MainWindowController {

    private final Node welcomePage;
    private final ResourceBundle messages;

    @FXML private ListView<WizardStep> stepList;
    @FXML private StackPane pageArea;
    @FXML private Label stepHint;

    public MainWindowController(Node welcomePage, ResourceBundle messages) {
        this.welcomePage = welcomePage;
        this.messages = messages;
    }

    @FXML
    private void initialize() {
        stepList.setItems(FXCollections.observableArrayList(WizardStep.values()));
        stepList.setCellFactory(list -> new StepCell());
        // The list shows where a migration stands; pages are reached through their Next buttons.
        stepList.setMouseTransparent(true);
        stepList.setFocusTraversable(false);
        pageArea.getChildren().setAll(welcomePage);
    }

    private final class StepCell extends ListCell<WizardStep> {
        @Override
        protected void updateItem(WizardStep step, boolean empty) {
            super.updateItem(step, empty);
            setText(empty || step == null ? null : (step.ordinal() + 1) + "   " + messages.getString(step.messageKey()));
        }
    }
}
