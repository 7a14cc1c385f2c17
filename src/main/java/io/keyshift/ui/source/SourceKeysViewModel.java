package io.keyshift.ui.source;

import com.mongodb.MongoNamespace;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.KeyPreflight;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.profiles.ProfileFile;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Source keys page: for each kind of provider the selected data keys are under today, what opens
 * them (a local key file, AWS credentials, a KMIP server, an Azure service principal, a Google Cloud
 * service account), then the proof that every selected key opens.
 * Next only when all of them do; the providers that did go to the draft. FX thread only.
 */
public final class SourceKeysViewModel implements WizardPage {

    /** Where the AWS credentials for keys under aws come from. */
    public enum AwsCredentials { DEFAULT_CHAIN, PROFILE }

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();
    private static final Logger LOG = LoggerFactory.getLogger(SourceKeysViewModel.class);

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final BooleanProperty needsLocal = new SimpleBooleanProperty();
    private final BooleanProperty needsAws = new SimpleBooleanProperty();
    private final BooleanProperty needsKmip = new SimpleBooleanProperty();
    private final BooleanProperty needsAzure = new SimpleBooleanProperty();
    private final BooleanProperty needsGcp = new SimpleBooleanProperty();
    private final StringProperty keyFile = new SimpleStringProperty("");
    private final StringProperty keyError = new SimpleStringProperty("");
    private final ObjectProperty<AwsCredentials> awsCredentials = new SimpleObjectProperty<>(AwsCredentials.DEFAULT_CHAIN);
    private final ObservableList<String> awsProfiles = FXCollections.observableArrayList();
    private final StringProperty awsProfile = new SimpleStringProperty("");
    private final StringProperty awsEndpoint = new SimpleStringProperty("");
    private final StringProperty awsCaFile = new SimpleStringProperty("");
    private final StringProperty kmipEndpoint = new SimpleStringProperty("");
    private final StringProperty kmipCaFile = new SimpleStringProperty("");
    private final StringProperty kmipClientCertificate = new SimpleStringProperty("");
    private final StringProperty azureTenantId = new SimpleStringProperty("");
    private final StringProperty azureClientId = new SimpleStringProperty("");
    private final StringProperty azureClientSecret = new SimpleStringProperty("");
    private final StringProperty azureAccessToken = new SimpleStringProperty("");
    private final StringProperty azureIdentityEndpoint = new SimpleStringProperty("");
    private final StringProperty azureCaFile = new SimpleStringProperty("");
    private final StringProperty gcpCredentialsFile = new SimpleStringProperty("");
    private final StringProperty gcpAccessToken = new SimpleStringProperty("");
    private final StringProperty gcpEndpoint = new SimpleStringProperty("");
    private final StringProperty gcpCaFile = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final BooleanProperty checking = new SimpleBooleanProperty();
    private final ObjectProperty<PreflightReport> report = new SimpleObjectProperty<>();
    private final ObservableList<PreflightRow> rows = FXCollections.observableArrayList();
    private final BooleanBinding valid;

