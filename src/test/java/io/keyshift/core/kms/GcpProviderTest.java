package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.emulator.ServiceAccountKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcpProviderTest {

    private static final ServiceAccountKey ACCOUNT = ServiceAccountKey.generate("csfle@my-project.iam.gserviceaccount.com");

    @TempDir
    Path dir;

    @Test
    void serviceAccountKeyFileFillsTheKmsProvidersEntry() {
        Path file = keyFile();
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(file, null, null)) {
            Map<String, Object> entry = provider.kmsProviderEntry();
            assertThat(entry).containsEntry("email", "csfle@my-project.iam.gserviceaccount.com").doesNotContainKey("endpoint");
            assertThat((byte[]) entry.get("privateKey")).isEqualTo(ACCOUNT.keyPair().getPrivate().getEncoded());
            assertThat(provider.describe()).isEqualTo("gcp (service account csfle@my-project.iam.gserviceaccount.com, key file "
                    + file + ")");
        }
    }

    @Test
    void closingTheKmsProvidersWipesTheDriversCopyOfThePrivateKey() {
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(keyFile(), null, null)) {
            KmsProviders providers = new KmsProviders().with(provider);
            byte[] copy = (byte[]) providers.properties().get("gcp").get("privateKey");

            providers.close();

            assertThat(copy).containsOnly((byte) 0);
            assertThat((byte[]) provider.kmsProviderEntry().get("privateKey")).isEqualTo(ACCOUNT.keyPair().getPrivate().getEncoded());
        }
    }

    @Test
    void googleApplicationCredentialsNamesTheKeyFile() {
        Path file = keyFile();
        try (GcpProvider provider = GcpProvider.fromEnvironment(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()),
                "oauth2.example.net:8443", null)) {
            assertThat(provider.kmsProviderEntry()).containsEntry("endpoint", "oauth2.example.net:8443");
        }
        assertThatThrownBy(() -> GcpProvider.fromEnvironment(Map.of(), null, null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
    }

    @Test
    void keyFileWhoseTokenUriIsNotGooglesNamesTheTokenEndpoint() {
        Path file = dir.resolve("private.json");
        ACCOUNT.writeJsonFile(file, "my-project", "oauth2.internal.example:8443");
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(file, null, null)) {
            assertThat(provider.tokenEndpoint()).isEqualTo("oauth2.internal.example:8443");
        }
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(file, "oauth2.other.example", null)) {
            assertThat(provider.tokenEndpoint()).isEqualTo("oauth2.other.example");
        }
    }

    @Test
    void userCredentialsFileIsRefusedWithWhatToGiveInstead() throws Exception {
        Path file = dir.resolve("adc.json");
        Files.writeString(file, "{\"type\": \"authorized_user\", \"client_id\": \"x\", \"refresh_token\": \"y\"}");
        assertThatThrownBy(() -> GcpProvider.fromCredentialsFile(file, null, null))
                .hasMessageContaining("is not a service-account key file")
                .hasMessageContaining("Add key");
    }

    @Test
    void missingOrDamagedKeyFileIsRefused() throws Exception {
        assertThatThrownBy(() -> GcpProvider.fromCredentialsFile(dir.resolve("nowhere.json"), null, null))
                .hasMessageContaining("does not exist");
        Path damaged = dir.resolve("damaged.json");
        Files.writeString(damaged, "{\"type\": \"service_account\", \"client_email\": \"a@b\","
                + " \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}");
        assertThatThrownBy(() -> GcpProvider.fromCredentialsFile(damaged, null, null))
                .hasMessageContaining("is not an RSA private key");
    }

    @Test
    void targetHoldsTheKeyCoordinatesAndOptionalVersionAndEndpoint() {
        try (GcpProvider provider = GcpProvider.withAccessToken("token", null)) {
            KmsTarget target = provider.target("my-project", "europe-west1", "csfle", "master", "3", "https://kms.example.net/");
            assertThat(target.masterKey().toJson()).isEqualTo("{\"projectId\": \"my-project\", \"location\": \"europe-west1\","
                    + " \"keyRing\": \"csfle\", \"keyName\": \"master\", \"keyVersion\": \"3\", \"endpoint\": \"kms.example.net\"}");
            assertThat(provider.kmsProviderEntry()).containsOnlyKeys("accessToken");
        }
    }

    @Test
    void targetRefusesWhatCannotGoIntoTheKeysResourceName() {
        try (GcpProvider provider = GcpProvider.withAccessToken("token", null)) {
            assertThatThrownBy(() -> provider.target("my-project", "global", "my ring", "master", null, null))
                    .hasMessageContaining("is not a Cloud KMS key ring");
            assertThatThrownBy(() -> provider.target("my-project", "global", "ring", "master", "latest", null))
                    .hasMessageContaining("is not a Cloud KMS key version");
        }
    }

    private Path keyFile() {
        Path file = dir.resolve("key.json");
        ACCOUNT.writeJsonFile(file, "my-project", "oauth2.googleapis.com");
        return file;
    }
}
