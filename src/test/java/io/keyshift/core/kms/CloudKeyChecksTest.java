package io.keyshift.core.kms;

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
    void azureKeyAllowingWrapAndUnwrapPassesEveryCheck() {
        CheckList checks = azure(CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), CloudKmsEmulators.AZURE_KEY);

        assertThat(checks.lines()).extracting(CheckList.Line::status).containsExactly(OK, OK, OK, OK, OK);
        assertThat(checks.reachable()).isTrue();
    }

    @Test
    void azureWrongClientSecretSaysWhichVariableToFix() {
        CheckList checks = azure("not-the-secret", CloudKmsEmulators.AZURE_KEY);

        assertThat(line(checks, AzureKeyCheck.CREDENTIALS).status()).isEqualTo(FAIL);
        assertThat(line(checks, AzureKeyCheck.CREDENTIALS).message()).contains("AZURE_CLIENT_SECRET").contains("Value");
        assertThat(checks.lines()).extracting(CheckList.Line::status).containsExactly(FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
    }

    @Test
    void azureUnknownTenantSaysToCheckTheTenantId() {
        try (AzureProvider provider = AzureProvider.of("other-tenant", CloudKmsEmulators.AZURE_MIGRATOR.clientId(),
                CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), emulators.azure().endpoint(), emulators.caFile())) {
            CheckList checks = AzureKeyCheck.run(provider, provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, null).masterKey());
            assertThat(line(checks, AzureKeyCheck.CREDENTIALS).message()).contains("Tenant other-tenant was not found")
                    .contains("AZURE_TENANT_ID");
        }
    }

    @Test
    void azureMissingKeyIsNamed() {
        CheckList checks = azure(CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), "no-such-key");

        assertThat(line(checks, AzureKeyCheck.KEY_FOUND).status()).isEqualTo(FAIL);
        assertThat(line(checks, AzureKeyCheck.KEY_FOUND).message()).contains("has no key no-such-key");
        assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(SKIPPED);
    }

    @Test
    void azureDisabledExpiredAndSigningKeysFailWithWhatToChange() {
        String secret = CloudKmsEmulators.AZURE_MIGRATOR.clientSecret();

        CheckList disabled = azure(secret, CloudKmsEmulators.AZURE_DISABLED_KEY);
        assertThat(line(disabled, AzureKeyCheck.KEY_ENABLED).message()).contains("is disabled: enable its version");
        assertThat(line(disabled, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);

        CheckList expired = azure(secret, CloudKmsEmulators.AZURE_EXPIRED_KEY);
        assertThat(line(expired, AzureKeyCheck.KEY_ENABLED).message()).contains("expired on").contains("later expiration date");

        CheckList signing = azure(secret, CloudKmsEmulators.AZURE_SIGNING_KEY);
        assertThat(line(signing, AzureKeyCheck.KEY_OPERATIONS).status()).isEqualTo(FAIL);
        assertThat(line(signing, AzureKeyCheck.KEY_OPERATIONS).message()).contains("Wrap Key and Unwrap Key");
        assertThat(line(signing, AzureKeyCheck.ROUND_TRIP).message()).contains("does not allow wrapKey");
    }

    @Test
    void azureClientWithoutWrapPermissionIsToldWhichRoleToAssign() {
        try (AzureProvider provider = AzureProvider.of(CloudKmsEmulators.TENANT, CloudKmsEmulators.AZURE_READER.clientId(),
                CloudKmsEmulators.AZURE_READER.clientSecret(), emulators.azure().endpoint(), emulators.caFile())) {
            CheckList checks = AzureKeyCheck.run(provider, provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, null).masterKey());

            assertThat(line(checks, AzureKeyCheck.KEY_FOUND).status()).isEqualTo(OK);
            assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);
            assertThat(line(checks, AzureKeyCheck.ROUND_TRIP).message()).contains("may not wrapKey").contains("Key Vault Crypto User");
        }
    }

    @Test
    void azureVaultThatDoesNotAnswerIsUnreachable() {
        try (AzureProvider provider = AzureProvider.withAccessToken("token", emulators.caFile())) {
            CheckList checks = AzureKeyCheck.run(provider, provider.target("127.0.0.1:1", CloudKmsEmulators.AZURE_KEY, null).masterKey());

            assertThat(checks.reachable()).isFalse();
            assertThat(line(checks, AzureKeyCheck.KEY_FOUND).message()).startsWith("Could not reach the key vault 127.0.0.1:1");
        }
    }

    @Test
    void gcpKeyFollowingItsPrimaryPassesEveryCheck() {
        CheckList checks = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_KEY, null);

        assertThat(checks.lines()).extracting(CheckList.Line::status).containsExactly(OK, OK, OK, OK, OK, OK);
        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).message()).contains("follow the primary version (today 1)");
    }

    @Test
    void gcpPinnedVersionThatIsNotThePrimaryIsNamed() {
        CheckList checks = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_ROTATED_KEY, "1");

        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).status()).isEqualTo(WARN);
        assertThat(line(checks, GcpKeyCheck.KEY_VERSION).message()).contains("Pinned to version 1, which is not the primary (2)");
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(OK);
    }

    @Test
    void gcpSigningKeyAndDisabledPrimaryFail() {
        CheckList signing = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_SIGNING_KEY, null);
        assertThat(line(signing, GcpKeyCheck.KEY_PURPOSE).message()).contains("has purpose ASYMMETRIC_SIGN");
        assertThat(line(signing, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(SKIPPED);

        CheckList disabled = gcp(emulators.encrypterFile(), CloudKmsEmulators.GCP_DISABLED_KEY, null);
        assertThat(line(disabled, GcpKeyCheck.KEY_ENABLED).status()).isEqualTo(FAIL);
        assertThat(line(disabled, GcpKeyCheck.KEY_ENABLED).message()).contains("is DISABLED");
    }

    @Test
    void gcpAccountWithoutEncryptPermissionIsToldWhichRoleToGrant() {
        CheckList checks = gcp(emulators.viewerFile(), CloudKmsEmulators.GCP_KEY, null);

        assertThat(line(checks, GcpKeyCheck.KEY_FOUND).status()).isEqualTo(OK);
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).status()).isEqualTo(FAIL);
        assertThat(line(checks, GcpKeyCheck.ROUND_TRIP).message()).contains("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    }

    @Test
    void gcpKeyFileWhoseKeyGoogleDoesNotKnowIsRefused() {
        Path impostor = dir.resolve("impostor.json");
        ServiceAccountKey.generate(emulators.encrypter().email()).writeJsonFile(impostor, CloudKmsEmulators.PROJECT,
                emulators.gcp().endpoint());

        CheckList checks = gcp(impostor, CloudKmsEmulators.GCP_KEY, null);

        assertThat(line(checks, GcpKeyCheck.CREDENTIALS).message()).contains("create a new JSON key");
        assertThat(checks.lines()).extracting(CheckList.Line::status).containsExactly(FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
    }

    @Test
    void gcpMissingKeyIsNamed() {
        CheckList checks = gcp(emulators.encrypterFile(), "no-such-key", null);

        assertThat(line(checks, GcpKeyCheck.KEY_FOUND).message()).contains("There is no key projects/keyshift-project/")
                .contains("cryptoKeys/no-such-key");
    }

    private static CheckList azure(String secret, String keyName) {
        try (AzureProvider provider = AzureProvider.of(CloudKmsEmulators.TENANT, CloudKmsEmulators.AZURE_MIGRATOR.clientId(),
                secret, emulators.azure().endpoint(), emulators.caFile())) {
            return AzureKeyCheck.run(provider, provider.target(emulators.azure().endpoint(), keyName, null).masterKey());
        }
    }

    private static CheckList gcp(Path keyFile, String keyName, String version) {
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(keyFile, emulators.gcp().endpoint(), emulators.caFile())) {
            return GcpKeyCheck.run(provider, provider.target(CloudKmsEmulators.PROJECT, CloudKmsEmulators.LOCATION,
                    CloudKmsEmulators.KEY_RING, keyName, version, emulators.gcp().endpoint()).masterKey());
        }
    }

    private static CheckList.Line line(CheckList checks, String id) {
        List<CheckList.Line> lines = checks.lines();
        return lines.stream().filter(line -> line.id().equals(id)).findFirst().orElseThrow();
    }
}
