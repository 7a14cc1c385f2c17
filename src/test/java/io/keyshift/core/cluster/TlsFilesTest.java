package io.keyshift.core.cluster;

import com.mongodb.MongoClientSettings;
import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.TlsCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsFilesTest {

    private static final String URI = "mongodb://db1:27017/";

    @TempDir
    Path dir;

    @Test
    void caFileAndClientCertificateTurnTlsOn() {
        TlsCertificates authority = TlsCertificates.newAuthority("Test CA");
        TlsCertificates.Issued client = authority.issueLoopbackServer();
        Path caFile = dir.resolve("ca.pem");
        Path clientFile = dir.resolve("client.pem");
        TlsCertificates.writePem(caFile, authority.authorityCertificate());
        TlsCertificates.writePem(clientFile, client.certificate(), client.keyPair().getPrivate());

        MongoClientSettings settings = ConnectionProfile.of(URI, caFile, clientFile).clientSettings();

        assertThat(settings.getSslSettings().isEnabled()).isTrue();
        assertThat(settings.getSslSettings().getContext()).isNotNull();
    }

    @Test
    void clientCertificateWithoutItsKeyIsRefusedSayingWhatWasFound() {
        TlsCertificates authority = TlsCertificates.newAuthority("Test CA");
        Path clientFile = dir.resolve("client.pem");
        TlsCertificates.writePem(clientFile, authority.issueLoopbackServer().certificate());

        assertThatThrownBy(() -> ConnectionProfile.of(URI, null, clientFile).clientSettings())
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("found 1 certificate(s) and no private key");
    }

    @Test
    void caFileThatIsNotPemIsRefused() throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.pem"), "not a certificate");

        assertThatThrownBy(() -> ConnectionProfile.of(URI, caFile, null).clientSettings())
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("Could not read the CA file " + caFile);
    }
}
