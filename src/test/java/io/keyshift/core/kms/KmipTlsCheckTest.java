package io.keyshift.core.kms;

import io.keyshift.core.kms.KmsCheck.Status;
import io.keyshift.sandbox.TlsCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS step of the KMIP checks against a TLS server of the test's own, which wants a client
 * certificate: each way the handshake can fail gets its own sentence, in TLS 1.2 and in TLS 1.3 (where a
 * refused client certificate is only answered after the client's side of the handshake has completed).
 */
class KmipTlsCheckTest {

    @TempDir
    Path dir;

    private TlsCertificates serverAuthority;
    private TlsCertificates clientAuthority;
    private Path serverCa;
    private Path clientPem;
    private SSLServerSocket server;
    private Thread acceptor;

    @BeforeEach
    void issueCertificates() throws Exception {
        serverAuthority = TlsCertificates.newAuthority("KMIP server CA");
        clientAuthority = TlsCertificates.newAuthority("KMIP client CA");
        serverCa = dir.resolve("server-ca.pem");
        TlsCertificates.writePem(serverCa, serverAuthority.authorityCertificate());
        TlsCertificates.Issued client = clientAuthority.issueLoopbackServer();
        clientPem = dir.resolve("client.pem");
        TlsCertificates.writePem(clientPem, client.certificate());
        Files.writeString(clientPem, Files.readString(clientPem)
                + KmipProviderTest.pkcs8Pem(client.keyPair().getPrivate().getEncoded()));
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
            acceptor.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Serves one connection per accept: completes the handshake (or fails it), then waits for the client to close. */
    private String startServer(TlsCertificates.Issued certificate, X509Certificate trustedClientCa, String protocol)
            throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(serverAuthority.authorityCertificate()), new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), PemTrust.trustManagers(trustedClientCa), null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(new String[] {protocol});
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    socket.getInputStream().read();
                } catch (IOException endOfConnectionOrServer) {
                    // the client went away, or the handshake failed as the test wants
                }
            }
        });
        acceptor.start();
        return "127.0.0.1:" + server.getLocalPort();
    }

    private KmsCheck tls(String endpoint, Path ca) {
        try (KmipProvider kmip = KmipProvider.of(endpoint, ca, clientPem)) {
            return KmipTargetCheck.handshake(kmip).check();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aServerThatRefusesTheClientCertificateIsNamedAsSuch(String protocol) throws Exception {
        TlsCertificates stranger = TlsCertificates.newAuthority("Some other client CA");
        String endpoint = startServer(serverAuthority.issueLoopbackServer(), stranger.authorityCertificate(), protocol);

        KmsCheck tls = tls(endpoint, serverCa);

        assertThat(tls.status()).isEqualTo(Status.FAIL);
        assertThat(tls.message()).startsWith("The KMIP server at " + endpoint)
                .contains("client certificate").contains(clientPem.toString())
                .endsWith("or give the client certificate the server was set up with.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aServerThatAcceptsTheClientCertificatePasses(String protocol) throws Exception {
        String endpoint = startServer(serverAuthority.issueLoopbackServer(), clientAuthority.authorityCertificate(),
                protocol);

        KmsCheck tls = tls(endpoint, serverCa);

        assertThat(tls.message()).isEqualTo("Connected to " + endpoint + " over " + protocol + ": the server's"
                + " certificate is signed by the CA in " + serverCa + " and the server accepted the client certificate.");
        assertThat(tls.status()).isEqualTo(Status.OK);
    }

    @Test
    void aServerCertificateForAnotherHostNameSaysWhichNameToUse() throws Exception {
        Instant now = Instant.now();
        TlsCertificates.Issued elsewhere = serverAuthority.issueServer(List.of("kmip.example.com"),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        String endpoint = startServer(elsewhere, clientAuthority.authorityCertificate(), "TLSv1.2");

        assertThat(tls(endpoint, serverCa).message()).isEqualTo("The KMIP server's certificate at " + endpoint
                + " was issued for another host name than 127.0.0.1: use the host name in the server's certificate as"
                + " the endpoint.");
    }

    @Test
    void anExpiredServerCertificateSaysSo() throws Exception {
        Instant now = Instant.now();
        TlsCertificates.Issued expired = serverAuthority.issueServer(List.of("127.0.0.1"),
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        String endpoint = startServer(expired, clientAuthority.authorityCertificate(), "TLSv1.2");

        assertThat(tls(endpoint, serverCa).message()).isEqualTo("The KMIP server's certificate at " + endpoint
                + " has expired: have it renewed, or check that the endpoint is the right one.");
    }
}
