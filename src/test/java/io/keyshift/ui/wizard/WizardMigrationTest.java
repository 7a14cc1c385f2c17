package io.keyshift.ui.wizard;

import io.keyshift.ui.shell.MainWindow;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.migrate.Verification;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.FreshSettings;
import io.keyshift.testing.SandboxApplications;
import io.keyshift.ui.common.FxThreadWatch;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.welcome.SandboxLauncher;
import io.keyshift.ui.welcome.WelcomeViewModel;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.RadioButton;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import static io.keyshift.ui.wizard.WizardRobot.button;
import static io.keyshift.ui.wizard.WizardRobot.onPage;
import static io.keyshift.ui.wizard.WizardRobot.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole migration through the wizard on a sandbox of its own, clicking as a user would, for REWRAP and
 * for REKEY and DECRYPT, in a 1024×640 window; the database is checked at the end. On every page no
 * label or button is cut short, and no database or KMS call is ever seen on the FX thread (the longest
 * gap between pulses is a figure {@link WizardPulseBench} prints, not a test).
 */
@ExtendWith(ApplicationExtension.class)
class WizardMigrationTest {

    @TempDir
    Path sandboxDir;

    private final ExecutorService background = Tasks.newExecutor("test-background");
    private MainWindow window;
    private FxThreadWatch fxThread;

    @Start
    void start(Stage stage) {
        window = new MainWindow(SandboxLauncher.withOptions(Sandbox.Options.defaults().withDir(sandboxDir).withDocuments(200)),
                background, FreshSettings.store(), report -> { });
        stage.setScene(window.scene());
        stage.setWidth(1024);
        stage.setHeight(640);
        stage.show();
    }

    @BeforeEach
    void watchTheFxThread() throws Exception {
        fxThread = FxThreadWatch.start();
    }

