package io.keyshift;

import io.keyshift.cli.KeyShiftCommand;
import io.keyshift.ui.shell.App;

/**
 * Entry point of {@code keyshift.jar}: a sub-command (or {@code --help}, {@code --version}) runs the
 * headless CLI; no argument, or only GUI options such as {@code --sandbox}, opens the wizard.
 *
 * <p>This class must not extend {@code javafx.application.Application}: when it did, the JavaFX
 * launcher would refuse to start from a plain class-path jar.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        if (App.acceptsArguments(args)) {
            App.launchWizard(args);
        } else {
            System.exit(KeyShiftCommand.run(args));
        }
    }
}