    public SourceKeysViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this(draft, executor, failures, System.getenv());
    }

    /** Starts with the Azure principal and Google Cloud key file the environment names, as the CLI takes them. */
    SourceKeysViewModel(MigrationDraft draft, Executor executor, Failures failures, Map<String, String> environment) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        azureTenantId.set(environment.getOrDefault(AzureProvider.TENANT_ID_VARIABLE, ""));
        azureClientId.set(environment.getOrDefault(AzureProvider.CLIENT_ID_VARIABLE, ""));
        azureClientSecret.set(environment.getOrDefault(AzureProvider.CLIENT_SECRET_VARIABLE, ""));
        gcpCredentialsFile.set(environment.getOrDefault(GcpProvider.CREDENTIALS_VARIABLE, ""));
        // The preflight only vouches for what it ran with.
        Stream.<Observable>of(keyFile, awsCredentials, awsProfile, awsEndpoint, awsCaFile, kmipEndpoint, kmipCaFile,
                kmipClientCertificate, azureTenantId, azureClientId, azureClientSecret, azureAccessToken, azureIdentityEndpoint,
                azureCaFile, gcpCredentialsFile, gcpAccessToken, gcpEndpoint, gcpCaFile).forEach(field -> field.addListener(changed -> forgetCheck()));
        valid = Bindings.createBooleanBinding(() -> !checking.get() && report.get() != null && !rows.isEmpty()
                && rows.stream().allMatch(row -> row.outcome() == KeyCheck.Outcome.OK), checking, report, rows);
    }

    private void forgetCheck() {
        if (checking.get()) {
            return;
        }
        report.set(null);
        keyError.set("");
        summary.set("");
        rows.setAll(draft.selectedKeys().stream().map(PreflightRow::pending).toList());
    }

    /**
     * Called when the page shows: a section for each kind of provider among the selected keys, and the
     * preflight at once when every section already says what opens its keys.
     */
    @Override
    public void enter() {
        Set<ProviderType> types = draft.selectedKeys().stream()
                .flatMap(key -> ProviderType.ofProviderName(key.masterKey().provider()).stream())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ProviderType.class)));
        needsLocal.set(types.contains(ProviderType.LOCAL));
        needsAws.set(types.contains(ProviderType.AWS));
        needsKmip.set(types.contains(ProviderType.KMIP));
        needsAzure.set(types.contains(ProviderType.AZURE));
        needsGcp.set(types.contains(ProviderType.GCP));
        if (needsAws.get()) {
            Tasks.start(executor, progress -> ProfileFile.defaultProfileFile().profiles().keySet().stream().sorted().toList(),
                    awsProfiles::setAll, failure -> LOG.info("No AWS profiles offered: {}", failure.getMessage()));
        }
        forgetCheck();
        boolean filledIn = (!needsLocal.get() || !keyFile.get().isBlank())
                && (!needsKmip.get() || !kmipEndpoint.get().isBlank() && !kmipClientCertificate.get().isBlank())
                && (!needsAzure.get() || !azureClientSecret.get().isBlank() || !azureAccessToken.get().isBlank())
                && (!needsGcp.get() || !gcpCredentialsFile.get().isBlank() || !gcpAccessToken.get().isBlank());
        if (!types.isEmpty() && filledIn && !needsAws.get()) {
            check();
        }
    }

    /** A file chosen or dropped: remember it and check it. */
    public void useKeyFile(Path file) {
        keyFile.set(file.toString());
        check();
    }

    /** Reads what each section names and runs the preflight in the background; the providers go to the draft only if every key opens. */
    public void check() {
        if (needsLocal.get() && keyFile.get().isBlank()) {
            keyError.set(MESSAGES.getString("source.local.missing"));
            return;
        }
        if (needsGcp.get() && gcpCredentialsFile.get().isBlank() && gcpAccessToken.get().isBlank()) {
            error.set(MESSAGES.getString("source.gcp.missing"));
            return;
        }
        Sections sections = new Sections(needsLocal.get() ? Path.of(keyFile.get().strip()) : null,
                needsAws.get() ? awsCredentialSource() : null, orNull(awsEndpoint), pathOrNull(awsCaFile),
                needsKmip.get() ? kmipEndpoint.get() : null, pathOrNull(kmipCaFile), pathOrNull(kmipClientCertificate),
                needsAzure.get() ? new AzureSection(azureTenantId.get(), azureClientId.get(), azureClientSecret.get(),
                        azureAccessToken.get(), azureIdentityEndpoint.get(), pathOrNull(azureCaFile)) : null,
                needsGcp.get() ? new GcpSection(pathOrNull(gcpCredentialsFile), gcpAccessToken.get(), gcpEndpoint.get(),
                        pathOrNull(gcpCaFile)) : null);
        List<DataKey> keys = List.copyOf(draft.selectedKeys());
        ConnectionProfile connection = draft.connectionProperty().get();
        MongoNamespace keyVault = draft.keyVaultProperty().get();
        forgetCheck();
        error.set("");
        checking.set(true);
        Tasks.start(executor, progress -> preflight(sections, keys, connection, keyVault), this::checked, failure -> {
            checking.set(false);
            if (failure instanceof InvalidKeyFile invalid) {
                keyError.set(invalid.getMessage());
            } else {
                error.set(failures.sentence(failure));
            }
        });
    }

    private AwsCredentialSource awsCredentialSource() {
        return awsCredentials.get() == AwsCredentials.PROFILE ? AwsCredentialSource.profile(awsProfile.get())
                : AwsCredentialSource.defaultChain();
    }

    private static String orNull(StringProperty field) {
        return field.get().isBlank() ? null : field.get().strip();
    }

    private static Path pathOrNull(StringProperty field) {
        return field.get().isBlank() ? null : Path.of(field.get().strip());
    }

    /** What the Azure section says: a service principal and where to sign it in, or an access token. */
    private record AzureSection(String tenantId, String clientId, String clientSecret, String accessToken,
                                String identityEndpoint, Path ca) {
        AzureProvider provider() {
            return AzureProvider.tokenOrPrincipal(accessToken, tenantId, clientId, clientSecret, identityEndpoint, ca);
        }
    }

    /** What the Google Cloud section says: a service account's key file, or an access token, used when given. */
    private record GcpSection(Path credentialsFile, String accessToken, String endpoint, Path ca) {
        GcpProvider provider() {
            return GcpProvider.tokenOrKeyFile(accessToken, credentialsFile, endpoint, ca);
        }
    }

    /** What the sections say, read on the FX thread; null for a section not shown. */
    private record Sections(Path keyFile, AwsCredentialSource aws, String awsEndpoint, Path awsCa,
                            String kmipEndpoint, Path kmipCa, Path kmipClientCertificate,
                            AzureSection azure, GcpSection gcp) {

        /** Background thread: builds each provider (reading its files); each mistake refused with what to fix. */
        List<KmsProvider> providers() {
            List<KmsProvider> providers = new ArrayList<>();
            try {
                if (keyFile != null) {
                    try {
                        providers.add(LocalProvider.load(keyFile));
                    } catch (KeyShiftException e) {
                        throw new InvalidKeyFile(e);
                    }
                }
                if (aws != null) {
                    providers.add(AwsProvider.of(aws, awsEndpoint, awsCa));
                }
                if (kmipEndpoint != null) {
                    providers.add(KmipProvider.of(kmipEndpoint, kmipCa, kmipClientCertificate));
                }
                if (azure != null) {
                    providers.add(azure.provider());
                }
                if (gcp != null) {
                    providers.add(gcp.provider());
                }
                return providers;
            } catch (RuntimeException e) {
                providers.forEach(KmsProvider::close);
                throw e;
            }
        }
    }

    /** A key file the user must fix: shown inline, next to the field. */
    private static final class InvalidKeyFile extends KeyShiftException {
        InvalidKeyFile(KeyShiftException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private record Checked(List<KmsProvider> providers, PreflightReport report) {
    }

    /** Background thread: builds the providers, then asks the cluster to open each key with them. */
    private static Checked preflight(Sections sections, List<DataKey> keys, ConnectionProfile connection, MongoNamespace keyVault) {
        List<KmsProvider> providers = sections.providers();
        try (SourceProviders sources = SourceProviders.forKeys(keys, providers)) {
            return new Checked(providers, new KeyPreflight(connection.clientSettings(), keyVault).check(sources, keys));
        } catch (RuntimeException e) {
            providers.forEach(MigrationDraft::release);
            throw e;
        }
    }

    private void checked(Checked result) {
        checking.set(false);
        Map<UUID, KeyCheck> byId = result.report().checks().stream().collect(Collectors.toMap(KeyCheck::keyId, Function.identity()));
        rows.setAll(rows.stream().map(row -> {
            KeyCheck check = byId.get(row.key().id());
            return new PreflightRow(row.key(), check.outcome(), check.reason());
        }).toList());
        report.set(result.report());
        long ok = result.report().count(KeyCheck.Outcome.OK);
        summary.set(MessageFormat.format(MESSAGES.getString("source.summary"), ok, rows.size())
                + (valid.get() ? "" : " " + MESSAGES.getString("source.summary.blocked")));
        if (valid.get()) {
            draft.sources(result.providers());
        } else {
            // Providers that failed must not stand in the draft for ones that passed earlier.
            draft.sources(List.of());
            result.providers().forEach(MigrationDraft::release);
        }
    }

    /** Fills the Azure section from a sandbox: its migrator's throwaway principal and its emulator's identity platform. */
    public void prefillAzure(String tenant, String client, String secret, String identityEndpoint, Path ca) {
        azureTenantId.set(tenant);
        azureClientId.set(client);
        azureClientSecret.set(secret);
        azureIdentityEndpoint.set(identityEndpoint);
        azureCaFile.set(ca.toString());
    }

    /** Fills the Google Cloud section from a sandbox: its migrator's service-account file and its emulator. */
    public void prefillGcp(Path credentials, String endpoint, Path ca) {
        gcpCredentialsFile.set(credentials.toString());
        gcpEndpoint.set(endpoint);
        gcpCaFile.set(ca.toString());
    }

    /** Fills the sections from a sandbox: its local key file and, for keys already moved there, its KMIP server. */
    public void prefill(Path localKeyFile, String kmipServer, Path kmipCa, Path kmipClientCertificateFile) {
        keyFile.set(localKeyFile.toString());
        kmipEndpoint.set(kmipServer);
        kmipCaFile.set(kmipCa.toString());
        kmipClientCertificate.set(kmipClientCertificateFile.toString());
    }

    public ReadOnlyBooleanProperty needsLocalProperty() {
        return needsLocal;
    }

    public ReadOnlyBooleanProperty needsAwsProperty() {
        return needsAws;
    }

    public ReadOnlyBooleanProperty needsKmipProperty() {
        return needsKmip;
    }

    public ReadOnlyBooleanProperty needsAzureProperty() {
        return needsAzure;
    }

    public ReadOnlyBooleanProperty needsGcpProperty() {
        return needsGcp;
    }

    public StringProperty keyFileProperty() {
        return keyFile;
    }

    public ReadOnlyStringProperty keyErrorProperty() {
        return keyError;
    }

    public ObjectProperty<AwsCredentials> awsCredentialsProperty() {
        return awsCredentials;
    }

    public ObservableList<String> awsProfiles() {
        return awsProfiles;
    }

    public StringProperty awsProfileProperty() {
        return awsProfile;
    }

    public StringProperty awsEndpointProperty() {
        return awsEndpoint;
    }

    public StringProperty awsCaFileProperty() {
        return awsCaFile;
    }

    public StringProperty kmipEndpointProperty() {
        return kmipEndpoint;
    }

    public StringProperty kmipCaFileProperty() {
        return kmipCaFile;
    }

    public StringProperty kmipClientCertificateProperty() {
        return kmipClientCertificate;
    }

    public StringProperty azureTenantIdProperty() {
        return azureTenantId;
    }

    public StringProperty azureClientIdProperty() {
        return azureClientId;
    }

    public StringProperty azureClientSecretProperty() {
        return azureClientSecret;
    }

    public StringProperty azureIdentityEndpointProperty() {
        return azureIdentityEndpoint;
    }

    public StringProperty azureCaFileProperty() {
        return azureCaFile;
    }

    public StringProperty gcpCredentialsFileProperty() {
        return gcpCredentialsFile;
    }

    public StringProperty gcpEndpointProperty() {
        return gcpEndpoint;
    }

    public StringProperty azureAccessTokenProperty() {
        return azureAccessToken;
    }

    public StringProperty gcpAccessTokenProperty() {
        return gcpAccessToken;
    }

    public StringProperty gcpCaFileProperty() {
        return gcpCaFile;
    }

    /** Forgets the typed Azure secret and the pasted tokens, e.g. when the wizard closes. */
    public void clearSecrets() {
        azureClientSecret.set("");
        azureAccessToken.set("");
        gcpAccessToken.set("");
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyBooleanProperty checkingProperty() {
        return checking;
    }

    public ReadOnlyObjectProperty<PreflightReport> reportProperty() {
        return report;
    }

    public ObservableList<PreflightRow> rows() {
        return rows;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
