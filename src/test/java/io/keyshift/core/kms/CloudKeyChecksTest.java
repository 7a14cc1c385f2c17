package io.keyshift.core.kms;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import io.keyshift.sandbox.emulator.ServiceAccountKey;
import io.keyshift.testing.CloudKmsEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.keyshift.core.kms.KmsCheck.Status.FAIL;
import static io.keyshift.core.kms.KmsCheck.Status.OK;
import static io.keyshift.core.kms.KmsCheck.Status.SKIPPED;
import static io.keyshift.core.kms.KmsCheck.Status.WARN;
import static org.assertj.core.api.Assertions.assertThat;

/** The Azure and GCP target checks against the emulators' good and faulty keys and principals. */
class CloudKeyChecksTest {

    private static CloudKmsEmulators emulators;
    private static Path dir;

    @BeforeAll
    static void startEmulators(@TempDir Path tempDir) {
        dir = tempDir;
        emulators = CloudKmsEmulators.start(dir);
    }

    @AfterAll
    static void stopEmulators() {
        emulators.close();
    }

    @Test
    void azureKeyAllowingWrapAndUnwrapPinnedToAVersionPassesEveryCheck() {
        String version = emulators.azure().keyVersion(CloudKmsEmulators.AZURE_KEY);
        try (AzureProvider provider = migrator(CloudKmsEmulators.AZURE_MIGRATOR.clientSecret())) {
            KmsCheckReport checks = check(provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, version));

            assertThat(checks.checks()).extracting(KmsCheck::status).containsExactly(OK, OK, OK, OK, OK, OK);
            assertThat(checks.reachable()).isTrue();
            assertThat(checks.detail("keyId")).hasValueSatisfying(kid -> assertThat(kid).endsWith("/" + version));
        }
    }

    @Test
    void azureKeyWithoutAPinnedVersionIsWarnedAboutRotation() {
        KmsCheckReport checks = azure(CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), CloudKmsEmulators.AZURE_KEY);

        assertThat(checks.passed()).isTrue();
        assertThat(line(checks, AzureKeyCheck.KEY_VERSION).status()).isEqualTo(WARN);
        assertThat(line(checks, AzureKeyCheck.KEY_VERSION).message()).contains("once keyshift-key is rotated")
                .contains("Give key version " + emulators.azure().keyVersion(CloudKmsEmulators.AZURE_KEY));
    }

    @Test
    void azureWrongClientSecretSaysWhichVariableToFix() {
        KmsCheckReport checks = azure("not-the-secret", CloudKmsEmulators.AZURE_KEY);

        assertThat(line(checks, AzureKeyCheck.CREDENTIALS).status()).isEqualTo(FAIL);
        assertThat(line(checks, AzureKeyCheck.CREDENTIALS).message()).contains("AZURE_CLIENT_SECRET").contains("Value");
        assertThat(checks.checks()).extracting(KmsCheck::status).containsExactly(FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
    }

    @Test
    void azureUnknownTenantSaysToCheckTheTenantId() {
        try (AzureProvider provider = AzureProvider.of("other-tenant", CloudKmsEmulators.AZURE_MIGRATOR.clientId(),
                CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), emulators.azure().endpoint(), emulators.caFile())) {
            KmsCheckReport checks = check(provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, null));
            assertThat(line(checks, AzureKeyCheck.CREDENTIALS).message()).contains("Tenant other-tenant was not found")
                    .contains("AZURE_TENANT_ID");
        }
    }

    @Test
    void azureMissingKeyIsNamed() {
        KmsCheckReport checks = azure(CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), "no-such-key");

        assertThat(line(checks, AzureKeyCheck.KEY_FOUND).status()).isEqualTo(FAIL);
        assertThat(line(checks, AzureKeyCheck.KEY_FOUND).message()).contains("has no key no-such-key");
        assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(SKIPPED);
    }

    @Test
    void azureDisabledExpiredAndSigningKeysFailWithWhatToChange() {
        String secret = CloudKmsEmulators.AZURE_MIGRATOR.clientSecret();

        KmsCheckReport disabled = azure(secret, CloudKmsEmulators.AZURE_DISABLED_KEY);
        assertThat(line(disabled, AzureKeyCheck.KEY_ENABLED).message()).contains("is disabled: enable its version");
        assertThat(line(disabled, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);

        KmsCheckReport expired = azure(secret, CloudKmsEmulators.AZURE_EXPIRED_KEY);
        assertThat(line(expired, AzureKeyCheck.KEY_ENABLED).message()).contains("expired on").contains("later expiration date");

        KmsCheckReport signing = azure(secret, CloudKmsEmulators.AZURE_SIGNING_KEY);
        assertThat(line(signing, AzureKeyCheck.KEY_OPERATIONS).status()).isEqualTo(FAIL);
        assertThat(line(signing, AzureKeyCheck.KEY_OPERATIONS).message()).contains("Wrap Key and Unwrap Key");
        assertThat(line(signing, AzureKeyCheck.ROUND_TRIP).message()).contains("does not allow wrapKey");
    }

    @Test
    void azureClientWithoutWrapPermissionIsToldWhichRoleToAssign() {
        try (AzureProvider provider = AzureProvider.of(CloudKmsEmulators.TENANT, CloudKmsEmulators.AZURE_READER.clientId(),
                CloudKmsEmulators.AZURE_READER.clientSecret(), emulators.azure().endpoint(), emulators.caFile())) {
            KmsCheckReport checks = check(provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, null));

            assertThat(line(checks, AzureKeyCheck.KEY_FOUND).status()).isEqualTo(OK);
            assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);
            assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).message()).contains("may not wrapKey").contains("Key Vault Crypto User");
        }
    }

    @Test
    void azureVaultThatDoesNotAnswerIsUnreachable() {
        try (AzureProvider provider = AzureProvider.withAccessToken("token", emulators.caFile())) {
            KmsCheckReport checks = check(provider.target("127.0.0.1:1", CloudKmsEmulators.AZURE_KEY, null));

            assertThat(checks.reachable()).isFalse();
            assertThat(line(checks, AzureKeyCheck.KEY_FOUND).message()).startsWith("Could not reach the key vault 127.0.0.1:1");
        }
    }

    @Test
    void gcpKeyFollowingItsPrimaryPassesEveryCheck() {
        KmsCheckReport checks = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_KEY, null);

        assertThat(checks.checks()).extracting(KmsCheck::status).containsExactly(OK, OK, OK, OK, OK, OK);
        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).message()).contains("follow the primary version (today 1)");
    }

    @Test
    void gcpPinnedVersionThatIsNotThePrimaryIsNamed() {
        KmsCheckReport checks = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_ROTATED_KEY, "1");

        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).status()).isEqualTo(WARN);
        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).message()).contains("Pinned to version 1, which is not the primary (2)");
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(OK);
    }

    @Test
    void gcpSigningKeyAndDisabledPrimaryFail() {
        KmsCheckReport signing = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_SIGNING_KEY, null);
        assertThat(line(signing, GcpKeyCheck.KEY_PURPOSE).message()).contains("has purpose ASYMMETRIC_SIGN");
        assertThat(line(signing, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(SKIPPED);

        KmsCheckReport disabled = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_DISABLED_KEY, null);
        assertThat(line(disabled, GcpKeyCheck.KEY_ENABLED).status()).isEqualTo(FAIL);
        assertThat(line(disabled, GcpKeyCheck.KEY_ENABLED).message()).contains("is DISABLED");
    }

    @Test
    void gcpAccountWithoutEncryptPermissionIsToldWhichRoleToGrant() {
        KmsCheckReport checks = gcp(emulators.viewerFile(), CloudKmsEmulators.GCP_KEY, null);

        assertThat(line(checks, GcpKeyCheck.KEY_FOUND).status()).isEqualTo(OK);
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).message()).contains("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    }

    @Test
    void gcpKeyFileWhoseKeyGoogleDoesNotKnowIsRefused() {
        Path impostor = dir.resolve("impostor.json");
        ServiceAccountKey.generate(emulators.encrypter().email()).writeJsonFile(impostor, CloudKmsEmulators.PROJECT,
                emulators.gcp().endpoint());

        KmsCheckReport checks = gcp(impostor, CloudKmsEmulators.GCP_KEY, null);

        assertThat(line(checks, GcpKeyCheck.CREDENTIALS).message()).contains("create a new JSON key");
        assertThat(checks.checks()).extracting(KmsCheck::status).containsExactly(FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
    }

    @Test
    void gcpMissingKeyIsNamed() {
        KmsCheckReport checks = gcp(emulators.encrypterFile(), "no-such-key", null);

        assertThat(line(checks, GcpKeyCheck.KEY_FOUND).message()).contains("There is no key projects/keyshift-project/")
                .contains("cryptoKeys/no-such-key");
    }

    private static AzureProvider migrator(String secret) {
        return AzureProvider.of(CloudKmsEmulators.TENANT, CloudKmsEmulators.AZURE_MIGRATOR.clientId(), secret,
                emulators.azure().endpoint(), emulators.caFile());
    }

    private static KmsCheckReport azure(String secret, String keyName) {
        try (AzureProvider provider = migrator(secret)) {
            return check(provider.target(emulators.azure().endpoint(), keyName, null));
        }
    }

    private static KmsCheckReport gcp(Path keyFile, String keyName, String version) {
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(keyFile, emulators.gcp().endpoint(), emulators.caFile())) {
            return check(provider.target(CloudKmsEmulators.PROJECT, CloudKmsEmulators.LOCATION,
                    CloudKmsEmulators.KEY_RING, keyName, version, emulators.gcp().endpoint()));
        }
    }

    private static KmsCheck line(KmsCheckReport report, KmsCheck.Name name) {
        return report.check(name).orElseThrow();
    }

    /** Through the one door the CLI and the wizard use; the key vault is only needed by KMIP's checks. */
    private static KmsCheckReport check(KmsTarget target) {
        return new TargetChecks(MongoClientSettings.builder().build(), new MongoNamespace("encryption.__keyVault"))
                .run(target, List.of());
    }
}
