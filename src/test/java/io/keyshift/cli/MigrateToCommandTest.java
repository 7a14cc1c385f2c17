package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.AzureTokens;
import io.keyshift.testing.MigratorSandbox;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift migrate --to …} to a target other than AWS, then verify and inspect, as a DBA types them. */
class MigrateToCommandTest {

    private static final Pattern MIGRATION_ID = Pattern.compile("Migration (\\S+) journaled in");

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @Test
    void aMissingOptionOfTheTargetIsAUsageErrorBeforeTheClusterIsReached() {
        CliRun run = CliRun.keyshift("migrate", "--strategy", "rewrap", "--uri", "mongodb://127.0.0.1:1",
                "--local-key", info().localKeyFile().toString(), "--to", "kmip", "--kmip-ca-file", "ca.pem",
                "--kmip-client-cert", "client.pem");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for --to kmip: '--kmip-endpoint=HOST:PORT'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void keysUnderKmipNeedTheKmipOptions() {
        CliRun run = CliRun.keyshift("migrate", "--strategy", "rewrap", "--uri", "mongodb://127.0.0.1:1",
                "--source-provider", "kmip", "--to", "local", "--new-local-key", newLocalKey("new.key").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option for the keys under kmip: '--kmip-endpoint=HOST:PORT'");
    }

    @Test
    void localKeysUnderANewLocalKeyOpenOnlyWithTheNewFile() {
        Path newKey = newLocalKey("new.key");

        CliRun migrated = CliRun.keyshift(migrate("--to", "local", "--new-local-key", newKey.toString()));

        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("Done and verified.");
        assertThat(providers()).containsOnly("local");
        CliRun oldKey = CliRun.keyshift("inspect", "--uri", info().mongodbUri(), "--local-key", info().localKeyFile().toString());
        CliRun newKeyOpens = CliRun.keyshift("inspect", "--uri", info().mongodbUri(), "--local-key", newKey.toString());
        assertThat(oldKey.exitCode()).as("the old key file opens no key any more").isEqualTo(ExitCodes.BLOCKED);
        assertThat(newKeyOpens.exitCode()).as(newKeyOpens.out()).isEqualTo(ExitCodes.OK);

        CliRun verified = CliRun.keyshift("verify", "--migration", migrationId(migrated), "--uri", info().mongodbUri(),
                "--new-local-key", newKey.toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isEqualTo(ExitCodes.OK);
        assertThat(verified.out()).contains("Verified.");
    }

    @Test
    void localKeysRewrappedToTheKmipServerVerifyWithTheKmipOptionsOnly() {
        SandboxInfo.Kmip kmip = info().kmip();

        CliRun migrated = CliRun.keyshift(migrate(Stream.concat(Stream.of("--to", "kmip"), kmipOptions(kmip).stream())
                .toArray(String[]::new)));

        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("Done and verified.");
        assertThat(providers()).containsOnly("kmip");
        List<String> keyIds = stack.client().getDatabase("encryption").getCollection("__keyVault").find()
                .map(key -> key.get("masterKey", Document.class).getString("keyId")).into(new ArrayList<>());
        assertThat(keyIds).as("no --kmip-key-id: every key goes under the one key the KMIP check created").doesNotContainNull()
                .containsOnly(keyIds.get(0));

        List<String> verify = new ArrayList<>(List.of("verify", "--migration", migrationId(migrated), "--uri",
                info().mongodbUri()));
        verify.addAll(kmipOptions(kmip));
        CliRun verified = CliRun.keyshift(verify);
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isEqualTo(ExitCodes.OK);
        Document audited = auditedMasterKey(kmipOptions(kmip), Map.of());
        assertThat(audited.getString("provider")).isEqualTo("kmip");
        assertThat(audited.getString("problem")).isNull();
        assertThat(audited.getList("warnings", String.class)).isEmpty();

        CliRun withoutTheCertificate = CliRun.keyshift("verify", "--migration", migrationId(migrated), "--uri",
                info().mongodbUri());
        assertThat(withoutTheCertificate.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(withoutTheCertificate.err()).contains("Missing required option for the journaled target kmip")
                .contains("'--kmip-endpoint=HOST:PORT'");
    }

    @Test
    void localKeysRewrappedToAzureWithThePrincipalFromTheEnvironmentThenBackToALocalKey() {
        SandboxInfo.Azure azure = info().azure();
        Map<String, String> environment = Map.of("AZURE_TENANT_ID", azure.tenantId(), "AZURE_CLIENT_ID", azure.clientId(),
                "AZURE_CLIENT_SECRET", azure.clientSecret());
        List<String> azureOptions = List.of("--azure-identity-endpoint", azure.identityPlatformEndpoint(), "--azure-ca-file",
                azure.caFile().toString());

        List<String> toAzure = new ArrayList<>(migrate("--to", "azure", "--azure-key-vault-endpoint", azure.keyVaultEndpoint(),
                "--azure-key-name", azure.keyName()));
        toAzure.addAll(azureOptions);
        CliRun migrated = CliRun.keyshift(environment, toAzure.toArray(String[]::new));
        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out() + migrated.err()).doesNotContain(azure.clientSecret());
        assertThat(providers()).containsOnly("azure");

        Path newKey = newLocalKey("new.key");
        List<String> back = new ArrayList<>(List.of("migrate", "--strategy", "rewrap", "--uri", info().mongodbUri(),
                "--source-provider", "azure", "--to", "local", "--new-local-key", newKey.toString(),
                "--backup", dir.resolve("back.json").toString(), "--report", dir.resolve("reports").toString(), "--yes"));
        back.addAll(azureOptions);
        CliRun returned = CliRun.keyshift(environment, back.toArray(String[]::new));
        assertThat(returned.exitCode()).as(returned.out() + returned.err()).isEqualTo(ExitCodes.OK);
        assertThat(providers()).containsOnly("local");

        // The backup of that second migration holds the keys under Azure: restoring it proves them through Azure.
        List<String> restore = List.of("restore-keys", "--uri", info().mongodbUri(), "--file",
                dir.resolve("back.json").toString(), "--yes");
        CliRun withoutCredentials = CliRun.keyshift(restore);
        assertThat(withoutCredentials.exitCode()).as(withoutCredentials.out() + withoutCredentials.err())
                .isEqualTo(ExitCodes.BLOCKED);
        assertThat(withoutCredentials.out()).contains("Refused; nothing was written:", "does not open with its master"
                + " key (azure): no Azure Key Vault credentials were given for provider azure");
        assertThat(providers()).containsOnly("local");

        List<String> withAzure = new ArrayList<>(restore);
        withAzure.addAll(azureOptions);
        CliRun restored = CliRun.keyshift(environment, withAzure.toArray(String[]::new));
        assertThat(restored.exitCode()).as(restored.out() + restored.err()).isEqualTo(ExitCodes.OK);
        assertThat(restored.out()).contains(": local, ", " → azure, ", "Restored 6 key(s).");
        assertThat(providers()).containsOnly("azure");
        assertThat(stack.client().getDatabase("encryption").listCollectionNames())
                .as("the scratch collection the keys were proved in is gone").doesNotContain("keyshift_restore_checks");

        Document audited = auditedMasterKey(azureOptions, environment);
        assertThat(audited.getString("provider")).isEqualTo("azure");
        assertThat(audited.getString("problem")).isNull();
        Map<String, String> wrongSecret = Map.of("AZURE_TENANT_ID", azure.tenantId(), "AZURE_CLIENT_ID",
                azure.clientId(), "AZURE_CLIENT_SECRET", "not-the-secret");
        assertThat(auditedMasterKey(azureOptions, wrongSecret).getString("problem"))
                .startsWith("Its data key ").contains(" did not unwrap: ");
    }

    @Test
    void localKeysRewrappedToAzureWithAnAccessTokenFromAFile() throws IOException {
        SandboxInfo.Azure azure = info().azure();
        List<String> toAzure = migrate("--to", "azure", "--azure-key-vault-endpoint", azure.keyVaultEndpoint(),
                "--azure-key-name", azure.keyName(), "--azure-ca-file", azure.caFile().toString(),
                "--azure-access-token-file", dir.resolve("token.txt").toString());

        // Not a token: two lines. Refused before anything is written.
        Files.writeString(dir.resolve("token.txt"), "first line\nsecond line\n");
        CliRun notAToken = CliRun.keyshift(Map.of(), toAzure.toArray(String[]::new));
        assertThat(notAToken.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(notAToken.err()).contains("The Azure access token holds a space, a line break or a character"
                + " outside ASCII, which no token has: give the token alone");
        assertThat(providers()).containsOnly("local");

        // As `az account get-access-token … -o tsv > token.txt` writes it: the token and a line break.
        Files.writeString(dir.resolve("token.txt"), AzureTokens.accessToken(azure) + "\n");
        CliRun migrated = CliRun.keyshift(Map.of(), toAzure.toArray(String[]::new));
        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("Done and verified.");
        assertThat(providers()).containsOnly("azure");
    }

    @Test
    void localKeysRewrappedToGcpWithTheServiceAccountKeyFile() {
        SandboxInfo.Gcp gcp = info().gcp();

        CliRun migrated = CliRun.keyshift(migrate("--to", "gcp", "--gcp-project-id", gcp.projectId(), "--gcp-location",
                gcp.location(), "--gcp-key-ring", gcp.keyRing(), "--gcp-key-name", gcp.keyName(), "--gcp-endpoint",
                gcp.endpoint(), "--gcp-ca-file", gcp.caFile().toString(), "--gcp-credentials-file",
                gcp.credentialsFile().toString()));

        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("Done and verified.");
        assertThat(providers()).containsOnly("gcp");

        // The audit unwraps one data key of the master key through Cloud KMS, or says what it needs to.
        Document withCredentials = auditedMasterKey(List.of("--gcp-endpoint", gcp.endpoint(), "--gcp-ca-file",
                gcp.caFile().toString(), "--gcp-credentials-file", gcp.credentialsFile().toString()), Map.of());
        assertThat(withCredentials.getString("provider")).isEqualTo("gcp");
        assertThat(withCredentials.getString("problem")).isNull();
        assertThat(withCredentials.getList("warnings", String.class)).isEmpty();
        assertThat(withCredentials.getList("keyIds", String.class)).hasSize(6);

        Document without = auditedMasterKey(List.of(), Map.of());
        assertThat(without.getString("problem")).isNull();
        assertThat(without.getList("warnings", String.class)).containsExactly("Not checked: no Google Cloud KMS"
                + " credentials were given for provider gcp: give credentials that may unwrap with its key.");
    }

    @Test
    void awsKeysRotateToTheNextCmkOpenedWithTheSourceProfile() throws Exception {
        SandboxInfo.Aws aws = info().aws();
        assertThat(CliRun.keyshift(stack.migrate("rewrap", dir.resolve("first.json"), dir.resolve("reports"), "--yes"))
                .exitCode()).isEqualTo(ExitCodes.OK);
        List<String> rotate = List.of("migrate", "--strategy", "rewrap", "--uri", info().mongodbUri(),
                "--source-provider", "aws", "--from-profile", "source", "--to", "aws", "--region", aws.region(),
                "--cmk", aws.nextCmkArn(), "--endpoint", aws.endpoint(), "--kms-ca-file", aws.caFile().toString(),
                "--backup", dir.resolve("backup.json").toString(), "--report", dir.resolve("reports").toString(), "--yes");
        String savedCredentials = System.getProperty("aws.sharedCredentialsFile");
        String savedConfig = System.getProperty("aws.configFile");
        try {
            useSourceProfile(aws.readOnly());
            CliRun refused = CliRun.keyshift(rotate);
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.BLOCKED);
            assertThat(refused.out()).contains("Blocked by the preflight; nothing was written:")
                    .contains("does not open under provider aws").contains("AccessDenied");
            assertThat(cmks()).containsOnly(aws.cmkArn());

            useSourceProfile(aws.migrator());
            CliRun rotated = CliRun.keyshift(rotate);
            assertThat(rotated.exitCode()).as(rotated.out() + rotated.err()).isEqualTo(ExitCodes.OK);
            assertThat(rotated.out()).contains("Done and verified.");
            assertThat(cmks()).containsOnly(aws.nextCmkArn());

            // Its backup holds the keys under the first CMK: restoring them asks AWS KMS to prove each one.
            List<String> restore = List.of("restore-keys", "--uri", info().mongodbUri(), "--file",
                    dir.resolve("backup.json").toString(), "--profile", "source", "--kms-ca-file",
                    aws.caFile().toString(), "--yes");
            useSourceProfile(aws.readOnly());
            CliRun denied = CliRun.keyshift(restore);
            assertThat(denied.exitCode()).as(denied.out() + denied.err()).isEqualTo(ExitCodes.BLOCKED);
            assertThat(denied.out()).contains("Refused; nothing was written:",
                    "does not open with its master key (aws)", "AccessDenied");
            assertThat(cmks()).containsOnly(aws.nextCmkArn());

            useSourceProfile(aws.migrator());
            CliRun restored = CliRun.keyshift(restore);
            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isEqualTo(ExitCodes.OK);
            assertThat(restored.out()).contains("Restored 6 key(s).");
            assertThat(cmks()).containsOnly(aws.cmkArn());
        } finally {
            restore("aws.sharedCredentialsFile", savedCredentials);
            restore("aws.configFile", savedConfig);
        }
    }

    @Test
    void aRewrapToANewLocalKeyStoppedBeforeItsFirstChunkResumesWithBothKeyFiles() {
        Path newKey = newLocalKey("new.key");
        String begun = begunRewrapTo(newKey);

        CliRun withoutTheNewKey = CliRun.keyshift("resume", "--migration", begun, "--uri", info().mongodbUri(),
                "--local-key", info().localKeyFile().toString(), "--report", dir.resolve("reports").toString());
        assertThat(withoutTheNewKey.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(withoutTheNewKey.err()).contains("Missing required option for the journaled target local")
                .contains("'--new-local-key=FILE'");

        CliRun resumed = CliRun.keyshift("resume", "--migration", begun, "--uri", info().mongodbUri(),
                "--local-key", info().localKeyFile().toString(), "--new-local-key", newKey.toString(),
                "--report", dir.resolve("reports").toString());
        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.out()).contains("Resuming " + begun).contains("Done and verified.");
        assertThat(CliRun.keyshift("inspect", "--uri", info().mongodbUri(), "--local-key", newKey.toString()).exitCode())
                .isEqualTo(ExitCodes.OK);
    }

    /** A REWRAP of every sandbox key to {@code newKey}, claimed, journaled and backed up, but not run. */
    private String begunRewrapTo(Path newKey) {
        try (LocalProvider target = LocalProvider.load(newKey)) {
            Migrations migrations = new Migrations(stack.client(), stack.settings(),
                    new MongoNamespace(info().keyVaultNamespace()), Migrations.DEFAULT_JOURNAL_COLLECTION);
            return migrations.begin(migrations.plan(new MigrationRequest(Strategy.REWRAP, List.of(), "local",
                    KmsTarget.local(target), MigrationRequest.DEFAULT_CHUNK, MigrationRequest.DEFAULT_BATCH,
                    MigrationRequest.DEFAULT_WORKERS, false, false, dir.resolve("begun.json")))).id();
        }
    }

    /** The profile {@code source} in a credentials file of its own, as AWS_SHARED_CREDENTIALS_FILE would name it. */
    private void useSourceProfile(SandboxInfo.Credentials user) throws IOException {
        Path credentials = Files.writeString(dir.resolve("credentials"), "[source]\naws_access_key_id = "
                + user.accessKeyId() + "\naws_secret_access_key = " + user.secretAccessKey() + "\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", Files.writeString(dir.resolve("config"), "").toString());
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** {@code keyshift audit --json} with the options and environment given: its one master key's entry. */
    private Document auditedMasterKey(List<String> options, Map<String, String> environment) {
        List<String> audit = new ArrayList<>(List.of("audit", "--uri", info().mongodbUri(), "--json"));
        audit.addAll(options);
        CliRun run = CliRun.keyshift(environment, audit.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        List<Document> masterKeys = Document.parse(run.out()).getList("masterKeys", Document.class);
        assertThat(masterKeys).hasSize(1);
        return masterKeys.get(0);
    }

    private List<String> cmks() {
        return stack.client().getDatabase("encryption").getCollection("__keyVault").find()
                .map(key -> key.get("masterKey", Document.class).getString("key")).into(new ArrayList<>());
    }

    private static List<String> kmipOptions(SandboxInfo.Kmip kmip) {
        return List.of("--kmip-endpoint", kmip.endpoint(), "--kmip-ca-file", kmip.caFile().toString(),
                "--kmip-client-cert", kmip.clientCertFile().toString());
    }

    /** {@code migrate --strategy rewrap} of every sandbox key, with its local key file, and the target's options. */
    private List<String> migrate(String... target) {
        List<String> args = new ArrayList<>(List.of("migrate", "--strategy", "rewrap", "--uri", info().mongodbUri(),
                "--local-key", info().localKeyFile().toString(), "--backup", dir.resolve("backup.json").toString(),
                "--report", dir.resolve("reports").toString(), "--yes"));
        args.addAll(List.of(target));
        return args;
    }

    private static String migrationId(CliRun run) {
        Matcher matcher = MIGRATION_ID.matcher(run.out());
        assertThat(matcher.find()).as("a migration id in:\n" + run.out()).isTrue();
        return matcher.group(1);
    }

    private Path newLocalKey(String name) {
        Path file = dir.resolve(name);
        assertThat(CliRun.keyshift("local-key", "new", file.toString()).exitCode()).isZero();
        return file;
    }

    private List<String> providers() {
        return stack.client().getDatabase("encryption").getCollection("__keyVault").find()
                .map(key -> key.get("masterKey", Document.class).getString("provider")).into(new ArrayList<>());
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
