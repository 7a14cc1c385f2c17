package io.keyshift.ui.aws;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.CmkArn;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The AWS page: where the credentials come from (a profile, or keys typed in and never stored), the
 * region, the CMK, an optional endpoint and CA, and the checks that prove the CMK can be used.
 * FX thread only.
 */
public final class AwsViewModel implements WizardPage {

    /** How the user gives credentials. */
    public enum CredentialMode { PROFILE, KEYS }

    /** Offered in the region picker; any other region can be typed. */
    public static final List<String> COMMON_REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
            "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "sa-east-1");

    private static final Logger LOG = LoggerFactory.getLogger(AwsViewModel.class);

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final AwsKmsCheck kmsCheck;
    private final ObjectProperty<CredentialMode> mode = new SimpleObjectProperty<>(CredentialMode.KEYS);
    private final ObservableList<String> profiles = FXCollections.observableArrayList();
    private final StringProperty profile = new SimpleStringProperty("");
    private final StringProperty accessKeyId = new SimpleStringProperty("");
    private final StringProperty secretAccessKey = new SimpleStringProperty("");
    private final StringProperty sessionToken = new SimpleStringProperty("");
    private final StringProperty region = new SimpleStringProperty("");
    private final StringProperty cmk = new SimpleStringProperty("");
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final StringProperty caFile = new SimpleStringProperty("");
    private final StringBinding cmkError;
    private final BooleanProperty checking = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectProperty<KmsCheckReport> report = new SimpleObjectProperty<>();
    private final ObservableList<CheckRow> checks = FXCollections.observableArrayList();
    private final BooleanBinding valid;

    public AwsViewModel(MigrationDraft draft, Executor executor, Failures failures, AwsKmsCheck kmsCheck) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        this.kmsCheck = kmsCheck;
        cmkError = Bindings.createStringBinding(() -> cmkSentence(cmk.get()), cmk);
        // Checks only vouch for the settings they ran with.
        Stream.<Observable>of(mode, profile, accessKeyId, secretAccessKey, sessionToken, region, cmk, endpoint, caFile)
                .forEach(field -> field.addListener(changed -> forgetChecks()));
        valid = Bindings.createBooleanBinding(() -> !checking.get() && report.get() != null && report.get().passed(),
                checking, report);
    }

    /** Empty while the field is empty or holds a usable ARN or alias; else what is wrong with it. */
    static String cmkSentence(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        try {
            CmkArn.parse(text);
            return "";
        } catch (KeyShiftException e) {
            return e.getMessage();
        }
    }

    private void forgetChecks() {
        if (!checking.get()) {
            report.set(null);
            checks.clear();
        }
    }

    /** Called when the page shows: reads the profile names from the user's AWS files in the background. */
    @Override
    public void enter() {
        Tasks.start(executor, progress -> profileNames(), names -> {
            profiles.setAll(names);
            if (profile.get().isBlank() && !names.isEmpty()) {
                profile.set(names.contains("default") ? "default" : names.get(0));
            }
        }, failure -> LOG.info("No AWS profiles offered: {}", failure.getMessage()));
    }

    /** Runs on a background thread: reads ~/.aws/credentials and ~/.aws/config. */
    private static List<String> profileNames() {
        return ProfileFile.defaultProfileFile().profiles().keySet().stream().sorted().toList();
    }

    /** Fills the fields from a sandbox: its emulator, its CMK and its migrator's throwaway keys. */
    public void prefill(String regionName, String cmkArn, String endpointAuthority, Path ca, String keyId, String secret) {
        mode.set(CredentialMode.KEYS);
        region.set(regionName);
        cmk.set(cmkArn);
        endpoint.set(endpointAuthority == null ? "" : endpointAuthority);
        caFile.set(ca == null ? "" : ca.toString());
        accessKeyId.set(keyId);
        secretAccessKey.set(secret);
        sessionToken.set("");
    }

    /** Runs the AWS checks in the background; each line of the checklist fills in when the run reports. */
    public void check() {
        AwsCredentialSource source;
        try {
            source = credentialSource();
        } catch (KeyShiftException e) {
            error.set(e.getMessage());
            return;
        }
        String regionName = region.get();
        String cmkText = cmk.get();
        String endpointText = endpoint.get();
        Path ca = caFile.get().isBlank() ? null : Path.of(caFile.get().strip());
        error.set("");
        checking.set(true);
        report.set(null);
        checks.setAll(Arrays.stream(KmsCheck.Name.values()).map(CheckRow::pending).toList());
        Tasks.start(executor, progress -> run(source, regionName, cmkText, endpointText, ca), this::checked, failure -> {
            checking.set(false);
            checks.clear();
            error.set(failures.sentence(failure));
        });
    }

    private record Checked(AwsTarget target, KmsCheckReport report) {
    }

    /** Runs on a background thread: reads the CA file, then calls STS and KMS. */
    private Checked run(AwsCredentialSource source, String regionName, String cmkText, String endpointText, Path ca) {
        AwsTarget target;
        try {
            target = new AwsTarget(source, regionName, cmkText, endpointText, ca);
        } catch (RuntimeException e) {
            if (source instanceof AwsCredentialSource.EnteredKeys keys) {
                keys.destroy();
            }
            throw e;
        }
        try {
            return new Checked(target, kmsCheck.run(target));
        } catch (RuntimeException e) {
            MigrationDraft.release(target);
            throw e;
        }
    }

    private void checked(Checked result) {
        checking.set(false);
        checks.setAll(result.report().checks().stream().map(CheckRow::of).toList());
        report.set(result.report());
        if (result.report().passed()) {
            draft.awsTarget(result.target(), result.report());
        } else {
            MigrationDraft.release(result.target());
        }
    }

    /** The entered secret is copied into the source's own array; the copies made here are wiped at once. */
    private AwsCredentialSource credentialSource() {
        if (mode.get() == CredentialMode.PROFILE) {
            return AwsCredentialSource.profile(profile.get());
        }
        char[] secret = secretAccessKey.get().toCharArray();
        char[] token = sessionToken.get().toCharArray();
        try {
            return AwsCredentialSource.entered(accessKeyId.get(), secret, token);
        } finally {
            Arrays.fill(secret, '\0');
            Arrays.fill(token, '\0');
        }
    }

    /** Forgets the typed secret, e.g. when the wizard closes. */
    public void clearSecrets() {
        secretAccessKey.set("");
        sessionToken.set("");
    }

    public ObjectProperty<CredentialMode> modeProperty() {
        return mode;
    }

    public ObservableList<String> profiles() {
        return profiles;
    }

    public StringProperty profileProperty() {
        return profile;
    }

    public StringProperty accessKeyIdProperty() {
        return accessKeyId;
    }

    public StringProperty secretAccessKeyProperty() {
        return secretAccessKey;
    }

    public StringProperty sessionTokenProperty() {
        return sessionToken;
    }

    public StringProperty regionProperty() {
        return region;
    }

    public StringProperty cmkProperty() {
        return cmk;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public StringBinding cmkError() {
        return cmkError;
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
        return checks;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
