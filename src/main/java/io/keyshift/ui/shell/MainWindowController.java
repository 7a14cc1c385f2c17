package io.keyshift.ui.shell;

import io.keyshift.ui.wizard.WizardNavigation;
import io.keyshift.ui.wizard.WizardStep;
import io.keyshift.ui.about.AboutDialog;
import io.keyshift.ui.error.Failures;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.StackPane;

import java.util.Map;
import java.util.ResourceBundle;

/** The window: the steps of a migration on the left, the current page on the right. */
public final class MainWindowController {

    private final Node welcomePage;
    private final Map<WizardStep, ? extends Node> stepPages;
    private final Node errorPage;
    private final WizardNavigation navigation;
    private final Failures failures;
    private final ResourceBundle messages;

    @FXML private ListView<WizardStep> stepList;
    @FXML private StackPane pageArea;
    @FXML private Label stepHint;
    @FXML private Hyperlink aboutLink;

    /** @param errorPage covers the current page while {@code failures} holds an unexpected failure */
    public MainWindowController(Node welcomePage, Map<WizardStep, ? extends Node> stepPages, Node errorPage,
                                WizardNavigation navigation, Failures failures, ResourceBundle messages) {
        this.welcomePage = welcomePage;
        this.stepPages = stepPages;
        this.errorPage = errorPage;
        this.navigation = navigation;
        this.failures = failures;
        this.messages = messages;
    }

    @FXML
    private void initialize() {
        stepList.setItems(FXCollections.observableArrayList(WizardStep.values()));
        stepList.setCellFactory(list -> new StepCell());
        // The list shows where a migration stands; pages are reached through their Back and Next buttons.
        stepList.setMouseTransparent(true);
        stepList.setFocusTraversable(false);
        // F1 rather than a mnemonic: any letter would clash with one of the pages shown beside the link.
        aboutLink.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::onAbout);
            }
        });
        show(navigation.currentProperty().get());
        navigation.currentProperty().addListener((obs, old, step) -> show(step));
        failures.unexpectedProperty().addListener((obs, old, error) -> {
            if (error != null && !pageArea.getChildren().contains(errorPage)) {
                pageArea.getChildren().add(errorPage);
            } else if (error == null) {
                pageArea.getChildren().remove(errorPage);
            }
        });
    }

    private void show(WizardStep step) {
        Node page = step == null ? welcomePage : stepPages.get(step);
        if (page == null) {
            throw new IllegalStateException("The " + step + " page is not part of this build");
        }
        pageArea.getChildren().setAll(page);
        stepList.refresh();
        if (step == null) {
            stepList.getSelectionModel().clearSelection();
        } else {
            stepList.getSelectionModel().select(step);
        }
        // Tab order starts at the top of the new page.
        page.requestFocus();
    }

    private final class StepCell extends ListCell<WizardStep> {
        @Override
        protected void updateItem(WizardStep step, boolean empty) {
            super.updateItem(step, empty);
            setText(empty || step == null ? null : (step.ordinal() + 1) + "   " + messages.getString(step.messageKey()));
            getStyleClass().removeAll("step-done", "step-current");
            WizardStep current = navigation.currentProperty().get();
            if (!empty && step != null && current != null) {
                if (step == current) {
                    getStyleClass().add("step-current");
                } else if (step.ordinal() < current.ordinal()) {
                    getStyleClass().add("step-done");
                }
            }
        }
    }

    @FXML
    private void onAbout() {
        AboutDialog.show(stepList.getScene().getWindow(), messages);
    }
}
