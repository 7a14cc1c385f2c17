package io.keyshift.ui.target;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.kms.TargetChecks;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;

/**
 * The Target KMS page: the provider the data keys go to (one card each), that provider's form, and the
 * checks that prove the target can be used. A target whose checks passed goes to the draft. FX thread only.
 */
public final class TargetViewModel implements WizardPage {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final AwsTargetForm aws;
    private final LocalTargetForm local;
    private final KmipTargetForm kmip;
    private final AzureTargetForm azure;
    private final GcpTargetForm gcp;
    private final Map<ProviderType, TargetForm> forms = new EnumMap<>(ProviderType.class);
    private final ObjectProperty<ProviderType> provider = new SimpleObjectProperty<>(ProviderType.AWS);
    private final SimpleBooleanProperty checking = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectProperty<KmsCheckReport> report = new SimpleObjectProperty<>();
    private final ObservableList<CheckRow> rows = FXCollections.observableArrayList();
    private final BooleanBinding valid;

    public TargetViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        this.aws = new AwsTargetForm(executor);
        this.local = new LocalTargetForm(executor, failures);
        this.kmip = new KmipTargetForm();
        this.azure = new AzureTargetForm(System.getenv());
        this.gcp = new GcpTargetForm(System.getenv());
        forms.put(ProviderType.LOCAL, local);
        forms.put(ProviderType.AWS, aws);
        forms.put(ProviderType.KMIP, kmip);
        forms.put(ProviderType.AZURE, azure);
        forms.put(ProviderType.GCP, gcp);
        provider.addListener(changed -> forgetChecks());
        forms.values().forEach(form -> form.fields().forEach(field -> field.addListener(changed -> forgetChecks())));
        valid = Bindings.createBooleanBinding(() -> !checking.get() && report.get() != null && report.get().passed(),
                checking, report);
    }

    private void forgetChecks() {
        if (!checking.get()) {
            report.set(null);
            rows.clear();
        }
    }

    @Override
    public void enter() {
        forms.values().forEach(TargetForm::enter);
    }

    /** Builds the chosen provider's target and runs its checks in the background; the checklist fills in when they report. */
    public void check() {
        TargetForm.Building building;
        try {
            building = forms.get(provider.get()).target();
        } catch (KeyShiftException e) {
            error.set(e.getMessage());
            return;
        }
        TargetChecks checks = new TargetChecks(draft.connectionProperty().get().clientSettings(), draft.keyVaultProperty().get());
        List<KmsProvider> sources = List.copyOf(draft.sources());
        error.set("");
        checking.set(true);
        report.set(null);
        rows.setAll(CheckRow.pending(MESSAGES.getString("target.checks.running")));
        Tasks.start(executor, progress -> run(building, checks, sources), this::checked, failure -> {
            checking.set(false);
            rows.clear();
            error.set(failures.sentence(failure));
        });
    }

    private record Checked(KmsTarget target, KmsCheckReport report) {
    }

    /** Background thread: builds the target (reading its files), then runs its checks; a new local key is compared with the source's. */
    private static Checked run(TargetForm.Building building, TargetChecks checks, List<KmsProvider> sources) {
        KmsTarget target = building.build();
        try {
            return new Checked(target, checks.run(target, sources));
        } catch (RuntimeException e) {
            MigrationDraft.release(target.provider());
            throw e;
        }
    }

    private void checked(Checked result) {
        checking.set(false);
        rows.setAll(result.report().checks().stream().map(CheckRow::of).toList());
        report.set(result.report());
        if (result.report().passed()) {
            draft.target(result.target(), result.report());
        } else {
            MigrationDraft.release(result.target().provider());
        }
    }

    /** The provider whose card is chosen. */
    public ObjectProperty<ProviderType> providerProperty() {
        return provider;
    }

    public AwsTargetForm aws() {
        return aws;
    }

    public LocalTargetForm local() {
        return local;
    }

    public KmipTargetForm kmip() {
        return kmip;
    }

    public AzureTargetForm azure() {
        return azure;
    }

    public GcpTargetForm gcp() {
        return gcp;
    }

    /** Forgets the typed secrets, e.g. when the wizard closes. */
    public void clearSecrets() {
        aws.clearSecrets();
        azure.clearSecret();
        gcp.clearSecret();
    }

    public ReadOnlyBooleanProperty checkingProperty() {
        return checking;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyObjectProperty<KmsCheckReport> reportProperty() {
        return report;
    }

    public ObservableList<CheckRow> checks() {
        return rows;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
