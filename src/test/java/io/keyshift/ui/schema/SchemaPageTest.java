package io.keyshift.ui.schema;

import atlantafx.base.theme.PrimerLight;
import com.mongodb.MongoNamespace;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class SchemaPageTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");

    @TempDir
    Path dir;

    private final SchemaViewModel viewModel =
            new SchemaViewModel(FxThread.DIRECT, new Failures(), new SchemaWriter(Clock.systemUTC()));
    private Stage stage;
    private Path schemaFile;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        try {
            schemaFile = SchemaJson.write(dir, "schema-map.json", SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Class<?>, Supplier<?>> controllers =
                Map.of(SchemaController.class, () -> new SchemaController(viewModel, new WizardNavigation()));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(new FxmlLoaderFactory(controllers).load("schema/schema.fxml"), 1000, 720);
        scene.getStylesheets().add(SchemaPageTest.class.getResource("/io/keyshift/ui/keyshift.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
        viewModel.load(SchemaInputs.rekey(Optional.empty(), new MongoNamespace("encryption.__keyVault"),
                new DekMapping(Map.of(OLD, NEW), true), Optional.of(schemaFile), dir));
    }

    @AfterEach
    void closeWindow() throws Exception {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(stage::close));
    }

    @Test
    void reviewAndApplyAreReachedByKeyboardAndNextWaitsForTheReview(FxRobot robot) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Button next = robot.lookup("#nextButton").queryButton();
        Button apply = robot.lookup("#applyButton").queryButton();
        assertThat(next.isDisabled()).isTrue();
        assertThat(apply.isDisabled()).isTrue();

        // A mnemonic moves the focus to a check box; Space ticks it.
        robot.press(KeyCode.ALT, KeyCode.I).release(KeyCode.I, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#reviewedBox").queryAs(CheckBox.class).isSelected()).isTrue();
        assertThat(next.isDisabled()).isFalse();
        assertThat(apply.isDisabled()).isFalse();

        robot.press(KeyCode.ALT, KeyCode.A).release(KeyCode.A, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#resultLabel").queryAs(Label.class).getText())
                .startsWith("Wrote " + schemaFile + ".").contains(".keyshift-backup-");
        assertThat(Files.readString(schemaFile)).contains(SchemaJson.base64(NEW)).doesNotContain(SchemaJson.base64(OLD));
        assertThat(apply.isDisabled()).as("a preview is written once").isTrue();
        assertThat(next.isDisabled()).isFalse();
    }

    @Test
    void aFileChangedSinceThePreviewIsRefusedInlineAndRefreshOpensANewPreview(FxRobot robot) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        String editedMeanwhile = SchemaJson.hrSchemaMap(OLD, OLD, OLD, UUID.randomUUID());
        Files.writeString(schemaFile, editedMeanwhile);

        robot.press(KeyCode.ALT, KeyCode.I).release(KeyCode.I, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
        robot.press(KeyCode.ALT, KeyCode.A).release(KeyCode.A, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();

        Label error = robot.lookup("#errorLabel").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("changed since the preview, so nothing was written")
                .contains("Re-open the preview");
        assertThat(Files.readString(schemaFile)).isEqualTo(editedMeanwhile);
        assertThat(robot.lookup("#nextButton").queryButton().isDisabled()).isTrue();

        robot.press(KeyCode.ALT, KeyCode.R).release(KeyCode.R, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(error.isVisible()).isFalse();
        assertThat(robot.lookup("#reviewedBox").queryAs(CheckBox.class).isSelected()).isFalse();
        assertThat(robot.lookup("#reviewedBox").query().isDisabled()).isFalse();
    }

    @Test
    void showsTheChangeInColourSideBySideAndUnifiedOnToggle(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#sideBySideTable .diff-removed").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#sideBySideTable .diff-added").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#unifiedList").query().isVisible()).isFalse();

        robot.press(KeyCode.ALT, KeyCode.U).release(KeyCode.U, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#sideBySideTable").query().isVisible()).isFalse();
        assertThat(robot.lookup("#unifiedList").query().isVisible()).isTrue();
        assertThat(robot.lookup("#unifiedList .diff-removed").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#unifiedList .diff-added").queryAll()).isNotEmpty();
    }

    @Test
    void tabOrderFollowsThePage(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        Button refresh = robot.lookup("#refreshButton").queryButton();
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(refresh::requestFocus));
        assertThat(focusAfterTab(robot)).isEqualTo("namespaceTable");
        assertThat(focusAfterTab(robot)).isEqualTo("unifiedToggle");
        assertThat(focusAfterTab(robot)).isEqualTo("sideBySideTable");
        assertThat(focusAfterTab(robot)).isEqualTo("reviewedBox");
    }

    private String focusAfterTab(FxRobot robot) {
        robot.type(KeyCode.TAB);
        Node focused = stage.getScene().getFocusOwner();
        return focused.getId();
    }
}
