package io.keyshift.cli;

import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.sandbox.TlsCertificates;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift check-kms --to …} as a DBA runs it before a migration. */
@ExtendWith(StackExtension.class)
class CheckKmsCommandTest {

    @TempDir
    Path dir;

    @Test
    void kmipWithoutItsEndpointIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "kmip", "--kmip-ca-file", "ca.pem", "--kmip-client-cert", "client.pem");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to kmip: '--kmip-endpoint=HOST:PORT'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void kmipWithoutTheClientCertificateIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "kmip", "--kmip-endpoint", "127.0.0.1:5696", "--kmip-ca-file", "ca.pem");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to kmip: '--kmip-client-cert=PEM'");
    }

    @Test
    void kmipWithoutTheClusterIsAUsageErrorNamingTheOption(TestStack stack) {
        SandboxInfo.Kmip kmip = stack.info().kmip();

        CliRun run = CliRun.keyshift("check-kms", "--to", "kmip", "--kmip-endpoint", kmip.endpoint(),
                "--kmip-ca-file", kmip.caFile().toString(), "--kmip-client-cert", kmip.clientCertFile().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to kmip: '--uri=URI'");
    }

    @Test
    void localWithoutTheNewKeyFileIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "local", "--local-key", "old.key");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to local: '--new-local-key=FILE'");
    }

    @Test
    void awsIsTheDefaultAndNeedsTheCmk() {
        CliRun run = CliRun.keyshift("check-kms", "--region", "us-east-1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to aws: '--cmk=ARN'");
    }

    @Test
    void azureWithoutTheVaultIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "azure", "--azure-key-name", "keyshift");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to azure: '--azure-key-vault-endpoint=HOST'");
    }

    @Test
    void azureCredentialsComeFromTheEnvironmentAndAMissingOneIsNamed() {
        CliRun run = CliRun.keyshift(Map.of("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001",
                        "AZURE_CLIENT_SECRET", "not-a-real-secret"),
                "check-kms", "--to", "azure", "--azure-key-vault-endpoint", "keyshift.vault.azure.net",
                "--azure-key-name", "keyshift");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("No Azure tenant id: set AZURE_TENANT_ID");
        assertThat(run.out() + run.err()).doesNotContain("not-a-real-secret");
    }

    @Test
    void gcpWithoutTheKeyRingIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "gcp", "--gcp-project-id", "keyshift", "--gcp-location", "global",
                "--gcp-key-name", "keyshift");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to gcp: '--gcp-key-ring=R'");
    }

    @Test
    void gcpCredentialsComeFromTheFileGoogleApplicationCredentialsNames() {
        CliRun run = CliRun.keyshift(Map.of("GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("missing.json").toString()),
                "check-kms", "--to", "gcp", "--gcp-project-id", "keyshift", "--gcp-location", "global",
                "--gcp-key-ring", "ring", "--gcp-key-name", "keyshift");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains(dir.resolve("missing.json").toString());
    }

    @Test
    void anUnknownProviderIsAUsageErrorListingTheKnownOnes() {
        CliRun run = CliRun.keyshift("check-kms", "--to", "vault");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("'vault' is not a provider KeyShift can move keys to: give one of local, aws, azure, gcp, kmip.");
    }

    @Test
    void noOptionOfAnyCommandThatReachesAKmsTakesASecret() {
        CommandLine keyshift = KeyShiftCommand.newCommandLine();

        // A file that holds a secret (--azure-access-token-file) is no secret on the command line.
        for (String command : List.of("check-kms", "check-aws", "migrate", "resume", "verify", "audit", "restore-keys")) {
            assertThat(keyshift.getSubcommands().get(command).getCommandSpec().options())
                    .as(command).flatExtracting(option -> List.of(option.names()))
                    .noneMatch(name -> name.matches("(?i).*(secret|access-key|session|token|password|client-id).*")
                            && !name.endsWith("-file"));
        }
    }

    @Test
    void aNewLocalKeyFilePasses() throws Exception {
        Path oldKey = newLocalKey("old.key");
        Path newKey = newLocalKey("new.key");

        CliRun run = CliRun.keyshift("check-kms", "--to", "local", "--new-local-key", newKey.toString(),
                "--local-key", oldKey.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("All checks passed: this key can be used for the migration.");
    }

    @Test
    void theSourceKeyFileAsTheNewOneFailsTheCheck() throws Exception {
        Path oldKey = newLocalKey("old.key");
        Path copy = Files.copy(oldKey, dir.resolve("copy.key"));

        CliRun run = CliRun.keyshift("check-kms", "--to", "local", "--new-local-key", copy.toString(),
                "--local-key", oldKey.toString(), "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BLOCKED);
        Document report = Document.parse(run.out());
        assertThat(report.getBoolean("passed")).isFalse();
        assertThat(report.getList("checks", Document.class)).extracting(check -> check.getString("status")).contains("fail");
    }

    @Test
    void theSandboxKmipServerPassesWithTheClientCertificate(TestStack stack) {
        SandboxInfo.Kmip kmip = stack.info().kmip();

        CliRun run = CliRun.keyshift("check-kms", "--to", "kmip", "--kmip-endpoint", kmip.endpoint(),
                "--kmip-ca-file", kmip.caFile().toString(), "--kmip-client-cert", kmip.clientCertFile().toString(),
                "--uri", stack.info().mongodbUri(), "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        Document report = Document.parse(run.out());
        assertThat(report.getString("provider")).isEqualTo("kmip");
        assertThat(report.getList("checks", Document.class)).extracting(check -> check.getString("status"))
                .isNotEmpty().doesNotContain("fail", "skipped");
    }

    @Test
    void aKmipClientCertificateTheServerDoesNotTrustFailsAtTheHandshake(TestStack stack) {
        SandboxInfo.Kmip kmip = stack.info().kmip();

        CliRun run = CliRun.keyshift("check-kms", "--to", "kmip", "--kmip-endpoint", kmip.endpoint(),
                "--kmip-ca-file", kmip.caFile().toString(), "--kmip-client-cert", selfSignedClientPem().toString(),
                "--uri", stack.info().mongodbUri());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.out()).containsPattern("fail +TLS with the client certificate +The KMIP server at " + kmip.endpoint()
                        + " .*stranger\\.pem")
                .containsPattern("skipped +Wrap \\+ unwrap round trip")
                .contains("1 check failed: fix it and run check-kms again.");
    }

    @Test
    void theSandboxAzureKeyPassesWithTheMigratorFromTheEnvironment(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();

        CliRun run = CliRun.keyshift(azureEnvironment(azure, azure.clientId(), azure.clientSecret()), checkAzure(azure));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("All checks passed").doesNotContain(azure.clientSecret());
    }

    @Test
    void aReadOnlyAzurePrincipalFailsACheckAndExitsBlocked(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();

        CliRun run = CliRun.keyshift(azureEnvironment(azure, azure.readOnlyClientId(), azure.readOnlyClientSecret()),
                checkAzure(azure));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.out()).contains("fail").contains("run check-kms again").doesNotContain(azure.readOnlyClientSecret());
    }

    @Test
    void theSandboxGcpKeyPassesWithTheServiceAccountKeyFile(TestStack stack) {
        SandboxInfo.Gcp gcp = stack.info().gcp();

        CliRun run = CliRun.keyshift("check-kms", "--to", "gcp", "--gcp-project-id", gcp.projectId(), "--gcp-location",
                gcp.location(), "--gcp-key-ring", gcp.keyRing(), "--gcp-key-name", gcp.keyName(), "--gcp-endpoint",
                gcp.endpoint(), "--gcp-ca-file", gcp.caFile().toString(), "--gcp-credentials-file",
                gcp.credentialsFile().toString(), "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        Document report = Document.parse(run.out());
        assertThat(report.getString("provider")).isEqualTo("gcp");
        assertThat(report.getList("checks", Document.class)).extracting(check -> check.getString("status"))
                .isNotEmpty().doesNotContain("fail", "skipped");
    }

    private static Map<String, String> azureEnvironment(SandboxInfo.Azure azure, String clientId, String clientSecret) {
        return Map.of("AZURE_TENANT_ID", azure.tenantId(), "AZURE_CLIENT_ID", clientId, "AZURE_CLIENT_SECRET", clientSecret);
    }

    private static String[] checkAzure(SandboxInfo.Azure azure) {
        return new String[] {"check-kms", "--to", "azure", "--azure-key-vault-endpoint", azure.keyVaultEndpoint(),
                "--azure-key-name", azure.keyName(), "--azure-identity-endpoint", azure.identityPlatformEndpoint(),
                "--azure-ca-file", azure.caFile().toString()};
    }

    /** A client certificate from a CA of its own, which the sandbox's KMIP server has never heard of. */
    private Path selfSignedClientPem() {
        TlsCertificates.Issued stranger = TlsCertificates.newAuthority("Not the sandbox CA").issueClient("keyshift");
        Path file = dir.resolve("stranger.pem");
        TlsCertificates.writePem(file, stranger.certificate(), TlsCertificates.pkcs8(stranger.keyPair().getPrivate()));
        return file;
    }

    private Path newLocalKey(String name) {
        Path file = dir.resolve(name);
        assertThat(CliRun.keyshift("local-key", "new", file.toString()).exitCode()).isZero();
        return file;
    }
}
