package io.keyshift.ui.shell;

import atlantafx.base.theme.PrimerLight;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.migrate.MigrationReport;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.connect.ConnectController;
import io.keyshift.ui.connect.ConnectViewModel;
import io.keyshift.ui.error.ErrorController;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.keyvault.HealthController;
import io.keyshift.ui.keyvault.HealthViewModel;
import io.keyshift.ui.keyvault.KeyVaultController;
import io.keyshift.ui.keyvault.KeyVaultViewModel;
import io.keyshift.ui.plan.PlanController;
import io.keyshift.ui.plan.PlanViewModel;
import io.keyshift.ui.run.RunController;
import io.keyshift.ui.run.RunViewModel;
import io.keyshift.ui.schema.SchemaController;
import io.keyshift.ui.schema.SchemaViewModel;
import io.keyshift.ui.settings.Settings;
import io.keyshift.ui.settings.SettingsStore;
import io.keyshift.ui.source.SourceKeysController;
import io.keyshift.ui.source.SourceKeysViewModel;
import io.keyshift.ui.target.AwsFormController;
import io.keyshift.ui.target.AzureFormController;
import io.keyshift.ui.target.GcpFormController;
import io.keyshift.ui.target.KmipFormController;
import io.keyshift.ui.target.LocalFormController;
import io.keyshift.ui.target.TargetController;
import io.keyshift.ui.target.TargetViewModel;
import io.keyshift.ui.verify.VerifyController;
import io.keyshift.ui.verify.VerifyViewModel;
import io.keyshift.ui.welcome.SandboxLauncher;
import io.keyshift.ui.welcome.WelcomeController;
import io.keyshift.ui.welcome.WelcomeViewModel;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardNavigation;
import io.keyshift.ui.wizard.WizardPage;
import io.keyshift.ui.wizard.WizardStep;
import org.bson.BsonDocument;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Assembles the wizard window's scene from its pages and their view models, around one migration draft. */
public final class MainWindow {

    public static final double WIDTH = 1240;
    public static final double HEIGHT = 780;

    private final MigrationDraft draft = new MigrationDraft();
    private final WizardNavigation navigation = new WizardNavigation();
    private final Failures failures = new Failures();
    private final WelcomeViewModel welcome;
    private final ConnectViewModel connect;
    private final KeyVaultViewModel keyVault;
    private final SourceKeysViewModel sourceKeys;
    private final TargetViewModel target;
    private final PlanViewModel plan;
    private final SchemaViewModel schema;
    private final RunViewModel run;
    private final VerifyViewModel verify;
    private final Scene scene;
    private final SettingsStore settings;

