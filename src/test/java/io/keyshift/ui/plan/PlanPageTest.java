package io.keyshift.ui.plan;

import atlantafx.base.theme.PrimerLight;
import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Plan page with a REKEY stopped after creating its keys (as Back on the Schema page leaves it),
 * at the size the page has in a 1024x640 window: the banner comes first and reads whole, Start is
 * disabled, REKEY is preselected, and Abandon goes only through its typed confirmation.
 */
@ExtendWith(ApplicationExtension.class)
class PlanPageTest {

    /** The page area of a 1024x640 window, beside the step sidebar. */
    private static final double WIDTH = 1024 - 200;
    private static final double HEIGHT = 640;

    private static Path dir;
    private static Sandbox sandbox;
    private static MigrationDraft draft;
    private static MigrationRecord unfinished;

    private final ExecutorService background = Tasks.newExecutor("plan-page-test");
    private PlanViewModel viewModel;
    private Stage stage;

    @BeforeAll
    static void unfinishedRekey() throws Exception {
        dir = Files.createTempDirectory("plan-page-test");
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(10), line -> { });
        SandboxInfo info = sandbox.info();
        draft = Drafts.withAllKeysSelected(info);
        draft.sources(List.of(LocalProvider.load(info.localKeyFile())));
        SandboxInfo.Credentials migrator = info.aws().migrator();
        draft.target(new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(),
                null), info.aws().region(), info.aws().cmkArn(), info.aws().endpoint(), info.aws().caFile()).kmsTarget(), null);
        try (MongoClient client = ClusterConnection.open(draft.connectionProperty().get().clientSettings())) {
            Migrations migration = new Migrations(client, draft.connectionProperty().get().clientSettings(),
                    draft.keyVaultProperty().get(),
                    Migrations.DEFAULT_JOURNAL_COLLECTION);
            unfinished = migration.begin(migration.plan(new MigrationRequest(Strategy.REKEY, List.of(), "local", draft.targetProperty().get(),
                    MigrationRequest.DEFAULT_CHUNK, 50, 1, false, false, dir.resolve("backup.json"))));
            migration.createKeys(unfinished.id(), draft.targetProperty().get(),
                    MigrationListener.NONE);
        }
    }

    @AfterAll
    static void stopSandbox() {
        draft.close();
        sandbox.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        viewModel = new PlanViewModel(draft, background, new Failures());
        Map<Class<?>, Supplier<?>> controllers = Map.of(PlanController.class,
                () -> new PlanController(viewModel, () -> { }, strategy -> { }, FxmlLoaderFactory.messages()));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(new FxmlLoaderFactory(controllers).load("plan/plan.fxml"), WIDTH, HEIGHT);
        scene.getStylesheets().add(PlanPageTest.class.getResource("/io/keyshift/ui/keyshift.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
        viewModel.enter();
    }

    @AfterEach
    void closeWindow() throws Exception {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(stage::close));
        background.shutdownNow();
    }

    @Test
    void anUnfinishedMigrationComesFirstDisablesStartAndIsAbandonedOnlyOnceItsIdIsTyped(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> viewModel.unfinished().isPresent()
                && !viewModel.computingProperty().get() && !viewModel.blockers().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();

        Node banner = robot.lookup("#unfinishedBanner").query();
        assertThat(banner.isVisible()).isTrue();
        assertThat(robot.lookup("#unfinishedLabel").queryLabeled().getText()).startsWith("Migration " + unfinished.id()
                + " (REKEY, started by ").contains("stopped at its new keys (created, or being created), before re-encrypting any value").doesNotContain("CREATING_KEYS");
        assertThat(sceneBounds(banner).getMinY()).as("the banner is above the strategies and the dry run")
                .isLessThan(sceneBounds(robot.lookup("#rewrapChoice").query()).getMinY())
                .isLessThan(sceneBounds(robot.lookup("#summaryArea").query()).getMinY());
        assertThat(sceneBounds(banner).getMaxY()).as("the banner is in view without scrolling").isLessThan(HEIGHT);
        assertThat(elided(robot.lookup("#pageContent").query())).as("labels cut short").isEmpty();
        assertThat(robot.lookup("#rekeyChoice").queryAs(RadioButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#cutoverLabel").queryLabeled().getText()).startsWith("1. Every application gets the aws provider");

        robot.clickOn("#abandonButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).isEqualTo("Abandon migration " + unfinished.id() + "?");
        assertThat(robot.from(dialog).lookup((Labeled label) -> label.getText().contains("It created 6 new key(s)"))
                .tryQuery()).isPresent();
        Button abandon = dialogButton(robot, dialog, "Abandon it");
        Button keep = dialogButton(robot, dialog, "Keep it");
        assertThat(abandon.isDefaultButton()).isFalse();
        assertThat(keep.isDefaultButton()).isTrue();
        assertThat(abandon.isDisabled()).isTrue();
        TextField typed = robot.from(dialog).lookup("#abandonIdField").queryAs(TextField.class);
        robot.clickOn(typed).write("rekey");
        assertThat(abandon.isDisabled()).as("not until the whole id is typed").isTrue();
        robot.write(unfinished.id().substring("rekey".length()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(abandon.isDisabled()).isFalse();
        robot.clickOn(abandon);

        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> viewModel.unfinished().isEmpty()
                && !viewModel.abandonedProperty().get().isEmpty() && viewModel.valid().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(banner.isVisible()).isFalse();
        assertThat(robot.lookup("#abandonedLabel").queryLabeled().getText()).contains("Deleted the 6 new key(s)");
        try (MongoClient client = ClusterConnection.open(draft.connectionProperty().get().clientSettings())) {
            assertThat(client.getDatabase("encryption").getCollection("__keyVault", BsonDocument.class).countDocuments())
                    .isEqualTo(sandbox.dataKeyIds().size());
        }

        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane confirm = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        String text = robot.from(confirm).lookup((Labeled label) -> label.getText().startsWith("Cluster: ")).queryLabeled().getText();
        assertThat(text).contains("Cluster: rs0 (").contains("Strategy: REKEY").contains("Data keys: 6")
                .contains("Target: aws (").contains(", key " + sandbox.info().aws().cmkArn() + " in ").contains("Key backup: ");
        Button start = dialogButton(robot, confirm, "Start REKEY");
        assertThat(start.isDefaultButton()).isFalse();
        assertThat(start.isDisabled()).as("not before the cutover's first step is ticked").isTrue();
        robot.clickOn(robot.from(confirm).lookup(".check-box").queryAs(CheckBox.class));
        assertThat(start.isDisabled()).isFalse();
        robot.clickOn(dialogButton(robot, confirm, "Not yet"));
    }

    private static Button dialogButton(FxRobot robot, DialogPane dialog, String text) {
        return robot.from(dialog).lookup((Button button) -> text.equals(button.getText())).queryButton();
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getBoundsInLocal());
    }

    /** The labels under a node whose shown text is not their whole text (elided with "…"). */
    private static List<String> elided(Node root) {
        return root.lookupAll(".label, .button, .radio-button").stream().filter(Labeled.class::isInstance).map(Labeled.class::cast)
                .filter(Node::isVisible)
                .filter(labeled -> {
                    Text shown = (Text) labeled.lookup(".text");
                    return shown != null && !shown.getText().equals(labeled.getText().replace("_", ""));
                })
                .map(Labeled::getText).toList();
    }
}
