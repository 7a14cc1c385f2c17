package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.TlsCertificates;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KmipProviderTest {

    @TempDir
    Path dir;

    private TlsCertificates authority;
    private TlsCertificates.Issued client;
    private Path caFile;

    @BeforeEach
    void issueClientCertificate() {
        authority = TlsCertificates.newAuthority("KMIP test CA");
        client = authority.issueLoopbackServer();
        caFile = dir.resolve("ca.pem");
        TlsCertificates.writePem(caFile, authority.authorityCertificate());
    }

    /** PEM text of a private key in PKCS#8, as openssl pkcs8 -topk8 -nocrypt writes it. */
    static String pkcs8Pem(byte[] encoded) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(encoded)
                + "\n-----END PRIVATE KEY-----\n";
    }

    private Path certificateOnly() {
        Path file = dir.resolve("client.crt");
        TlsCertificates.writePem(file, client.certificate());
        return file;
    }

    private Path clientPem() throws Exception {
        return Files.writeString(dir.resolve("client.pem"), Files.readString(certificateOnly())
                + pkcs8Pem(client.keyPair().getPrivate().getEncoded()));
    }

    @Test
    void readsCertificateAndPkcs8KeyIntoATlsContext() throws Exception {
        try (KmipProvider kmip = KmipProvider.of("127.0.0.1:5697", caFile, clientPem())) {
            assertThat(kmip.kmsProviderEntry()).isEqualTo(Map.of("endpoint", "127.0.0.1:5697"));
            assertThat(kmip.sslContext()).isPresent();
            assertThat(kmip.credentials()).isEmpty();
            assertThat(kmip.describe()).isEqualTo("kmip (127.0.0.1:5697)");
            assertThat(kmip.named("kmip:next").name()).isEqualTo("kmip:next");
        }
    }

    @Test
    void readsATraditionalRsaKeyToo() throws Exception {
        Path file = dir.resolve("client-rsa.pem");
        TlsCertificates.writePem(file, client.certificate(), client.keyPair().getPrivate());

        assertThat(Files.readString(file)).contains("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(KmipProvider.of("127.0.0.1:5696", caFile, file).endpoint()).isEqualTo("127.0.0.1:5696");
    }

    @Test
    void givesTheDefaultPortWhenNoneIsWritten() throws Exception {
        assertThat(KmipProvider.of("kmip.example.com", caFile, clientPem()).endpoint()).isEqualTo("kmip.example.com:5696");
    }

    @Test
    void targetsTheGivenKeyIdOrAKeyTheServerCreates() throws Exception {
        try (KmipProvider kmip = KmipProvider.of("127.0.0.1:5696", caFile, clientPem())) {
            assertThat(KmsTarget.kmip(kmip, " 42 ").masterKey()).isEqualTo(BsonDocument.parse("{keyId: '42'}"));
            assertThat(KmsTarget.kmip(kmip, "42").describe()).isEqualTo("kmip (127.0.0.1:5696), key 42");
            assertThat(KmsTarget.kmip(kmip, null).masterKey()).isEqualTo(new BsonDocument());
            assertThat(KmsTarget.kmip(kmip, "").describe()).isEqualTo("kmip (127.0.0.1:5696), a key the KMIP server creates");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://kmip.example.com:5696", "kmip host:5696", "host:", "host:70000", ":5696"})
    void refusesAnEndpointThatIsNotHostAndPort(String endpoint) throws Exception {
        Path pem = clientPem();
        assertThatThrownBy(() -> KmipProvider.of(endpoint, caFile, pem))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageStartingWith("The KMIP endpoint");
    }

    @Test
    void refusesAMissingClientCertificateFile() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", caFile, missing))
                .hasMessage("The client certificate file " + missing + " does not exist: give the PEM file holding"
                        + " KeyShift's client certificate and its private key.");
    }

    @Test
    void refusesAFileWithoutCertificate() throws Exception {
        Path keyOnly = Files.writeString(dir.resolve("key.pem"), pkcs8Pem(client.keyPair().getPrivate().getEncoded()));

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", caFile, keyOnly))
                .hasMessage("The client certificate file " + keyOnly + " holds no certificate (-----BEGIN CERTIFICATE-----):"
                        + " give one PEM file with the client certificate and its private key, e.g. cat client.crt"
                        + " client.key > client.pem.");
    }

    @Test
    void refusesAFileWithoutKey() {
        Path certificateOnly = certificateOnly();

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", caFile, certificateOnly))
                .hasMessage("The client certificate file " + certificateOnly + " holds no private key (-----BEGIN"
                        + " PRIVATE KEY-----): give one PEM file with the client certificate and its private key,"
                        + " e.g. cat client.crt client.key > client.pem.");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        TlsCertificates.Issued other = authority.issueLoopbackServer();
        Path mismatched = Files.writeString(dir.resolve("mismatched.pem"), Files.readString(certificateOnly())
                + pkcs8Pem(other.keyPair().getPrivate().getEncoded()));

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", caFile, mismatched))
                .hasMessage("The private key in " + mismatched + " does not belong to its certificate (CN=localhost):"
                        + " put the key that was issued with this certificate in the file.");
    }

    @Test
    void refusesAnEcKeyInItsTraditionalFormatSayingHowToConvertIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        Path file = dir.resolve("client-ec.pem");
        TlsCertificates.writePem(file, client.certificate(), generator.generateKeyPair().getPrivate());

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", caFile, file))
                .hasMessage("The private key in " + file + " is in the EC PRIVATE KEY format, which KeyShift does not"
                        + " read: convert it with openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out key-pkcs8.pem and put"
                        + " that key (BEGIN PRIVATE KEY) in the file beside the certificate.");
    }

    @Test
    void refusesAMissingCaFile() throws Exception {
        Path missing = dir.resolve("no-ca.pem");
        Path pem = clientPem();

        assertThatThrownBy(() -> KmipProvider.of("127.0.0.1:5696", missing, pem))
                .hasMessageStartingWith("The CA file " + missing + " does not exist");
    }
}
