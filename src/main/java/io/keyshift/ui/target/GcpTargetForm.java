package io.keyshift.ui.target;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.ui.common.FxmlLoaderFactory;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Google Cloud KMS form of the Target KMS page: the key's project, location, ring, name and version,
 * an optional endpoint (serving both the token and the KMS calls) and CA, and the service account's JSON
 * key file or instead an access token pasted in (never stored). FX thread only.
 */
public final class GcpTargetForm implements TargetForm {

    private final StringProperty projectId = new SimpleStringProperty("");
    private final StringProperty location = new SimpleStringProperty("");
    private final StringProperty keyRing = new SimpleStringProperty("");
    private final StringProperty keyName = new SimpleStringProperty("");
    private final StringProperty keyVersion = new SimpleStringProperty("");
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final StringProperty caFile = new SimpleStringProperty("");
    private final StringProperty credentialsFile = new SimpleStringProperty("");
    private final StringProperty accessToken = new SimpleStringProperty("");

    /** Starts with the key file GOOGLE_APPLICATION_CREDENTIALS names, as Google's own tools do. */
    GcpTargetForm(Map<String, String> environment) {
        credentialsFile.set(environment.getOrDefault(GcpProvider.CREDENTIALS_VARIABLE, ""));
    }

    @Override
    public Building target() {
        Path credentials = TargetForm.pathOrNull(credentialsFile);
        String token = accessToken.get();
        if (credentials == null && token.isBlank()) {
            throw new KeyShiftException(FxmlLoaderFactory.messages().getString("target.gcp.credentials.missing"));
        }
        String endpointText = endpoint.get();
        Path ca = TargetForm.pathOrNull(caFile);
        String project = projectId.get();
        String place = location.get();
        String ring = keyRing.get();
        String key = keyName.get();
        String version = keyVersion.get();
        return () -> {
            GcpProvider provider = GcpProvider.tokenOrKeyFile(token, credentials, endpointText, ca);
            try {
                return provider.target(project, place, ring, key, version, endpointText);
            } catch (RuntimeException e) {
                provider.close();
                throw e;
            }
        };
    }

    @Override
    public List<Observable> fields() {
        return List.of(projectId, location, keyRing, keyName, keyVersion, endpoint, caFile, credentialsFile, accessToken);
    }

    /** Fills the fields from a sandbox: its Cloud KMS emulator, its key and its migrator's service-account file. */
    public void prefill(String project, String place, String ring, String key, String endpointAuthority, Path ca,
                        Path credentials) {
        projectId.set(project);
        location.set(place);
        keyRing.set(ring);
        keyName.set(key);
        keyVersion.set("");
        endpoint.set(endpointAuthority);
        caFile.set(ca.toString());
        credentialsFile.set(credentials.toString());
    }

    /** Forgets the pasted token, e.g. when the wizard closes. */
    void clearSecret() {
        accessToken.set("");
    }

    public StringProperty accessTokenProperty() {
        return accessToken;
    }

    public StringProperty projectIdProperty() {
        return projectId;
    }

    public StringProperty locationProperty() {
        return location;
    }

    public StringProperty keyRingProperty() {
        return keyRing;
    }

    public StringProperty keyNameProperty() {
        return keyName;
    }

    public StringProperty keyVersionProperty() {
        return keyVersion;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public StringProperty credentialsFileProperty() {
        return credentialsFile;
    }
}
