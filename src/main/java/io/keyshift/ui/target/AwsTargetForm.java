package io.keyshift.ui.target;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.CmkArn;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.ui.common.Tasks;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
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

/**
 * The AWS KMS form of the Target KMS page: where the credentials come from (a profile, or keys typed in
 * and never stored), the region, the CMK, and an optional endpoint and CA. FX thread only.
 */
public final class AwsTargetForm implements TargetForm {

    /** How the user gives credentials. */
    public enum CredentialMode { PROFILE, KEYS }

    /** Offered in the region picker; any other region can be typed. */
    public static final List<String> COMMON_REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
            "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "sa-east-1");

    private static final Logger LOG = LoggerFactory.getLogger(AwsTargetForm.class);

    private final Executor executor;
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

    AwsTargetForm(Executor executor) {
        this.executor = executor;
        cmkError = Bindings.createStringBinding(() -> cmkSentence(cmk.get()), cmk);
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

    /** Reads the profile names from the user's AWS files in the background. */
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

    @Override
    public Building target() {
        AwsCredentialSource source = credentialSource();
        String regionName = region.get();
        String cmkText = cmk.get();
        String endpointText = endpoint.get();
        Path ca = caFile.get().isBlank() ? null : Path.of(caFile.get().strip());
        return () -> {
            try {
                return KmsTarget.aws(AwsProvider.of(source, endpointText, ca), regionName, cmkText);
            } catch (RuntimeException e) {
                if (source instanceof AwsCredentialSource.EnteredKeys keys) {
                    keys.destroy();
                }
                throw e;
            }
        };
    }

    @Override
    public List<Observable> fields() {
        return List.of(mode, profile, accessKeyId, secretAccessKey, sessionToken, region, cmk, endpoint, caFile);
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
}