    /** @param reportOpener opens the HTML report in the desktop's browser */
    public MainWindow(SandboxLauncher sandboxLauncher, Executor executor, SettingsStore settings, Consumer<Path> reportOpener) {
        this.settings = settings;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        this.welcome = new WelcomeViewModel(sandboxLauncher, executor, failures);
        this.connect = new ConnectViewModel(draft, executor, failures);
        this.keyVault = new KeyVaultViewModel(draft, executor, failures);
        HealthViewModel health = new HealthViewModel(draft, executor, failures);
        this.sourceKeys = new SourceKeysViewModel(draft, executor, failures);
        this.target = new TargetViewModel(draft, executor, failures);
        this.plan = new PlanViewModel(draft, executor, failures);
        this.schema = new SchemaViewModel(draft, executor, failures, new SchemaWriter(Clock.systemUTC()));
        this.run = new RunViewModel(draft, executor, failures, MigrationReport.defaultDirectory());
        this.verify = new VerifyViewModel(draft, reportOpener);
        FxmlLoaderFactory pages = new FxmlLoaderFactory(Map.<Class<?>, Supplier<?>>of(
                WelcomeController.class, () -> new WelcomeController(welcome,
                        () -> navigation.goTo(WizardStep.CONNECT), this::useSandbox),
                ConnectController.class, () -> new ConnectController(connect, navigation),
                KeyVaultController.class, () -> new KeyVaultController(keyVault, navigation),
                SourceKeysController.class, () -> new SourceKeysController(sourceKeys, navigation),
                TargetController.class, () -> new TargetController(target, navigation, FxmlLoaderFactory.messages()),
                PlanController.class, () -> new PlanController(plan, navigation::back,
                        // Schemas change before any value does: the safe order. REWRAP changes no schema.
                        strategy -> navigation.goTo(strategy == Strategy.REWRAP ? WizardStep.RUN : WizardStep.SCHEMA),
                        FxmlLoaderFactory.messages()),
                SchemaController.class, () -> new SchemaController(schema, navigation),
                RunController.class, () -> new RunController(run, () -> navigation.goTo(WizardStep.VERIFY)),
                VerifyController.class, () -> new VerifyController(verify),
                ErrorController.class, () -> new ErrorController(failures)))
                .with(AwsFormController.class, () -> new AwsFormController(target.aws()))
                .with(LocalFormController.class, () -> new LocalFormController(target.local()))
                .with(KmipFormController.class, () -> new KmipFormController(target.kmip()))
                .with(AzureFormController.class, () -> new AzureFormController(target.azure()))
                .with(GcpFormController.class, () -> new GcpFormController(target.gcp()))
                .with(HealthController.class, () -> new HealthController(health, FxmlLoaderFactory.messages()));
        Parent welcomePage = pages.load("welcome/welcome.fxml");
        Parent errorPage = pages.load("error/error.fxml");
        Map<WizardStep, Parent> stepPages = new EnumMap<>(WizardStep.class);
        stepPages.put(WizardStep.CONNECT, pages.load("connect/connect.fxml"));
        stepPages.put(WizardStep.KEY_VAULT, pages.load("keyvault/keyvault.fxml"));
        stepPages.put(WizardStep.SOURCE_KEYS, pages.load("source/source.fxml"));
        stepPages.put(WizardStep.TARGET_KMS, pages.load("target/target.fxml"));
        stepPages.put(WizardStep.PLAN, pages.load("plan/plan.fxml"));
        stepPages.put(WizardStep.SCHEMA, pages.load("schema/schema.fxml"));
        stepPages.put(WizardStep.RUN, pages.load("run/run.fxml"));
        stepPages.put(WizardStep.VERIFY, pages.load("verify/verify.fxml"));
        Map<WizardStep, WizardPage> viewModels = new EnumMap<>(Map.of(WizardStep.CONNECT, connect,
                WizardStep.KEY_VAULT, keyVault, WizardStep.SOURCE_KEYS, sourceKeys, WizardStep.TARGET_KMS, target, WizardStep.PLAN, plan,
                WizardStep.SCHEMA, schema, WizardStep.RUN, run, WizardStep.VERIFY, verify));
        // The page about to show brings itself up to date with the draft.
        navigation.currentProperty().addListener((obs, old, step) -> {
            if (step != null) {
                viewModels.get(step).enter();
            }
        });
        FxmlLoaderFactory window = new FxmlLoaderFactory(Map.<Class<?>, Supplier<?>>of(
                MainWindowController.class, () -> new MainWindowController(welcomePage, stepPages, errorPage,
                        navigation, failures, FxmlLoaderFactory.messages())));
        this.scene = new Scene(window.load("shell/main_window.fxml"), WIDTH, HEIGHT);
        scene.getStylesheets().add(MainWindow.class.getResource("/io/keyshift/ui/keyshift.css").toExternalForm());
        rememberAndRecall();
        // A schema-map file chosen on the Schema page is the one read when the page opens again.
        schema.schemaFileProperty().addListener((obs, old, file) -> draft.schemaFileProperty().set(file));
    }

