package io.keyshift.ui.welcome;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;

/** The first page: connect to a cluster, or rehearse on a sandbox. */
public final class WelcomeController {

    private final WelcomeViewModel viewModel;
    private final Runnable connectToCluster;

    @FXML private Button connectButton;
    @FXML private Button sandboxButton;
    @FXML private VBox sandboxProgressBox;
    @FXML private ProgressIndicator sandboxProgress;
    @FXML private Label sandboxProgressLabel;
    @FXML private VBox sandboxReadyBox;
    @FXML private TextArea sandboxSummary;
    @FXML private Label sandboxError;

    public WelcomeController(WelcomeViewModel viewModel, Runnable connectToCluster) {
        this.viewModel = viewModel;
        this.connectToCluster = connectToCluster;
    }

    @FXML
    private void initialize() {
        sandboxButton.disableProperty().bind(viewModel.starting()
                .or(Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.READY)));
        showWhen(sandboxProgressBox, viewModel.starting());
        sandboxProgressLabel.textProperty().bind(viewModel.progressProperty());
        showWhen(sandboxReadyBox, Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.READY));
        sandboxSummary.textProperty().bind(viewModel.summaryProperty());
        sandboxError.textProperty().bind(viewModel.errorProperty());
        showWhen(sandboxError, Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.FAILED));
    }

    private static void showWhen(javafx.scene.Node node, javafx.beans.binding.BooleanExpression condition) {
        node.visibleProperty().bind(condition);
        node.managedProperty().bind(condition);
    }

    @FXML
    private void onConnect() {
        connectToCluster.run();
    }

    @FXML
    private void onTrySandbox() {
        viewModel.startSandbox();
    }
}
