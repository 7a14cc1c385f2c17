package io.keyshift.ui;

import javafx.application.Application;
import javafx.stage.Stage;

/** The wizard's JavaFX application. */
public class App extends Application {

    /** True when the arguments ask for the GUI: none at all, or only GUI options. */
    public static boolean acceptsArguments(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--sandbox")) {
                return false;
            }
        }
        return true;
    }

    public static void launchWizard(String[] args) {
        Application.launch(App.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("KeyShift");
        stage.show();
    }
}
