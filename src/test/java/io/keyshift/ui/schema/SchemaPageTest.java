package io.keyshift.ui.schema;

import atlantafx.base.theme.PrimerLight;
import com.mongodb.MongoNamespace;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.ui.wizard.MigrationDraft;
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
import javafx.scene.text.Text;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class SchemaPageTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");

    @TempDir
    Path dir;

    private final SchemaViewModel viewModel =
            new SchemaViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures(), new SchemaWriter(Clock.systemUTC()));
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

        // Apply asks first, naming what it writes; Enter cancels, so nothing is written by a stray keypress.
        robot.press(KeyCode.ALT, KeyCode.A).release(KeyCode.A, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".dialog-pane .content").queryAs(Label.class).getText())
                .startsWith("KeyShift will write the schema file " + schemaFile + ": 4 rule change(s)");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Files.readString(schemaFile)).contains(SchemaJson.base64(OLD));

        robot.press(KeyCode.ALT, KeyCode.A).release(KeyCode.A, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Write 4 rule change(s)");
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
        robot.clickOn("Write 4 rule change(s)");
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
        robot.press(KeyCode.ALT, KeyCode.S).release(KeyCode.S, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
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
        assertThat(focusAfterTab(robot)).isEqualTo("chooseFileButton");
        assertThat(focusAfterTab(robot)).isEqualTo("changesToggle");
        assertThat(focusAfterTab(robot)).isEqualTo("changeTable");
        assertThat(focusAfterTab(robot)).isEqualTo("reviewedBox");
    }

    @Test
    void theChangeListNamesNamespaceFieldAndKeysAndNoDiffLineIsCutAtA1024By640Window(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> {
            stage.setWidth(1024 - 200);
            stage.setHeight(640);
        }));
        WaitForAsyncUtils.waitForFxEvents();

        List<String> changeCells = texts(robot, "#changeTable .wrapping-cell-text");
        assertThat(changeCells).contains("hr.employees", "ssn", "medical.encryptMetadata", OLD.toString(), NEW.toString());

        robot.press(KeyCode.ALT, KeyCode.S).release(KeyCode.S, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        Set<String> fullLines = viewModel.sideBySide().stream()
                .flatMap(row -> Stream.of(row.oldLine(), row.newLine())).collect(Collectors.toSet());
        List<Text> shown = robot.lookup("#sideBySideTable .diff-text").queryAllAs(Text.class).stream()
                .filter(Node::isVisible).filter(text -> text.getText() != null).toList();
        assertThat(shown).isNotEmpty().allSatisfy(text -> {
            assertThat(fullLines).as("a whole line, not an elided one").contains(text.getText());
            assertThat(text.getLayoutBounds().getWidth()).as("wrapped within its column")
                    .isLessThanOrEqualTo(text.getWrappingWidth() + 1);
        });
        assertThat(shown).extracting(Text::getText).anyMatch(line -> line.contains(OLD.toString()));
    }

    @Test
    void withNoRulesFoundNextWaitsForTheDeclarationThatTheApplicationsUseNoSchemaMap(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> viewModel.load(SchemaInputs.rekey(Optional.empty(),
                new MongoNamespace("encryption.__keyVault"), new DekMapping(Map.of(OLD, NEW), true), Optional.empty(),
                dir))));
        WaitForAsyncUtils.waitForFxEvents();
        Button next = robot.lookup("#nextButton").queryButton();
        CheckBox noSchemaMap = robot.lookup("#noSchemaMapBox").queryAs(CheckBox.class);
        assertThat(noSchemaMap.isVisible()).isTrue();
        assertThat(next.isDisabled()).isTrue();

        robot.press(KeyCode.ALT, KeyCode.O).release(KeyCode.O, KeyCode.ALT);
        robot.type(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(noSchemaMap.isSelected()).isTrue();
        assertThat(next.isDisabled()).isFalse();
    }

    private static List<String> texts(FxRobot robot, String query) {
        return robot.lookup(query).queryAllAs(Text.class).stream().map(Text::getText).filter(Objects::nonNull)
                .flatMap(text -> Stream.of(text.split(" ")))
                .toList();
    }

    private String focusAfterTab(FxRobot robot) {
        robot.type(KeyCode.TAB);
        Node focused = stage.getScene().getFocusOwner();
        return focused.getId();
    }
}
