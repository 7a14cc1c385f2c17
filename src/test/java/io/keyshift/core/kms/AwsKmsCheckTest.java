package io.keyshift.core.kms;

import io.keyshift.core.kms.KmsCheck.Status;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.KmsFaultProxy.Fault;
import io.keyshift.testing.KmsFaultProxy.Presented;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS checks against the sandbox's moto (IAM enforced), directly and through the fault proxy. */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsKmsCheckTest {

    private final AwsKmsCheck check = new AwsKmsCheck();
    private SandboxInfo.Aws aws;
    private KmsFaultProxy proxy;

    @BeforeAll
    void startProxy(TestStack stack, @TempDir Path dir) {
        aws = stack.info().aws();
        proxy = KmsFaultProxy.start(aws, dir);
    }

    @BeforeEach
    void resetProxy() {
        proxy.reset();
    }

    @AfterAll
    void stopProxy() {
        proxy.close();
    }

    @Test
    void passesEveryCheckForTheMigrator() {
        KmsCheckReport report = run(aws.migrator(), aws.cmkArn());

        assertThat(report.checks()).extracting(KmsCheck::name).containsExactlyElementsOf(AwsKmsCheck.CHECKS);
        assertThat(report.checks()).allSatisfy(result -> assertThat(result.status()).isEqualTo(Status.OK));
        assertThat(report.passed()).isTrue();
        assertThat(report.detail("callerArn").orElseThrow()).endsWith(":user/keyshift-migrator");
        assertThat(report.detail("keyArn").orElseThrow()).isEqualTo(aws.cmkArn());
        assertThat(report.check(AwsKmsCheck.CREDENTIALS).orElseThrow().message())
                .isEqualTo("Found in the keys entered on the AWS page: access key "
                        + AwsCredentialSource.masked(aws.migrator().accessKeyId()) + ".");
    }

    @Test
    void aliasArnIsResolvedToItsKey() {
        KmsCheckReport report = run(aws.migrator(), aws.aliasArn());

        assertThat(report.passed()).isTrue();
        assertThat(report.check(AwsKmsCheck.KEY_FOUND).orElseThrow().message())
                .isEqualTo(aws.aliasArn() + " names key " + aws.cmkArn() + ".");
        assertThat(report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.OK);
    }

    @Test
    void bareAliasIsLookedUpInTheConfiguredRegion() {
        KmsCheckReport report = run(aws.migrator(), "alias/keyshift-sandbox");

        assertThat(report.passed()).isTrue();
        assertThat(report.detail("keyArn").orElseThrow()).isEqualTo(aws.cmkArn());
        assertThat(report.check(AwsKmsCheck.REGION).orElseThrow().message())
                .isEqualTo("alias/keyshift-sandbox is looked up in " + aws.region() + ".");
    }

    @Test
    void readOnlyUserFailsTheRoundTripNamingTheMissingPermission() {
        KmsCheckReport report = run(aws.readOnly(), aws.cmkArn());

        assertThat(report.passed()).isFalse();
        assertThat(report.check(AwsKmsCheck.KEY_FOUND).orElseThrow().status()).isEqualTo(Status.OK);
        KmsCheck roundTrip = report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow();
        assertThat(roundTrip.status()).isEqualTo(Status.FAIL);
        assertThat(roundTrip.message()).isEqualTo(report.detail("callerArn").orElseThrow() + " is not allowed kms:Encrypt on the key:"
                + " add kms:Encrypt for this key to the IAM policy or the key policy.");
        assertThat(report.detail("callerArn").orElseThrow()).endsWith(":user/keyshift-readonly");
    }

    @Test
    void wrongSecretIsRejectedAndNothingElseRuns() {
        String wrongSecret = "x" + aws.migrator().secretAccessKey().substring(1);
        KmsCheckReport report = run(new SandboxInfo.Credentials(aws.migrator().accessKeyId(), wrongSecret), aws.cmkArn());

        KmsCheck identity = report.check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow();
        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).contains("the secret access key is wrong, enter it again");
        assertThat(report.checks()).filteredOn(result -> AwsKmsCheck.CHECKS.indexOf(result.name()) > AwsKmsCheck.CHECKS.indexOf(AwsKmsCheck.CALLER_IDENTITY))
                .allSatisfy(result -> assertThat(result.status()).isEqualTo(Status.SKIPPED));
        assertThat(report.toJson()).doesNotContain(wrongSecret).doesNotContain(aws.migrator().secretAccessKey());
    }

    @Test
    void disabledKeyFailsWithTheWayToEnableIt() {
        KmsCheckReport report = run(aws.migrator(), "alias/keyshift-sandbox-disabled");

        KmsCheck enabled = report.check(AwsKmsCheck.KEY_ENABLED).orElseThrow();
        assertThat(enabled.status()).isEqualTo(Status.FAIL);
        assertThat(enabled.message()).startsWith("The key is disabled: enable it (aws kms enable-key --key-id ");
        assertThat(report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.SKIPPED);
        assertThat(report.passed()).isFalse();
    }

    @Test
    void keyPendingDeletionFailsWithItsDeletionDate() {
        KmsCheckReport report = run(aws.migrator(), "alias/keyshift-sandbox-pending-deletion");

        KmsCheck enabled = report.check(AwsKmsCheck.KEY_ENABLED).orElseThrow();
        assertThat(enabled.status()).isEqualTo(Status.FAIL);
        assertThat(enabled.message()).matches("The key is scheduled for deletion on \\d{4}-\\d{2}-\\d{2}: cancel the"
                + " deletion \\(aws kms cancel-key-deletion --key-id [0-9a-f-]+\\) and enable it, or choose another key\\.");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void arnOfAnotherRegionFailsTheRegionCheckAndSkipsTheKeyChecks() {
        String otherRegion = aws.cmkArn().replace(":" + aws.region() + ":", ":eu-west-1:");

        KmsCheckReport report = run(aws.migrator(), otherRegion);

        KmsCheck region = report.check(AwsKmsCheck.REGION).orElseThrow();
        assertThat(region.status()).isEqualTo(Status.FAIL);
        assertThat(region.message()).contains("in eu-west-1 but the region is " + aws.region())
                .contains("set the region to eu-west-1");
        assertThat(report.check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow().status()).isEqualTo(Status.OK);
        assertThat(report.check(AwsKmsCheck.KEY_FOUND).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void unknownKeyIdIsReportedAsNotFound() {
        String unknown = aws.cmkArn().replaceFirst("key/.*", "key/" + UUID.randomUUID());

        KmsCheckReport report = run(aws.migrator(), unknown);

        KmsCheck found = report.check(AwsKmsCheck.KEY_FOUND).orElseThrow();
        assertThat(found.status()).isEqualTo(Status.FAIL);
        assertThat(found.message()).startsWith("There is no key " + unknown + " in " + aws.region());
        assertThat(report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void passesThroughTheProxyWhenNoFaultIsArmed() {
        KmsCheckReport report = runThroughProxy();

        assertThat(report.passed()).isTrue();
        assertThat(proxy.requests("Encrypt")).isPositive();
    }

    @Test
    void throttlingDuringTheRoundTripIsRetriedThenSucceeds() {
        proxy.arm(Fault.throttling().forNext(2).onlyFor("Encrypt"));
        int before = proxy.requests("Encrypt");

        KmsCheckReport report = runThroughProxy();

        assertThat(report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.OK);
        assertThat(proxy.requests("Encrypt") - before).as("two throttled attempts, then the one that worked").isEqualTo(3);
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetried() {
        proxy.arm(Fault.status(429).forNext(1).onlyFor("Encrypt"));
        proxy.arm(Fault.status(503).forNext(1).onlyFor("Decrypt"));
        proxy.arm(Fault.status(500).forNext(1).onlyFor("DescribeKey"));
        proxy.arm(Fault.dropConnection().forNext(1).onlyFor("GetCallerIdentity"));

        KmsCheckReport report = runThroughProxy();

        assertThat(report.passed()).isTrue();
    }

    @Test
    void endpointThatStallsFailsInSecondsNotMinutes() {
        proxy.arm(Fault.stall(Duration.ofMinutes(5)));
        Instant start = Instant.now();

        KmsCheckReport report = runThroughProxy();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
        KmsCheck identity = report.check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow();
        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).startsWith(proxy.endpoint() + " did not answer sts:GetCallerIdentity within");
        assertThat(report.reachable()).isFalse();
        assertThat(report.check(AwsKmsCheck.ROUND_TRIP).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void endpointThatNeverCompletesTheHandshakeFailsInSeconds() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Instant start = Instant.now();

            KmsCheckReport report = run(aws.migrator(), aws.cmkArn(), "127.0.0.1:" + silent.getLocalPort(), aws.caFile());

            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
            assertThat(report.check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow().message()).contains("did not answer");
            assertThat(report.reachable()).isFalse();
        }
    }

    @Test
    void certificateFromAnUntrustedCaIsRefused() {
        int before = proxy.requests("GetCallerIdentity");

        KmsCheckReport report = run(aws.migrator(), aws.cmkArn(), proxy.endpoint(), aws.caFile());

        KmsCheck identity = report.check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow();
        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).isEqualTo("The TLS certificate of " + proxy.endpoint() + " is not trusted:"
                + " give the PEM file of the CA that signed it as the CA file, or check the endpoint.");
        assertThat(proxy.requests("GetCallerIdentity")).as("no request got past the handshake").isEqualTo(before);
    }

    @Test
    void expiredCertificateIsRefused() {
        proxy.present(Presented.EXPIRED);

        KmsCheck identity = runThroughProxy().check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow();

        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).startsWith("The TLS certificate of " + proxy.endpoint() + " has expired");
    }

    @Test
    void certificateForAnotherHostIsRefused() {
        proxy.present(Presented.WRONG_HOST);

        KmsCheck identity = runThroughProxy().check(AwsKmsCheck.CALLER_IDENTITY).orElseThrow();

        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).startsWith("The TLS certificate of " + proxy.endpoint()
                + " was issued for another host name");
    }

    @Test
    void aCmkWhoseArnNamesAnotherAccountIsAllowedButNamedCrossAccount() {
        String callerAccount = CmkArn.parse(aws.cmkArn()).account().orElseThrow();
        String otherAccount = "111122223333";
        // moto finds a key by the id in the ARN and answers with the caller's account, as the old check trusted.
        String crossAccountArn = aws.cmkArn().replace(":" + callerAccount + ":", ":" + otherAccount + ":");
        String sentence = "Cross-account CMK: the key is in account " + otherAccount + ", the credentials are from account "
                + callerAccount + ". That is allowed, but the key policy must grant " + callerAccount
                + " kms:Encrypt and kms:Decrypt";

        KmsCheckReport report = run(aws.migrator(), crossAccountArn);

        assertThat(report.check(AwsKmsCheck.SAME_ACCOUNT).orElseThrow()).satisfies(sameAccount -> {
            assertThat(sameAccount.status()).isEqualTo(Status.WARN);
            assertThat(sameAccount.message()).startsWith(sentence);
        });
        assertThat(report.checks()).noneMatch(check -> check.status() == Status.FAIL);
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered(aws.migrator().accessKeyId(),
                aws.migrator().secretAccessKey().toCharArray(), null);
        try (AwsTarget crossAccount = new AwsTarget(keys, aws.region(), crossAccountArn, aws.endpoint(), aws.caFile());
             AwsTarget sameAccount = new AwsTarget(keys, aws.region(), aws.cmkArn(), aws.endpoint(), aws.caFile())) {
            assertThat(check.crossAccount(crossAccount)).hasValueSatisfying(warning -> assertThat(warning).startsWith(sentence));
            assertThat(check.crossAccount(sameAccount)).isEmpty();
        }
    }

    @Test
    void reportNeverHoldsTheSecret() {
        for (SandboxInfo.Credentials user : new SandboxInfo.Credentials[] {aws.migrator(), aws.readOnly()}) {
            String json = run(user, aws.cmkArn()).toJson();

            assertThat(json).doesNotContain(user.secretAccessKey());
        }
    }

    private KmsCheckReport runThroughProxy() {
        return run(aws.migrator(), aws.cmkArn(), proxy.endpoint(), proxy.caFile());
    }

    private KmsCheckReport run(SandboxInfo.Credentials user, String cmk) {
        return run(user, cmk, aws.endpoint(), aws.caFile());
    }

    private KmsCheckReport run(SandboxInfo.Credentials user, String cmk, String endpoint, Path caFile) {
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered(user.accessKeyId(),
                user.secretAccessKey().toCharArray(), null);
        try (AwsTarget target = new AwsTarget(keys, aws.region(), cmk, endpoint, caFile)) {
            return check.run(target);
        } finally {
            keys.destroy();
        }
    }
}
