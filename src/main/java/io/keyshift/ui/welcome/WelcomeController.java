package io.keyshift.ui.welcome;

import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.Visibility;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;

/** The first page: connect to a cluster, or rehearse on a sandbox. */
public final class WelcomeController {

    private final WelcomeViewModel viewModel;
    private final Runnable connectToCluster;
    private final Consumer<SandboxInfo> useSandbox;

    @FXML private Button connectButton;
    @FXML private Button sandboxButton;
    @FXML private VBox sandboxProgressBox;
    @FXML private ProgressIndicator sandboxProgress;
    @FXML private Label sandboxProgressLabel;
    @FXML private VBox sandboxReadyBox;
    @FXML private TextArea sandboxSummary;
    @FXML private Label sandboxError;

    /** @param useSandbox goes to Connect with the fields filled from the running sandbox */
    public WelcomeController(WelcomeViewModel viewModel, Runnable connectToCluster, Consumer<SandboxInfo> useSandbox) {
        this.viewModel = viewModel;
        this.connectToCluster = connectToCluster;
        this.useSandbox = useSandbox;
    }

    @FXML
    private void initialize() {
        sandboxButton.disableProperty().bind(viewModel.starting()
                .or(Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.READY)));
        Visibility.showWhen(sandboxProgressBox, viewModel.starting());
        sandboxProgressLabel.textProperty().bind(viewModel.progressProperty());
        Visibility.showWhen(sandboxReadyBox, Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.READY));
        sandboxSummary.textProperty().bind(viewModel.summaryProperty());
        sandboxError.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(sandboxError, Bindings.equal(viewModel.stateProperty(), WelcomeViewModel.SandboxState.FAILED));
    }

    @FXML
    private void onConnect() {
        connectToCluster.run();
    }

    @FXML
    private void onUseSandbox() {
        viewModel.sandbox().ifPresent(sandbox -> useSandbox.accept(sandbox.info()));
    }

    @FXML
    private void onTrySandbox() {
        viewModel.startSandbox();
    }
}
