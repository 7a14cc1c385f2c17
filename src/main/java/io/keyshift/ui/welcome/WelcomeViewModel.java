package io.keyshift.ui.welcome;

import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.ui.common.Tasks;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The welcome page's state: the two ways in, and the sandbox as it starts. Touches no control, so it
 * is tested without a screen. All methods run on the FX thread.
 */
public final class WelcomeViewModel {

    /** Where the sandbox stands. */
    public enum SandboxState { NOT_STARTED, STARTING, READY, FAILED }

    private final SandboxLauncher launcher;
    private final Executor executor;
    private final ObjectProperty<SandboxState> state = new SimpleObjectProperty<>(SandboxState.NOT_STARTED);
    private final StringProperty progress = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private Sandbox sandbox;

    public WelcomeViewModel(SandboxLauncher launcher, Executor executor) {
        this.launcher = launcher;
        this.executor = executor;
    }

    /** Starts the sandbox in the background, unless it is already starting or running. */
    public void startSandbox() {
        if (state.get() == SandboxState.STARTING || state.get() == SandboxState.READY) {
            return;
        }
        state.set(SandboxState.STARTING);
        error.set("");
        var task = Tasks.start(executor, launcher::start, this::sandboxReady, this::sandboxFailed);
        progress.bind(task.messageProperty());
    }

    private void sandboxReady(Sandbox started) {
        progress.unbind();
        sandbox = started;
        summary.set(started.summary());
        state.set(SandboxState.READY);
    }

    private void sandboxFailed(Throwable failure) {
        progress.unbind();
        error.set(failure instanceof KeyShiftException ? failure.getMessage()
                : "The sandbox could not start (" + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                  + "). Details are in the log file.");
        state.set(SandboxState.FAILED);
    }

    /** Stops the sandbox's servers, if it was started. Called when the window closes. */
    public void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    public Optional<Sandbox> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    public ReadOnlyObjectProperty<SandboxState> stateProperty() {
        return state;
    }

    public BooleanBinding starting() {
        return Bindings.equal(state, SandboxState.STARTING);
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }
}
