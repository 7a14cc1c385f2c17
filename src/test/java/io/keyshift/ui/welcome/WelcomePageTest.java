package io.keyshift.ui.welcome;

import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.testing.FreshSettings;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.shell.MainWindow;
import io.keyshift.ui.wizard.WizardStep;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class WelcomePageTest {

    @TempDir
    static Path sandboxDir;

    /** What the next "Try it on a sandbox" does; a test may replace it before clicking. */
    private final AtomicReference<SandboxLauncher> launcher = new AtomicReference<>(
            SandboxLauncher.withOptions(Sandbox.Options.defaults().withDir(sandboxDir).withDocuments(5)));
    private final ExecutorService background = Tasks.newExecutor("test-background");
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(progress -> launcher.get().start(progress), background, FreshSettings.store(), report -> { });
        stage.setScene(window.scene());
        stage.show();
    }

    @AfterEach
    void closeWindow() {
        // Closing clears fields bound to controls, so it runs on the FX thread, as App.stop() does.
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(window::close));
        background.shutdownNow();
    }

    @Test
    void showsTheStepsOfAMigrationAndBothWaysIn(FxRobot robot) {
        ListView<?> steps = robot.lookup(".step-list").queryAs(ListView.class);
        assertThat(steps.getItems()).hasSize(8);
        assertThat(robot.lookup(".list-cell").queryAllAs(javafx.scene.control.ListCell.class))
                .extracting(javafx.scene.control.ListCell::getText)
                .contains("1   Connect", "2   Key vault", "8   Verify & report");
        assertThat(robot.lookup("#connectButton").queryButton().getText()).isEqualTo("_Connect to a cluster");
        assertThat(robot.lookup("#sandboxButton").queryButton().isDisabled()).isFalse();
    }

    @Test
    void sandboxStartsInTheBackgroundThenShowsItsSummary(FxRobot robot) throws Exception {
        robot.clickOn("#sandboxButton");

        assertThat(robot.lookup("#sandboxProgressBox").query().isVisible()).isTrue();
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS,
                () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.READY);
        WaitForAsyncUtils.waitForFxEvents();

        TextArea summary = robot.lookup("#sandboxSummary").queryAs(TextArea.class);
        assertThat(summary.isVisible()).isTrue();
        assertThat(summary.getText()).contains("mongodb://127.0.0.1:").contains("encryption.__keyVault")
                .contains("alias/keyshift-sandbox").doesNotContain(window.welcome().sandbox().orElseThrow()
                        .info().aws().migrator().secretAccessKey());
        assertThat(robot.lookup("#sandboxButton").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#sandboxProgressBox").query().isVisible()).isFalse();
    }

    @Test
    void sandboxThatCannotStartSaysWhyAndCanBeRetried(FxRobot robot) throws Exception {
        launcher.set(progress -> {
            throw new KeyShiftException("Python 3 is needed for the sandbox's AWS KMS emulator and was not found on PATH.");
        });

        robot.clickOn("#sandboxButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.FAILED);
        WaitForAsyncUtils.waitForFxEvents();

        Label error = robot.lookup("#sandboxError").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).startsWith("Python 3 is needed");
        assertThat(robot.lookup("#sandboxButton").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void unexpectedFailureOpensTheErrorPageAndBackReturnsToThePage(FxRobot robot) throws Exception {
        launcher.set(progress -> {
            throw new IllegalStateException("a bug in the launcher");
        });

        robot.clickOn("#sandboxButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.FAILED);
        WaitForAsyncUtils.waitForFxEvents();

        String code = robot.lookup("#codeLabel").queryAs(Label.class).getText();
        assertThat(code).matches("KS-[0-9A-F]{6}");
        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .startsWith("Something unexpected failed (IllegalStateException).");
        assertThat(robot.lookup("#detailsArea").queryAs(TextArea.class).getText()).contains("a bug in the launcher");

        robot.press(KeyCode.ALT, KeyCode.B).release(KeyCode.B, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#codeLabel").tryQuery()).isEmpty();
        assertThat(robot.lookup("#sandboxError").queryAs(Label.class).getText()).contains("error " + code);
    }

    @Test
    void useThisSandboxOpensConnectWithTheSandboxFilledIn(FxRobot robot) throws Exception {
        robot.clickOn("#sandboxButton");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS,
                () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.READY);
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#useSandboxButton");

        assertThat(window.navigation().current()).contains(WizardStep.CONNECT);
        assertThat(robot.lookup("#uriField").queryAs(TextField.class).getText())
                .isEqualTo(window.welcome().sandbox().orElseThrow().info().mongodbUri());
        // Tab order follows the page, top to bottom.
        robot.clickOn("#uriField");
        assertThat(focusAfterTab(robot)).isEqualTo("caFileField");
        assertThat(focusAfterTab(robot)).isEqualTo("browseCaButton");
        assertThat(focusAfterTab(robot)).isEqualTo("testButton");
        robot.press(KeyCode.ALT, KeyCode.B).release(KeyCode.B, KeyCode.ALT);
        assertThat(window.navigation().current()).isEmpty();
    }

    private String focusAfterTab(FxRobot robot) {
        robot.type(KeyCode.TAB);
        return window.scene().getFocusOwner().getId();
    }
}
