package io.keyshift.ui;

import io.keyshift.testing.FreshSettings;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.welcome.SandboxLauncher;
import io.keyshift.ui.welcome.WelcomeViewModel;
import io.keyshift.ui.shell.MainWindow;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the real wizard window through its pages on a fresh sandbox and saves one PNG per page.
 * Run it in a real window (screenshots/take.sh starts it under Xvfb), not on Monocle.
 *
 * <p>Usage: {@code ScreenshotTour OUTPUT_DIR [LOOK_DIR]}: with LOOK_DIR, the Source keys, Target KMS, Plan, Schema, Run and Verify pages
 * are also saved there at the smallest supported window size, 1024x640, top and bottom, to look at (and the
 * page the tour got stuck on, if it does).
 */
public final class ScreenshotTour {

    private static final long STEP_TIMEOUT_SECONDS = 120;
    private static final long RUN_TIMEOUT_SECONDS = 600;
    private static final long SANDBOX_TIMEOUT_SECONDS = 600;

    private static final double SMALL_WIDTH = 1024;
    private static final double SMALL_HEIGHT = 640;

    private final Path output;
    private final Path scratch;
    private final Path looks;
    private MainWindow window;
    private Stage stage;

    private ScreenshotTour(Path output, Path scratch, Path looks) {
        this.output = output;
        this.scratch = scratch;
        this.looks = looks;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: ScreenshotTour OUTPUT_DIR [LOOK_DIR]");
            System.exit(1);
        }
        Path sandboxDir = Files.createTempDirectory("keyshift-screenshots");
        ExecutorService background = Tasks.newExecutor("screenshot-tour");
        Platform.startup(() -> { });
        ScreenshotTour tour = new ScreenshotTour(Path.of(args[0]), sandboxDir, args.length == 2 ? Path.of(args[1]) : null);
        try {
            tour.run(SandboxLauncher.withOptions(Sandbox.Options.defaults().withDir(sandboxDir).withDocuments(2000)), background);
        } catch (Exception stuck) {
            if (tour.looks != null && tour.window != null) {
                save(tour.looks, "stuck.png", tour.window.scene()); // the page the tour waited on, to see why
            }
            throw stuck;
        } finally {
            onFx(() -> {
                if (tour.window != null) {
                    tour.window.close();
                }
                return null;
            });
            background.shutdownNow();
            Platform.exit();
            deleteTree(sandboxDir);
        }
    }

    private void run(SandboxLauncher launcher, ExecutorService background) throws Exception {
        window = onFx(() -> {
            MainWindow created = new MainWindow(launcher, background, FreshSettings.store(), report -> { });
            stage = new Stage();
            stage.setTitle("KeyShift");
            stage.setScene(created.scene());
            stage.show();
            created.welcome().startSandbox();
            return created;
        });
        await(SANDBOX_TIMEOUT_SECONDS, () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.READY);
        save("welcome.png");

        SandboxInfo info = window.welcome().sandbox().orElseThrow().info();
        fire("#useSandboxButton");
        fire("#testButton");
        await(STEP_TIMEOUT_SECONDS, () -> node("#topologyCard").isVisible());
        save("connect.png");

        fire("#nextButton");
        await(STEP_TIMEOUT_SECONDS, () -> ((TableView<?>) node("#keyTable")).getItems().size() == 6
                && !((TableView<?>) node("#usageTable")).getItems().isEmpty());
        onFx(() -> {
            ((TableView<?>) node("#keyTable")).getSelectionModel().select(0);
            return null;
        });
        save("keyvault.png");

        // The Health view audits the vault against the sandbox's schema map (Use sandbox chose it, and the
        // Schema page reads it later); the drift item selects its rows.
        onFx(() -> {
            ((ToggleButton) node("#healthToggle")).setSelected(true);
            return null;
        });
        await(STEP_TIMEOUT_SECONDS, () -> node("#summaryStrip").lookupAll(".summary-item").size() >= 5
                && !node("#masker").isVisible());
        onFx(() -> {
            ((Button) node("#summary-drift")).fire();
            return null;
        });
        save("keyvault-health.png");
        onFx(() -> {
            ((TabPane) node("#tabs")).getSelectionModel().select(1);
            return null;
        });
        save("keyvault-health-values.png");
        onFx(() -> {
            ((ToggleButton) node("#keysToggle")).setSelected(true);
            return null;
        });

        fire("#nextButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Label) node("#summaryLabel")).getText().isEmpty());
        save("source-keys.png");
        look("source-keys");

        Path wrongKey = Files.write(scratch.resolve("wrong-master-key.bin"), new byte[96]);
        onFx(() -> {
            ((TextField) node("#keyFileField")).setText(wrongKey.toString());
            return null;
        });
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> ((Label) node("#summaryLabel")).getText().startsWith("0 of"));
        save("source-keys-wrong-key.png");
        onFx(() -> {
            ((TextField) node("#keyFileField")).setText(info.localKeyFile().toString());
            return null;
        });
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());

        fire("#nextButton");
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> window.draft().targetCheckProperty().get() != null);
        save("target-kms.png");
        look("target-kms");

        // The same page for the sandbox's KMIP server (its fields filled by Use sandbox), then back to AWS.
        fire("#kmipCard");
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        save("target-kms-kmip.png");
        // And for the sandbox's Azure Key Vault and Cloud KMS emulators, their forms filled the same way.
        fire("#azureCard");
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        save("target-kms-azure.png");
        look("target-kms-azure");
        fire("#gcpCard");
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        save("target-kms-gcp.png");
        look("target-kms-gcp");
        fire("#awsCard");

        onFx(() -> {
            ((TextField) node("#accessKeyIdField")).setText(info.aws().readOnly().accessKeyId());
            ((TextField) node("#secretField")).setText(info.aws().readOnly().secretAccessKey());
            return null;
        });
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#checkButton")).isDisabled()
                && node("#checklist").lookupAll(".label").stream().anyMatch(label -> "✗".equals(((Label) label).getText())));
        save("target-kms-denied.png");

        onFx(() -> {
            ((TextField) node("#accessKeyIdField")).setText(info.aws().migrator().accessKeyId());
            ((TextField) node("#secretField")).setText(info.aws().migrator().secretAccessKey());
            return null;
        });
        fire("#checkButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        fire("#nextButton");
        // REWRAP's cutover: the aws provider goes in beside local before the run, local comes out after it.
        fire("#rewrapChoice");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#startButton")).isDisabled());
        scrollTo("#cutoverLabel");
        save("plan-cutover.png");
        scrollTo("#unfinishedBanner");
        fire("#rekeyChoice");
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#startButton")).isDisabled());
        save("plan.png");
        look("plan");

        // Start opens a confirmation dialog, whose nested event loop must not be waited for from here.
        Platform.runLater(() -> ((Button) node("#startButton")).fire());
        await(STEP_TIMEOUT_SECONDS, () -> confirmation() != null);
        onFx(() -> {
            ((CheckBox) confirmation().lookup("#cutoverDoneBox")).setSelected(true);
            ((Button) confirmation().lookup("#confirmStartButton")).fire();
            return null;
        });
        await(STEP_TIMEOUT_SECONDS, () -> !node("#reviewedBox").isDisabled() && !((Label) node("#summaryLabel")).getText().isEmpty());
        look("schema");

        // Back once the new keys exist: the REKEY is unfinished, holds the keys, and the Plan page says so first.
        fireBack();
        await(STEP_TIMEOUT_SECONDS, () -> node("#unfinishedBanner").isVisible() && !node("#resumeButton").isDisabled()
                && ((Button) node("#startButton")).isDisabled() && !node("#dryRunProgress").isVisible());
        save("plan-unfinished.png");
        fire("#resumeButton");
        Thread.sleep(2000); // the Schema page reloads the rules for the resumed migration
        await(STEP_TIMEOUT_SECONDS, () -> !node("#loadProgress").isVisible() && !node("#reviewedBox").isDisabled()
                && !((Label) node("#summaryLabel")).getText().isEmpty());
        save("schema.png");
        onFx(() -> {
            ((CheckBox) node("#reviewedBox")).setSelected(true);
            return null;
        });
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#applyButton")).isDisabled());
        // Apply asks first; its write button is not the default one.
        Platform.runLater(() -> ((Button) node("#applyButton")).fire());
        await(STEP_TIMEOUT_SECONDS, () -> confirmation() != null);
        onFx(() -> {
            DialogPane dialog = confirmation();
            dialog.getButtonTypes().stream().filter(type -> type.getButtonData() == ButtonBar.ButtonData.OK_DONE)
                    .map(type -> (Button) dialog.lookupButton(type)).findFirst().orElseThrow().fire();
            return null;
        });
        await(STEP_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        fire("#nextButton");
        await(STEP_TIMEOUT_SECONDS, () -> ((ProgressBar) node("#overallBar")).getProgress() > 0.3);
        save("run.png");

        // Closing mid-run asks first; the tour keeps the run going.
        Platform.runLater(() -> window.requestClose(stage, () -> {
            throw new IllegalStateException("The run ended before the window was asked to close");
        }));
        await(STEP_TIMEOUT_SECONDS, () -> confirmation() != null);
        save("close-while-running.png", confirmation().getScene());
        onFx(() -> {
            DialogPane dialog = confirmation();
            dialog.getButtonTypes().stream().filter(type -> type.getButtonData() == ButtonBar.ButtonData.CANCEL_CLOSE)
                    .map(type -> (Button) dialog.lookupButton(type)).findFirst().orElseThrow().fire();
            return null;
        });
        await(RUN_TIMEOUT_SECONDS, () -> !((Button) node("#nextButton")).isDisabled());
        look("run");
        fire("#nextButton");
        await(STEP_TIMEOUT_SECONDS, () -> !((Label) node("#verdictLabel")).getText().isEmpty());
        save("verify.png");
        look("verify");
    }

    /** Back, as the page's Back button does it. */
    private void fireBack() throws Exception {
        await(STEP_TIMEOUT_SECONDS, () -> backButton() != null);
        onFx(() -> {
            backButton().fire();
            return null;
        });
    }

    private Button backButton() {
        return window.scene().getRoot().lookupAll(".button").stream()
                .filter(node -> node instanceof Button button && button.isVisible()
                        && ButtonBar.getButtonData(button) == ButtonBar.ButtonData.BACK_PREVIOUS)
                .map(Button.class::cast).findFirst().orElse(null);
    }

    /** Scrolls the page so the control is at the top of what shows. */
    private void scrollTo(String selector) throws Exception {
        await(STEP_TIMEOUT_SECONDS, () -> node(selector) != null);
        onFx(() -> {
            window.scene().getRoot().applyCss();
            window.scene().getRoot().layout();
            Node target = node(selector);
            ScrollPane pane = enclosingScroll(target);
            double content = pane.getContent().getLayoutBounds().getHeight();
            double viewport = pane.getViewportBounds().getHeight();
            double top = pane.getContent().sceneToLocal(target.localToScene(target.getLayoutBounds())).getMinY();
            pane.setVvalue(content <= viewport ? 0 : Math.min(1, Math.max(0, top / (content - viewport))));
            return null;
        });
    }

    private static ScrollPane enclosingScroll(Node node) {
        Node parent = node.getParent();
        while (!(parent instanceof ScrollPane)) {
            parent = parent.getParent();
        }
        return (ScrollPane) parent;
    }

    /** With a look directory: the page at 1024x640, as shown and scrolled to its end, then the window as it was. */
    private void look(String page) throws Exception {
        if (looks == null) {
            return;
        }
        double width = stage.getWidth();
        double height = stage.getHeight();
        onFx(() -> {
            stage.setWidth(SMALL_WIDTH);
            stage.setHeight(SMALL_HEIGHT);
            return null;
        });
        save(looks, page + "-1024x640.png", window.scene());
        onFx(() -> {
            window.scene().getRoot().lookupAll(".scroll-pane").forEach(pane -> {
                if (pane instanceof ScrollPane scroll) {
                    scroll.setVvalue(1);
                }
            });
            return null;
        });
        save(looks, page + "-1024x640-end.png", window.scene());
        onFx(() -> {
            window.scene().getRoot().lookupAll(".scroll-pane").forEach(pane -> {
                if (pane instanceof ScrollPane scroll) {
                    scroll.setVvalue(0);
                }
            });
            stage.setWidth(width);
            stage.setHeight(height);
            return null;
        });
        Thread.sleep(700);
    }

    /** The confirmation dialog Start opened, or null while it is not showing. */
    private static DialogPane confirmation() {
        return Window.getWindows().stream().map(Window::getScene)
                .filter(scene -> scene != null && scene.getRoot() instanceof DialogPane)
                .map(scene -> (DialogPane) scene.getRoot()).findFirst().orElse(null);
    }

    private Node node(String selector) {
        Node found = window.scene().lookup(selector);
        if (found == null) {
            throw new NoSuchControl(selector);
        }
        return found;
    }

    /** A page's controls inside a ScrollPane join the scene graph only once its skin exists, a pulse after it shows. */
    private void fire(String selector) throws Exception {
        await(STEP_TIMEOUT_SECONDS, () -> node(selector) != null);
        onFx(() -> {
            ((ButtonBase) node(selector)).fire();
            return null;
        });
    }

    private void save(String name) throws Exception {
        save(name, window.scene());
    }

    /** Lets layout and CSS settle, then writes the scene as a PNG. */
    private void save(String name, Scene scene) throws Exception {
        save(output, name, scene);
    }

    private static void save(Path output, String name, Scene scene) throws Exception {
        Thread.sleep(700);
        WritableImage image = onFx(() -> scene.snapshot(null));
        BufferedImage png = new BufferedImage((int) image.getWidth(), (int) image.getHeight(), BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                png.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        Files.createDirectories(output);
        ImageIO.write(png, "png", output.resolve(name).toFile());
        System.out.println("wrote " + output.resolve(name));
    }

    private static void await(long seconds, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onFx(() -> holds(condition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The wizard did not get there within " + seconds + " seconds");
            }
            Thread.sleep(200);
        }
    }

    /** False while a control the condition reads is not in the scene yet. */
    private static boolean holds(Callable<Boolean> condition) throws Exception {
        try {
            return condition.call();
        } catch (NoSuchControl notYet) {
            return false;
        }
    }

    private static final class NoSuchControl extends IllegalStateException {
        NoSuchControl(String selector) {
            super("No " + selector + " on the page shown");
        }
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        return task.get(60, TimeUnit.SECONDS);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
