package io.keyshift.ui.wizard;

import io.keyshift.ui.shell.MainWindow;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.testing.FreshSettings;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.welcome.SandboxLauncher;
import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark, not a test (its name keeps it out of {@code mvn test}): prints the longest gap between
 * JavaFX pulses while a REWRAP of a sandbox runs through the wizard, i.e. how long the page ever
 * stopped repainting. Run it with {@code mvn test -Dtest=WizardPulseBench}.
 */
@ExtendWith(ApplicationExtension.class)
class WizardPulseBench {

    @TempDir
    Path sandboxDir;

    private final ExecutorService background = Tasks.newExecutor("bench-background");
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(SandboxLauncher.withOptions(Sandbox.Options.defaults().withDir(sandboxDir).withDocuments(200)),
                background, FreshSettings.store(), report -> { });
        stage.setScene(window.scene());
        stage.show();
    }

    @AfterEach
    void closeWindow() {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(window::close));
        window.welcome().sandbox().ifPresent(Sandbox::close);
        background.shutdownNow();
    }

    @Test
    void longestPulseGapDuringARewrap(FxRobot robot) throws Exception {
        WizardMigrationTest.throughTheAwsPage(robot, window);
        WizardRobot.waitUntil(120, () -> !WizardRobot.button(robot, "#startButton").isDisabled());
        WizardMigrationTest.startAndConfirm(robot);
        // From the moment the Run page shows its rows: building the page is not the engine's doing.
        WizardMigrationTest.waitForTheRows(robot, window);
        AtomicLong longest = new AtomicLong();
        AnimationTimer pulses = new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (last != 0) {
                    longest.accumulateAndGet(now - last, Math::max);
                }
                last = now;
            }
        };
        robot.interact(pulses::start);
        try {
            WizardMigrationTest.waitForTheEnd(robot, window);
        } finally {
            robot.interact(pulses::stop);
        }
        System.out.printf("Longest gap between JavaFX pulses during the run: %.1f ms%n", longest.get() / 1e6);
    }
}
