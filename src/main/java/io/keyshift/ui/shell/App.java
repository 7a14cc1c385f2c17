package io.keyshift.ui.shell;

import io.keyshift.sandbox.Sandbox;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.settings.SettingsStore;
import io.keyshift.ui.welcome.SandboxLauncher;
import javafx.application.Application;
import javafx.stage.Stage;

import java.util.List;
import java.util.concurrent.ExecutorService;

/** The wizard's JavaFX application. {@code --sandbox} opens straight on a starting sandbox. */
public class App extends Application {

    private static final String SANDBOX_OPTION = "--sandbox";

    private ExecutorService background;
    private SettingsStore settings;
    private MainWindow window;

    /** True when the arguments ask for the GUI: none at all, or only GUI options. */
    public static boolean acceptsArguments(String[] args) {
        return List.of(args).stream().allMatch(SANDBOX_OPTION::equals);
    }

    public static void launchWizard(String[] args) {
        Application.launch(App.class, args);
    }

    /** Runs on the launcher thread, so reading the settings file never holds up the FX thread. */
    @Override
    public void init() {
        settings = SettingsStore.load(SettingsStore.defaultFile());
    }

    @Override
    public void start(Stage stage) {
        background = Tasks.newExecutor("keyshift-background");
        window = new MainWindow(SandboxLauncher.withOptions(Sandbox.Options.defaults()), background, settings,
                report -> getHostServices().showDocument(report.toUri().toString()));
        stage.setTitle("KeyShift");
        stage.setScene(window.scene());
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        double[] bounds = settings.settings().windowBounds();
        if (bounds != null) {
            stage.setX(bounds[0]);
            stage.setY(bounds[1]);
            stage.setWidth(bounds[2]);
            stage.setHeight(bounds[3]);
        }
        stage.setOnCloseRequest(event -> {
            event.consume();
            window.requestClose(stage, stage::close);
        });
        stage.setOnHiding(event -> settings.update(
                s -> s.windowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight())));
        stage.show();
        if (getParameters().getRaw().contains(SANDBOX_OPTION)) {
            window.welcome().startSandbox();
        }
    }

    @Override
    public void stop() {
        window.close();
        background.shutdownNow();
    }
}