    @AfterEach
    void closeWindow() throws Exception {
        fxThread.close();
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(window::close));
        window.welcome().sandbox().ifPresent(Sandbox::close);
        background.shutdownNow();
    }

    @Test
    void rewrapThroughTheWizardMovesEveryKeyToTheCmk(FxRobot robot) throws Exception {
        SandboxInfo info = throughTheAwsPage(robot, window);
        waitUntil(120, () -> !button(robot, "#startButton").isDisabled());
        assertThat(onPage(robot, "#summaryArea", TextArea.class).getText()).startsWith("REWRAP 6 data key(s)");
        assertNothingElided(robot, window, "Plan");

        startAndConfirm(robot);
        waitForTheRun(robot, window);

        assertThat(verificationChecks()).isNotEmpty().allMatch(Verification.Check::ok);
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            assertThat(client.getDatabase("encryption").getCollection("__keyVault").find()
                    .map(key -> key.get("masterKey", Document.class).getString("key")).into(new java.util.ArrayList<>()))
                    .hasSize(6).allMatch(info.aws().cmkArn()::equals);
        }
        assertThat(fxThread.ioSeenOnFxThread()).as("database or KMS calls on the FX thread").isEmpty();
    }

    @Test
    void rewrapToKmipMovesEveryKeyUnderTheOneKeyTheCheckCreated(FxRobot robot) throws Exception {
        SandboxInfo info = throughTheTargetPage(robot, window, "#kmipCard");
        String createdKey = window.draft().targetCheckProperty().get().detail("keyId").orElseThrow();
        Set<UUID> selected = new HashSet<>(window.draft().selectedKeys().stream().map(DataKey::id).toList());
        waitUntil(120, () -> !button(robot, "#startButton").isDisabled());
        assertThat(onPage(robot, "#summaryArea", TextArea.class).getText()).startsWith("REWRAP 6 data key(s)");

        startAndConfirm(robot);
        waitForTheRun(robot, window);

        assertThat(verificationChecks()).isNotEmpty().allMatch(Verification.Check::ok);
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            Map<UUID, org.bson.BsonDocument> masterKeys = new java.util.HashMap<>();
            client.getDatabase("encryption").getCollection("__keyVault", org.bson.BsonDocument.class).find()
                    .forEach(key -> masterKeys.put(key.getBinary("_id").asUuid(), key.getDocument("masterKey")));
            assertThat(selected).as("every selected key is under kmip, with the one key the Target KMS check created")
                    .hasSize(6).allSatisfy(id -> {
                        assertThat(masterKeys.get(id).getString("provider").getValue()).isEqualTo("kmip");
                        assertThat(masterKeys.get(id).getString("keyId").getValue()).isEqualTo(createdKey);
                    });
        }
        assertThat(fxThread.ioSeenOnFxThread()).as("database or KMS calls on the FX thread").isEmpty();
    }

    @Test
    void rekeyThroughTheWizardReviewsTheSchemaThenReencryptsEveryValue(FxRobot robot) throws Exception {
        SandboxInfo info = throughTheAwsPage(robot, window);
        Map<String, List<org.bson.BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info));
        String schemaBefore = Files.readString(info.schemaMapFile());
        robot.clickOn("#rekeyChoice");
        waitUntil(120, () -> !button(robot, "#startButton").isDisabled());
        assertThat(onPage(robot, "#summaryArea", TextArea.class).getText()).startsWith("REKEY 6 data key(s)");
        startAndConfirm(robot);

        waitUntil(120, () -> reviewable(robot));
        assertNothingElided(robot, window, "Schema");
        Set<UUID> newKeys = awsKeys(info);
        assertThat(newKeys).as("the new keys exist before any value is re-encrypted").hasSize(6);
        assertThat(keyIdsInData(info)).doesNotContainAnyElementsOf(newKeys);
        robot.clickOn("#reviewedBox");
        robot.clickOn("#applyButton");
        confirmTheWrite(robot);
        waitUntil(60, () -> !Files.readString(info.schemaMapFile()).equals(schemaBefore));
        waitUntil(30, () -> !button(robot, "#nextButton").isDisabled());
        robot.clickOn("#nextButton");

        waitForTheRun(robot, window);

        assertThat(verificationChecks()).isNotEmpty().allMatch(Verification.Check::ok);
        assertThat(window.draft().finishedRunProperty().get().report().nextSteps().steps().get(0))
                .as("the schema step is journaled for the report and the Verify page")
                .startsWith("Schema rewritten: the schema file " + info.schemaMapFile());
        assertThat(keyIdsInData(info)).isNotEmpty().allMatch(newKeys::contains);
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info))).isEqualTo(before);
        assertThat(fxThread.ioSeenOnFxThread()).as("database or KMS calls on the FX thread").isEmpty();
    }

    @Test
    void decryptThroughTheWizardRemovesTheRulesThenStoresThePlaintext(FxRobot robot) throws Exception {
        SandboxInfo info = throughTheAwsPage(robot, window);
        Map<String, List<org.bson.BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info));
        robot.clickOn("#decryptChoice");
        waitUntil(120, () -> onPage(robot, "#summaryArea", TextArea.class).getText().startsWith("DECRYPT 6 data key(s)"));
        assertThat(button(robot, "#startButton").isDisabled()).as("not before DECRYPT is typed").isTrue();
        robot.clickOn("#decryptConfirmationField").write("DECRYPT");
        waitUntil(30, () -> !button(robot, "#startButton").isDisabled());
        startAndConfirm(robot);

        waitUntil(120, () -> reviewable(robot));
        assertNothingElided(robot, window, "Schema");
        robot.clickOn("#reviewedBox");
        robot.clickOn("#applyButton");
        confirmTheWrite(robot);
        waitUntil(60, () -> !Files.readString(info.schemaMapFile()).contains("\"encrypt\""));
        waitUntil(30, () -> !button(robot, "#nextButton").isDisabled());
        robot.clickOn("#nextButton");

        waitForTheRun(robot, window);

        assertThat(verificationChecks()).isNotEmpty().allMatch(Verification.Check::ok);
        assertThat(keyIdsInData(info)).isEmpty();
        assertThat(stored(info)).isEqualTo(before);
        assertThat(fxThread.ioSeenOnFxThread()).as("database or KMS calls on the FX thread").isEmpty();
    }

    /** Every document as stored, no decryption: after DECRYPT, the plaintext. */
    private static Map<String, List<org.bson.BsonDocument>> stored(SandboxInfo info) {
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            Map<String, List<org.bson.BsonDocument>> documents = new java.util.HashMap<>();
            for (String namespace : SandboxApplications.COLLECTIONS) {
                String[] parts = namespace.split("\\.", 2);
                documents.put(namespace, client.getDatabase(parts[0]).getCollection(parts[1], org.bson.BsonDocument.class)
                        .find().sort(new Document("_id", 1)).into(new java.util.ArrayList<>()));
            }
            return documents;
        }
    }

    private boolean reviewable(FxRobot robot) {
        return window.navigation().current().orElseThrow() == WizardStep.SCHEMA
                && !onPage(robot, "#reviewedBox", CheckBox.class).isDisabled();
    }

    /** {@link #throughTheTargetPage} with the sandbox's AWS CMK as the target. */
    static SandboxInfo throughTheAwsPage(FxRobot robot, MainWindow window) throws Exception {
        return throughTheTargetPage(robot, window, "#awsCard");
    }

    /**
     * Welcome → sandbox → Connect → Key vault → Source keys → Target KMS (the provider whose card is
     * given, its form as the sandbox filled it) → Plan, by the buttons a user presses, checking on each
     * page that nothing is cut short.
     */
    static SandboxInfo throughTheTargetPage(FxRobot robot, MainWindow window, String targetCard) throws Exception {
        robot.clickOn("#sandboxButton");
        waitUntil(180, () -> window.welcome().stateProperty().get() == WelcomeViewModel.SandboxState.READY);
        assertNothingElided(robot, window, "Welcome");
        SandboxInfo info = window.welcome().sandbox().orElseThrow().info();
        robot.clickOn("#useSandboxButton");
        robot.press(KeyCode.ALT, KeyCode.T).release(KeyCode.T, KeyCode.ALT);
        waitUntil(30, () -> !button(robot, "#nextButton").isDisabled());
        assertNothingElided(robot, window, "Connect");
        robot.clickOn("#nextButton");
        waitUntil(60, () -> !button(robot, "#nextButton").isDisabled());
        assertNothingElided(robot, window, "Key vault");
        robot.clickOn("#nextButton");
        robot.clickOn("#checkButton");
        waitUntil(60, () -> !button(robot, "#nextButton").isDisabled());
        assertNothingElided(robot, window, "Source keys");
        robot.clickOn("#nextButton");
        robot.clickOn(targetCard);
        robot.clickOn("#checkButton");
        waitUntil(60, () -> !button(robot, "#nextButton").isDisabled());
        assertNothingElided(robot, window, "Target KMS");
        robot.clickOn("#nextButton");
        assertThat(window.navigation().current()).contains(WizardStep.PLAN);
        assertThat(onPage(robot, "#rewrapChoice", RadioButton.class).isSelected()).isTrue();
        return info;
    }

    /**
     * Start on the Plan page, once its dry run is done, then its confirmation: the applications are
     * ready, and Start (not the default button).
     */
    static void startAndConfirm(FxRobot robot) {
        robot.clickOn("#startButton");
        robot.clickOn("#cutoverDoneBox");
        robot.clickOn("#confirmStartButton");
    }

    /** Waits for the Run page to show its rows, then for the run to finish, then goes on to Verify. */
    static void waitForTheRun(FxRobot robot, MainWindow window) throws Exception {
        waitForTheRows(robot, window);
        waitForTheEnd(robot, window);
        assertNothingElided(robot, window, "Run");
        ListView<?> log = onPage(robot, "#logList", ListView.class);
        VirtualFlow<?> shown = (VirtualFlow<?>) log.lookup(".virtual-flow");
        assertThat(shown.getLastVisibleCell().getIndex()).as("the log shows its last line").isEqualTo(log.getItems().size() - 1);
        robot.clickOn("#nextButton");
        assertThat(window.navigation().current()).contains(WizardStep.VERIFY);
        assertNothingElided(robot, window, "Verify");
    }

    static void waitForTheRows(FxRobot robot, MainWindow window) throws Exception {
        waitUntil(60, () -> window.navigation().current().orElseThrow() == WizardStep.RUN
                && !onPage(robot, "#progressTable", javafx.scene.control.TableView.class).getItems().isEmpty());
    }

    static void waitForTheEnd(FxRobot robot, MainWindow window) throws Exception {
        waitUntil(300, () -> window.navigation().current().orElseThrow() == WizardStep.RUN
                && !button(robot, "#nextButton").isDisabled());
    }

    private static void assertNothingElided(FxRobot robot, MainWindow window, String page) {
        assertThat(WizardRobot.elided(robot, window.scene())).as("cut short on the %s page", page).isEmpty();
    }

    private List<Verification.Check> verificationChecks() {
        return window.draft().finishedRunProperty().get().report().verification().checks();
    }

    private static Set<UUID> awsKeys(SandboxInfo info) {
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            Set<UUID> keys = new HashSet<>();
            client.getDatabase("encryption").getCollection("__keyVault", org.bson.BsonDocument.class)
                    .find(new Document("masterKey.provider", "aws")).forEach(key -> keys.add(key.getBinary("_id").asUuid()));
            return keys;
        }
    }

    private static Set<UUID> keyIdsInData(SandboxInfo info) {
        Set<UUID> ids = new HashSet<>();
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            for (String namespace : SandboxApplications.COLLECTIONS) {
                String[] parts = namespace.split("\\.", 2);
                for (org.bson.BsonDocument document : client.getDatabase(parts[0]).getCollection(parts[1], org.bson.BsonDocument.class).find()) {
                    Ciphertexts.forEach(document, (path, ciphertext) -> ids.add(CiphertextHeader.parse(ciphertext).keyId()));
                }
            }
        }
        return ids;
    }

    /** Apply's confirmation names the write on its button, which is not the default: it must be clicked. */
    private static void confirmTheWrite(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup((Node node) -> node instanceof Button button && button.getText().startsWith("Write "))
                .queryButton());
    }
}
