package io.keyshift.ui.keyvault;

import atlantafx.base.theme.PrimerLight;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.keyvault.HealthRow.Category;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The Key vault page's Health view on the sandbox: the audit runs in the background, the summary selects rows. */
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class HealthViewTest {

    private static TestStack stack;

    private final ExecutorService background = Tasks.newExecutor("test-background");
    private Stage stage;
    private HealthViewModel health;

    @BeforeAll
    static void startStack(TestStack testStack) {
        stack = testStack;
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        MigrationDraft draft = Drafts.connected(stack.info());
        draft.schemaFileProperty().set(stack.info().schemaMapFile());
        KeyVaultViewModel keyVault = new KeyVaultViewModel(draft, background, new Failures());
        health = new HealthViewModel(draft, background, new Failures());
        FxmlLoaderFactory pages = new FxmlLoaderFactory(Map.<Class<?>, Supplier<?>>of(
                KeyVaultController.class, () -> new KeyVaultController(keyVault, new WizardNavigation()),
                HealthController.class, () -> new HealthController(health, FxmlLoaderFactory.messages())));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(pages.load("keyvault/keyvault.fxml"), 1280, 800);
        scene.getStylesheets().add(HealthViewTest.class.getResource("/io/keyshift/ui/keyshift.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void closeWindow() throws Exception {
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(stage::close));
        background.shutdownNow();
    }

    private static Button summaryItem(FxRobot robot, String id) {
        return robot.lookup("#summary-" + id).queryButton();
    }

    private static long count(Button item) {
        return Long.parseLong(item.getText().substring(0, item.getText().indexOf(' ')));
    }

    @Test
    void auditsOffTheFxThreadAndEachSummaryItemSelectsItsRows(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#health").query().isVisible()).isFalse();

        robot.clickOn("#healthToggle");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> health.reportProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(health.errorProperty().get()).isEmpty();
        assertThat(robot.lookup("#keyTable").query().isVisible()).isFalse();
        @SuppressWarnings("unchecked")
        TableView<HealthRow> table = robot.lookup("#healthTable").queryAs(TableView.class);

        Button local = summaryItem(robot, "provider-local");
        assertThat(count(local)).isEqualTo(SandboxDataKeys.SPECS.size());
        robot.clickOn(local);
        assertThat(table.getSelectionModel().getSelectedItems()).hasSize(SandboxDataKeys.SPECS.size())
                .allMatch(row -> row.provider().equals("local"));

        Button unused = summaryItem(robot, "unused");
        robot.clickOn(unused);
        List<HealthRow> selected = List.copyOf(table.getSelectionModel().getSelectedItems());
        assertThat(selected).hasSize((int) count(unused)).allMatch(row -> row.category() == Category.UNUSED)
                .anyMatch(row -> row.subject().startsWith("spare ("));

        // The sandbox's explicitly encrypted fields (phones, scans, codes) are in no schema rule.
        Button drift = summaryItem(robot, "drift");
        assertThat(count(drift)).isPositive();
        robot.clickOn(drift);
        assertThat(table.getSelectionModel().getSelectedItems()).hasSize((int) count(drift))
                .allMatch(row -> row.category() == Category.DRIFT)
                .extracting(HealthRow::subject).contains("phones.$", "scans.$", "codes.$");
        assertThat(table.getItems().stream().filter(row -> row.category() == Category.DRIFT)).hasSize((int) count(drift));

        Node chart = robot.lookup("#valuesChart").query();
        assertThat(health.keyValues()).extracting(HealthViewModel.KeyValues::shortKey).contains("hr-ssn", "clinic-pii");
        assertThat(chart).isNotNull();
    }
}
