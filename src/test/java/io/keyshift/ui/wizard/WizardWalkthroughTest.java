package io.keyshift.ui.wizard;

import io.keyshift.ui.shell.MainWindow;
import io.keyshift.testing.FreshSettings;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.keyvault.KeyRow;
import io.keyshift.ui.source.PreflightRow;
import io.keyshift.ui.welcome.SandboxLauncher;
import io.keyshift.ui.welcome.WelcomeViewModel;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import static io.keyshift.ui.wizard.WizardRobot.button;
import static io.keyshift.ui.wizard.WizardRobot.field;
import static io.keyshift.ui.wizard.WizardRobot.label;
import static io.keyshift.ui.wizard.WizardRobot.table;
import static io.keyshift.ui.wizard.WizardRobot.visible;
import static io.keyshift.ui.wizard.WizardRobot.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks the wizard as a user would, on a sandbox it starts itself from the welcome page: Connect, Key
 * vault, Local key (a wrong key first), AWS (the migrator, then the read-only user).
 */
@ExtendWith(ApplicationExtension.class)
class WizardWalkthroughTest {

    @TempDir
    static Path sandboxDir;

    private final ExecutorService background = Tasks.newExecutor("test-background");
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(SandboxLauncher.withOptions(Sandbox.Options.defaults().withDir(sandboxDir).withDocuments(20)),
                background, FreshSettings.store(), report -> { });
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
    void walksFromTheSandboxThroughConnectKeyVaultLocalKeyAndAws(FxRobot robot) throws Exception {
        robot.clickOn("#sandboxButton");
        waitUntil(180, () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.READY);
        SandboxInfo info = window.welcome().sandbox().orElseThrow().info();

        robot.clickOn("#useSandboxButton");
        assertThat(window.navigation().current()).contains(WizardStep.CONNECT);
        assertThat(robot.lookup(".step-list").queryAs(ListView.class).getSelectionModel().getSelectedItem())
                .isEqualTo(WizardStep.CONNECT);
        assertThat(field(robot, "#uriField").getText()).isEqualTo(info.mongodbUri());
        assertThat(button(robot, "#nextButton").isDisabled()).isTrue();

        // Keyboard only: Alt+T tests the connection, Alt+N goes on.
        robot.press(KeyCode.ALT, KeyCode.T).release(KeyCode.T, KeyCode.ALT);
        waitUntil(30, () -> visible(robot, "#topologyCard"));
        assertThat(label(robot, "#topologyValue").getText()).startsWith("replica set");
        assertThat(label(robot, "#setNameValue").getText()).isEqualTo("rs0");
        assertThat(robot.lookup("#membersBox").queryAs(VBox.class).getChildren()).isNotEmpty();
        assertThat(robot.lookup("#membersBox .badge").queryAs(Label.class).getText()).isEqualTo("PRIMARY");
        assertThat(button(robot, "#nextButton").isDisabled()).isFalse();
        // A background action leaves the focus on its button, so Space does not go back a page.
        robot.clickOn("#testButton");
        waitUntil(30, () -> !button(robot, "#testButton").isDisabled());
        assertThat(button(robot, "#testButton").isFocused()).as("Test connection keeps the focus").isTrue();
        // F1 opens About from any page, Escape closes it.
        robot.press(KeyCode.F1).release(KeyCode.F1);
        waitUntil(10, () -> aboutDialog().isPresent());
        assertThat(aboutDialog().orElseThrow().getHeaderText()).startsWith("KeyShift ");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitUntil(10, () -> aboutDialog().isEmpty());
        robot.press(KeyCode.ALT, KeyCode.N).release(KeyCode.N, KeyCode.ALT);

        assertThat(window.navigation().current()).contains(WizardStep.KEY_VAULT);
        waitUntil(60, () -> WizardRobot.<KeyRow>table(robot, "#keyTable").getItems().size() == 6);
        TableView<KeyRow> keys = table(robot, "#keyTable");
        assertThat(keys.getItems()).extracting(KeyRow::id)
                .containsExactlyInAnyOrderElementsOf(window.welcome().sandbox().orElseThrow().dataKeyIds().stream()
                        .map(Object::toString).toList());
        assertThat(keys.getItems()).allMatch(row -> row.selectedProperty().get());
        assertThat(label(robot, "#countsLabel").getText()).isEqualTo("6 data keys: 6 local");
        assertThat(keys.getItems().stream().filter(row -> row.altNames().equals("hr-ssn")).findFirst().orElseThrow().usedBy())
                .contains("hr.employees: ").contains("ssn");
        assertThat(table(robot, "#usageTable").getItems()).isNotEmpty();
        assertThat(visible(robot, "#missingLabel")).isFalse();
        // Space toggles the focused key's selection, so the keyboard reaches the check boxes.
        robot.interact(() -> {
            keys.requestFocus();
            keys.getSelectionModel().select(0);
        });
        robot.type(KeyCode.SPACE);
        assertThat(keys.getItems().get(0).selectedProperty().get()).isFalse();
        assertThat(label(robot, "#selectionLabel").getText()).isEqualTo("5 of 6 data keys selected to migrate");
        robot.type(KeyCode.SPACE);
        assertThat(keys.getItems().get(0).selectedProperty().get()).isTrue();
        assertThat(robot.lookup("#detailArea").queryAs(TextArea.class).getText())
                .startsWith(keys.getItems().get(0).id());
        robot.clickOn("#searchField").write("clinic");
        // Matches the alt name of one key and the fields of another.
        assertThat(keys.getItems()).extracting(KeyRow::altNames).containsExactlyInAnyOrder("clinic-pii", "");
        robot.interact(() -> field(robot, "#searchField").clear());
        robot.clickOn("#nextButton");

        assertThat(window.navigation().current()).contains(WizardStep.SOURCE_KEYS);
        Path wrongKey = sandboxDir.resolve("wrong-master-key.bin");
        byte[] random = new byte[96];
        new SecureRandom().nextBytes(random);
        Files.write(wrongKey, random);
        robot.interact(() -> field(robot, "#keyFileField").setText(wrongKey.toString()));
        robot.clickOn("#checkButton");
        waitUntil(60, () -> preflightDone(robot));
        assertThat(WizardRobot.<PreflightRow>table(robot, "#preflightTable").getItems()).hasSize(6)
                .allSatisfy(row -> {
                    assertThat(row.mark()).isEqualTo("✗");
                    assertThat(row.sentence()).contains("does not decrypt under this local master key");
                });
        assertThat(button(robot, "#nextButton").isDisabled()).isTrue();
        assertThat(label(robot, "#summaryLabel").getText()).startsWith("0 of 6 selected data keys open");

        robot.interact(() -> field(robot, "#keyFileField").setText(info.localKeyFile().toString()));
        robot.clickOn("#checkButton");
        waitUntil(60, () -> preflightDone(robot));
        assertThat(WizardRobot.<PreflightRow>table(robot, "#preflightTable").getItems()).hasSize(6)
                .allSatisfy(row -> assertThat(row.mark()).isEqualTo("✓"));
        assertThat(button(robot, "#checkButton").isFocused()).as("Check keeps the focus").isTrue();
        assertThat(window.draft().sources()).isNotEmpty();
        robot.clickOn("#nextButton");

        assertThat(window.navigation().current()).contains(WizardStep.TARGET_KMS);
        assertThat(robot.lookup("#awsCard").queryAs(RadioButton.class).isSelected()).isTrue();
        robot.clickOn("#azureCard");
        assertThat(visible(robot, "#azureForm")).as("the Azure form shows").isTrue();
        assertThat(field(robot, "#azureVaultField").getText()).isEqualTo(info.azure().keyVaultEndpoint());
        assertThat(robot.lookup("#azureSecretField").queryAs(PasswordField.class).getText()).isEqualTo(info.azure().clientSecret());
        robot.clickOn("#gcpCard");
        assertThat(visible(robot, "#gcpForm")).as("the GCP form shows").isTrue();
        assertThat(visible(robot, "#azureForm")).as("the Azure form hides").isFalse();
        assertThat(field(robot, "#gcpCredentialsField").getText()).isEqualTo(info.gcp().credentialsFile().toString());
        robot.clickOn("#kmipCard");
        assertThat(visible(robot, "#kmipForm")).as("the KMIP form shows").isTrue();
        assertThat(field(robot, "#kmipEndpointField").getText()).isEqualTo(info.kmip().endpoint());
        assertThat(visible(robot, "#awsForm")).as("the AWS form hides").isFalse();
        robot.clickOn("#awsCard");
        assertThat(robot.lookup("#secretField").queryAs(PasswordField.class).getText())
                .isEqualTo(info.aws().migrator().secretAccessKey());
        robot.clickOn("#checkButton");
        waitUntil(60, () -> window.draft().targetCheckProperty().get() != null);
        assertThat(checkLabels(robot)).contains("✓", "Encrypt + Decrypt round trip").doesNotContain("✗");
        waitUntil(10, () -> !button(robot, "#checkButton").isDisabled());
        assertThat(button(robot, "#checkButton").isFocused()).as("Check keeps the focus").isTrue();
        assertThat(button(robot, "#nextButton").isDisabled()).isFalse();

        robot.interact(() -> {
            field(robot, "#accessKeyIdField").setText(info.aws().readOnly().accessKeyId());
            robot.lookup("#secretField").queryAs(PasswordField.class).setText(info.aws().readOnly().secretAccessKey());
        });
        robot.clickOn("#checkButton");
        waitUntil(60, () -> robot.lookup("#checkButton").queryButton().isDisabled() == false
                && checkLabels(robot).contains("✗"));
        assertThat(checkLabels(robot)).anySatisfy(text -> assertThat(text).contains("not allowed kms:Encrypt"));
        assertThat(button(robot, "#nextButton").isDisabled()).isTrue();

        robot.press(KeyCode.ALT, KeyCode.B).release(KeyCode.B, KeyCode.ALT);
        assertThat(window.navigation().current()).contains(WizardStep.SOURCE_KEYS);
    }

    private boolean preflightDone(FxRobot robot) {
        return !button(robot, "#checkButton").isDisabled()
                && WizardRobot.<PreflightRow>table(robot, "#preflightTable").getItems().stream().allMatch(row -> row.outcome() != null);
    }

    private static List<String> checkLabels(FxRobot robot) {
        return robot.lookup("#checklist .label").queryAllAs(Label.class).stream().map(Label::getText).toList();
    }

    private static Optional<DialogPane> aboutDialog() {
        return Window.getWindows().stream().map(Window::getScene)
                .filter(scene -> scene != null && scene.getRoot() instanceof DialogPane)
                .map(scene -> (DialogPane) scene.getRoot()).findFirst();
    }
}
