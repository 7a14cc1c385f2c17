package io.keyshift.ui.wizard;

import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.welcome.SandboxLauncher;
import io.keyshift.ui.welcome.WelcomeController;
import io.keyshift.ui.welcome.WelcomeViewModel;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Assembles the wizard window's scene from its pages and their view models. */
public final class MainWindow {

    public static final double WIDTH = 1100;
    public static final double HEIGHT = 720;

    private final WelcomeViewModel welcome;
    private final Scene scene;

    public MainWindow(SandboxLauncher sandboxLauncher, Executor executor) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        this.welcome = new WelcomeViewModel(sandboxLauncher, executor);
        FxmlLoaderFactory pages = new FxmlLoaderFactory(Map.<Class<?>, Supplier<?>>of(
                WelcomeController.class, () -> new WelcomeController(welcome, () -> { })));
        Parent welcomePage = pages.load("welcome/welcome.fxml");
        FxmlLoaderFactory window = new FxmlLoaderFactory(Map.<Class<?>, Supplier<?>>of(
                MainWindowController.class, () -> new MainWindowController(welcomePage, FxmlLoaderFactory.messages())));
        this.scene = new Scene(window.load("wizard/main_window.fxml"), WIDTH, HEIGHT);
        scene.getStylesheets().add(MainWindow.class.getResource("/io/keyshift/ui/keyshift.css").toExternalForm());
    }

    public Scene scene() {
        return scene;
    }

    public WelcomeViewModel welcome() {
        return welcome;
    }

    /** Stops what the window started (the sandbox's servers). */
    public void close() {
        welcome.stopSandbox();
    }
}
