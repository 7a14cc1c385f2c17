package io.keyshift.ui.wizard;

import com.mongodb.MongoNamespace;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.inspect.InspectRequest;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.schema.EncryptedField;
import io.keyshift.ui.common.FxmlLoaderFactory;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/**
 * The migration being prepared, filled step by step: each page reads what the pages before it settled
 * and adds its own part. Typed on purpose: a page can only hand on what the next one knows how to use.
 * Holds the local master key and the target's credentials until {@link #close()} wipes them. FX thread only.
 */
public final class MigrationDraft implements AutoCloseable {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();

    private final ObjectProperty<ConnectionProfile> connection = new SimpleObjectProperty<>();
    private final ObjectProperty<ClusterReport> cluster = new SimpleObjectProperty<>();
    private final ObjectProperty<MongoNamespace> keyVault =
            new SimpleObjectProperty<>(new MongoNamespace(InspectRequest.DEFAULT_KEY_VAULT));
    private final ObservableList<DataKey> selectedKeys = FXCollections.observableArrayList();
    private final ObservableList<KmsProvider> sources = FXCollections.observableArrayList();
    private final ObjectProperty<KmsTarget> target = new SimpleObjectProperty<>();
    private final ObjectProperty<KmsCheckReport> targetCheck = new SimpleObjectProperty<>();
    private final ObjectProperty<StartedMigration> migration = new SimpleObjectProperty<>();
    private final ObjectProperty<java.nio.file.Path> schemaFile = new SimpleObjectProperty<>();
    private final ObservableList<EncryptedField> decryptedFields = FXCollections.observableArrayList();
    private final ObjectProperty<FinishedRun> finishedRun = new SimpleObjectProperty<>();

    /** The cluster as tested on the Connect page. */
    public void connected(ConnectionProfile profile, ClusterReport report) {
        cluster.set(report);
        connection.set(profile);
    }

    public ReadOnlyObjectProperty<ConnectionProfile> connectionProperty() {
        return connection;
    }

    public ReadOnlyObjectProperty<ClusterReport> clusterProperty() {
        return cluster;
    }

    public ObjectProperty<MongoNamespace> keyVaultProperty() {
        return keyVault;
    }

    /** The data keys to migrate, as chosen on the Key vault page. */
    public ObservableList<DataKey> selectedKeys() {
        return selectedKeys;
    }

    public void selectKeys(List<DataKey> keys) {
        selectedKeys.setAll(keys);
    }

    /**
     * Takes ownership of the providers that opened every selected key in the preflight; those they replace
     * are closed, their key copies and typed secrets wiped.
     */
    public void sources(List<? extends KmsProvider> providers) {
        List<KmsProvider> previous = List.copyOf(sources);
        sources.setAll(providers);
        previous.stream().filter(provider -> !providers.contains(provider)).forEach(MigrationDraft::release);
    }

    /** What opens the selected keys, one provider per type among them, as checked on the Source keys page. */
    public ObservableList<KmsProvider> sources() {
        return FXCollections.unmodifiableObservableList(sources);
    }

    /**
     * Takes ownership of a target whose checks passed, as the checks settled it (a KMIP key the server
     * created is named by its id); the one it replaces is closed and its secrets wiped.
     */
    public void target(KmsTarget checked, KmsCheckReport report) {
        KmsTarget previous = target.get();
        KmsTarget newTarget = checked == null || report == null ? checked : report.targetToUse(checked);
        target.set(newTarget);
        targetCheck.set(report);
        if (previous != null && (newTarget == null || previous.provider() != newTarget.provider())) {
            release(previous.provider());
        }
    }

    /** Where the data keys go, as checked on the Target KMS page. */
    public ReadOnlyObjectProperty<KmsTarget> targetProperty() {
        return target;
    }

    public ReadOnlyObjectProperty<KmsCheckReport> targetCheckProperty() {
        return targetCheck;
    }

    /** The provider name the selected keys are under, as the plan takes it: {@code local}, {@code aws}, {@code kmip} … */
    public String sourceProvider() {
        return selectedKeys.isEmpty() ? ProviderType.LOCAL.wireName() : selectedKeys.get(0).masterKey().provider();
    }

    /**
     * Where the keys go, in one line naming source and target: {@code local → aws (…), key arn… in us-east-1}.
     * The source is what the selected keys are under; the target is the one checked, or none yet.
     */
    public String route() {
        String from = selectedKeys.stream().map(key -> key.masterKey().provider()).distinct().collect(Collectors.joining(", "));
        String to = target.get() == null ? MESSAGES.getString("wizard.route.noTarget") : target.get().describe();
        return MessageFormat.format(MESSAGES.getString("wizard.route"), from, to);
    }

    /** The migration the Plan page started, or the unfinished one it resumes. */
    public ObjectProperty<StartedMigration> migrationProperty() {
        return migration;
    }

    /** The applications' schema-map file: the sandbox's, or the one chosen on the Schema page; without it, validators are read. */
    public ObjectProperty<java.nio.file.Path> schemaFileProperty() {
        return schemaFile;
    }

    /** DECRYPT: the fields whose schema rules the Schema page removes, as the plan found them. */
    public ObservableList<EncryptedField> decryptedFields() {
        return decryptedFields;
    }

    /** The finished run, for the Verify page. */
    public ObjectProperty<FinishedRun> finishedRunProperty() {
        return finishedRun;
    }

    /** Releases what a provider holds: key copies, the SDK's credentials provider and any secret typed into the wizard. */
    public static void release(KmsProvider provider) {
        provider.close();
        if (provider instanceof AwsProvider aws && aws.credentialSource() instanceof AwsCredentialSource.EnteredKeys keys) {
            keys.destroy();
        }
    }

    /** Wipes the secrets the draft holds. Called when the wizard closes. */
    @Override
    public void close() {
        sources(List.of());
        target(null, null);
    }
}