    /**
     * Prefills the pages from the last session (the last connection without its password, key vault,
     * region and CMK) and remembers each of them once it has been proven to work.
     */
    private void rememberAndRecall() {
        Settings last = settings.settings();
        if (!last.recentConnections().isEmpty()) {
            connect.uriProperty().set(last.recentConnections().get(0));
        }
        if (last.lastKeyVault() != null) {
            keyVault.namespaceProperty().set(last.lastKeyVault());
        }
        if (last.lastRegion() != null) {
            target.aws().regionProperty().set(last.lastRegion());
            target.aws().cmkProperty().set(last.lastCmk());
        }
        draft.clusterProperty().addListener((obs, old, report) -> {
            if (report != null) {
                settings.update(s -> s.connectedTo(connect.uriProperty().get()));
            }
        });
        draft.keyVaultProperty().addListener((obs, old, namespace) -> {
            if (namespace != null) {
                settings.update(s -> s.lastKeyVault(namespace.getFullName()));
            }
        });
        draft.targetProperty().addListener((obs, old, target) -> {
            if (target != null && target.type() == ProviderType.AWS) {
                BsonDocument cmk = target.masterKey();
                settings.update(s -> s.lastAwsTarget(cmk.getString("region").getValue(), cmk.getString("key").getValue()));
            }
        });
    }

    /** What KeyShift remembers between runs. */
    public SettingsStore settings() {
        return settings;
    }

    /** Fills every page's fields from the running sandbox (its secrets stay in memory only), then opens Connect. */
    private void useSandbox(SandboxInfo info) {
        connect.prefill(info.mongodbUri(), null);
        keyVault.namespaceProperty().set(info.keyVaultNamespace());
        draft.keyVaultProperty().set(KeyVault.namespace(info.keyVaultNamespace()));
        sourceKeys.prefill(info.localKeyFile(), info.kmip().endpoint(), info.kmip().caFile(), info.kmip().clientCertFile());
        draft.schemaFileProperty().set(info.schemaMapFile());
        SandboxInfo.Aws aws = info.aws();
        target.aws().prefill(aws.region(), aws.cmkArn(), aws.endpoint(), aws.caFile(),
                aws.migrator().accessKeyId(), aws.migrator().secretAccessKey());
        target.kmip().prefill(info.kmip().endpoint(), info.kmip().caFile(), info.kmip().clientCertFile());
        SandboxInfo.Azure azure = info.azure();
        sourceKeys.prefillAzure(azure.tenantId(), azure.clientId(), azure.clientSecret(), azure.identityPlatformEndpoint(),
                azure.caFile());
        target.azure().prefill(azure.keyVaultEndpoint(), azure.keyName(), azure.identityPlatformEndpoint(), azure.caFile(),
                azure.tenantId(), azure.clientId(), azure.clientSecret());
        SandboxInfo.Gcp gcp = info.gcp();
        sourceKeys.prefillGcp(gcp.credentialsFile(), gcp.endpoint(), gcp.caFile());
        target.gcp().prefill(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.keyName(), gcp.endpoint(), gcp.caFile(),
                gcp.credentialsFile());
        navigation.goTo(WizardStep.CONNECT);
    }

    public Scene scene() {
        return scene;
    }

    public WelcomeViewModel welcome() {
        return welcome;
    }

    public WizardNavigation navigation() {
        return navigation;
    }

    public MigrationDraft draft() {
        return draft;
    }

    /**
     * Closes at once unless a migration runs; then asks, and pauses it after the batch in progress before
     * closing, so the journal holds everything written and the Plan page offers to resume it. FX thread.
     */
    public void requestClose(Window owner, Runnable close) {
        if (!run.runningProperty().get()) {
            close.run();
            return;
        }
        ResourceBundle messages = FxmlLoaderFactory.messages();
        ButtonType pauseAndClose = new ButtonType(messages.getString("close.running.pause"), ButtonBar.ButtonData.OK_DONE);
        ButtonType keepRunning = new ButtonType(messages.getString("close.running.keep"), ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, messages.getString("close.running.text"), keepRunning,
                pauseAndClose);
        confirm.initOwner(owner);
        confirm.setHeaderText(messages.getString("close.running.header"));
        confirm.showAndWait().filter(pauseAndClose::equals).ifPresent(chosen -> run.pauseThen(close));
    }

    /** Stops what the window started (the sandbox's servers) and wipes the secrets it holds. FX thread. */
    public void close() {
        target.clearSecrets();
        sourceKeys.clearSecrets();
        draft.close();
        welcome.stopSandbox();
        settings.close();
    }
}
