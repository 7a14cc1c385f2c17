package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.kms.KmsCheck.Status;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.sandbox.TlsCertificates;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The KMIP target's checks against the sandbox's PyKMIP server. */
@ExtendWith(StackExtension.class)
class KmipTargetCheckStackTest {

    @TempDir
    Path dir;

    private SandboxInfo info;
    private MongoClientSettings settings;
    private MongoNamespace keyVault;
    private TargetChecks targetChecks;

    @BeforeEach
    void connect(TestStack stack) {
        info = stack.info();
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri())).build();
        keyVault = new MongoNamespace(info.keyVaultNamespace());
        targetChecks = new TargetChecks(settings, keyVault);
    }

    private KmsCheckReport check(KmipProvider kmip, String keyId) {
        try (kmip) {
            return targetChecks.run(KmsTarget.kmip(kmip, keyId), List.of());
        }
    }

    private KmipProvider sandboxKmip() {
        return KmipProvider.of(info.kmip().endpoint(), info.kmip().caFile(), info.kmip().clientCertFile());
    }

    @Test
    void passesAndNamesTheKeyTheServerCreatedWithoutTouchingTheKeyVault() {
        try (MongoClient client = MongoClients.create(settings)) {
            long keysBefore = client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName())
                    .countDocuments();

            KmsCheckReport report = check(sandboxKmip(), null);

            assertThat(report.checks()).extracting(KmsCheck::name, KmsCheck::status).containsExactly(
                    tuple(KmipTargetCheck.TLS, Status.OK), tuple(KmipTargetCheck.KEY, Status.OK),
                    tuple(KmipTargetCheck.ROUND_TRIP, Status.OK));
            String keyId = report.detail("keyId").orElseThrow();
            assertThat(report.check(KmipTargetCheck.KEY).orElseThrow().message())
                    .startsWith("The KMIP server created key " + keyId + " and wrapped a data key with it");
            assertThat(report.check(KmipTargetCheck.ROUND_TRIP).orElseThrow().message()).contains("KeyShift wrote one"
                    + " scratch data key to " + keyVault.getDatabaseName() + ".keyshift_kms_checks for this check and"
                    + " removed it");
            assertThat(client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName())
                    .countDocuments()).isEqualTo(keysBefore);
            assertThat(client.getDatabase(keyVault.getDatabaseName()).getCollection("keyshift_kms_checks")
                    .countDocuments()).isZero();

            KmsCheckReport again = check(sandboxKmip(), keyId);

            assertThat(again.passed()).isTrue();
            assertThat(again.check(KmipTargetCheck.KEY).orElseThrow().message())
                    .isEqualTo("The KMIP server holds key " + keyId + " and wrapped a data key with it.");
        }
    }

    @Test
    void aKeyIdTheServerDoesNotHoldFailsSayingWhatToCheck() {
        KmsCheckReport report = check(sandboxKmip(), "no-such-key-1234");

        KmsCheck key = report.check(KmipTargetCheck.KEY).orElseThrow();
        assertThat(key.status()).isEqualTo(Status.FAIL);
        assertThat(key.message()).startsWith("The KMIP server at " + info.kmip().endpoint()
                        + " did not let KeyShift use key no-such-key-1234 (")
                .endsWith("): check the key id and that the client certificate may read it, or give no key id to"
                        + " have the server create a key.");
        assertThat(report.check(KmipTargetCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void aCaFileThatDidNotSignTheServerFailsAtTheHandshake() {
        Path otherCa = dir.resolve("other-ca.pem");
        TlsCertificates.writePem(otherCa, TlsCertificates.newAuthority("Some other CA").authorityCertificate());

        KmsCheckReport report = check(KmipProvider.of(info.kmip().endpoint(), otherCa, info.kmip().clientCertFile()), null);

        assertThat(report.check(KmipTargetCheck.TLS).orElseThrow()).isEqualTo(new KmsCheck(KmipTargetCheck.TLS,
                Status.FAIL, "The KMIP server's certificate at " + info.kmip().endpoint() + " is not signed by the CA in "
                + otherCa + ": give the PEM file of the CA that signed the server's certificate."));
        assertThat(report.check(KmipTargetCheck.KEY).orElseThrow().status()).isEqualTo(Status.SKIPPED);
        assertThat(report.reachable()).isTrue();
    }

    @Test
    void aClientCertificateTheServerDoesNotTrustFailsAtTheHandshake() throws Exception {
        TlsCertificates.Issued stranger = TlsCertificates.newAuthority("Stranger CA").issueLoopbackServer();
        Path strangerPem = dir.resolve("stranger.pem");
        TlsCertificates.writePem(strangerPem, stranger.certificate());
        Files.writeString(strangerPem, Files.readString(strangerPem)
                + KmipProviderTest.pkcs8Pem(stranger.keyPair().getPrivate().getEncoded()));

        KmsCheckReport report = check(KmipProvider.of(info.kmip().endpoint(), info.kmip().caFile(), strangerPem), null);

        KmsCheck tls = report.check(KmipTargetCheck.TLS).orElseThrow();
        assertThat(tls.status()).isEqualTo(Status.FAIL);
        assertThat(tls.message()).startsWith("The KMIP server at " + info.kmip().endpoint())
                .contains("client certificate").contains(strangerPem.toString())
                .contains("or give the client certificate the server was set up with.");
    }

    @Test
    void aPortWithNoServerIsUnreachable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        KmsCheckReport report = check(KmipProvider.of("127.0.0.1:" + port, info.kmip().caFile(),
                info.kmip().clientCertFile()), null);

        assertThat(report.check(KmipTargetCheck.TLS).orElseThrow().message()).isEqualTo("Could not connect to"
                + " 127.0.0.1:" + port + " (connection refused): check the endpoint and that the KMIP server is running.");
        assertThat(report.reachable()).isFalse();
    }
}
