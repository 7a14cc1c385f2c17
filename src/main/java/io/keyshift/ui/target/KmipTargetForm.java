package io.keyshift.ui.target;

import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmsTarget;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;

/**
 * The KMIP form of the Target KMS page: the server, the CA that signed its certificate, KeyShift's client
 * certificate and key, and the key to use (none: the server creates one). FX thread only.
 */
public final class KmipTargetForm implements TargetForm {

    private final StringProperty endpoint = new SimpleStringProperty("");
    private final StringProperty caFile = new SimpleStringProperty("");
    private final StringProperty clientCertificate = new SimpleStringProperty("");
    private final StringProperty keyId = new SimpleStringProperty("");

    @Override
    public Building target() {
        String server = endpoint.get();
        Path ca = TargetForm.pathOrNull(caFile);
        Path certificate = TargetForm.pathOrNull(clientCertificate);
        String key = keyId.get();
        return () -> KmsTarget.kmip(KmipProvider.of(server, ca, certificate), key);
    }

    @Override
    public List<Observable> fields() {
        return List.of(endpoint, caFile, clientCertificate, keyId);
    }

    /** Fills the fields from a sandbox: its KMIP server and the certificates made for it. */
    public void prefill(String server, Path ca, Path certificate) {
        endpoint.set(server);
        caFile.set(ca.toString());
        clientCertificate.set(certificate.toString());
        keyId.set("");
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public StringProperty clientCertificateProperty() {
        return clientCertificate;
    }

    public StringProperty keyIdProperty() {
        return keyId;
    }
}
