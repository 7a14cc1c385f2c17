package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureProviderTest {

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "AZURE_TENANT_ID", "contoso.onmicrosoft.com",
            "AZURE_CLIENT_ID", "6f1c2a44-8f1e-4c1a-9d8e-0a1b2c3d4e5f",
            "AZURE_CLIENT_SECRET", "Abc8Q~secret.value_1-2");

    @Test
    void clientCredentialsFromTheEnvironmentFillTheKmsProvidersEntry() {
        try (AzureProvider provider = AzureProvider.fromEnvironment(ENVIRONMENT, "https://login.example.net/", null)) {
            assertThat(provider.kmsProviderEntry()).containsEntry("tenantId", "contoso.onmicrosoft.com")
                    .containsEntry("clientId", "6f1c2a44-8f1e-4c1a-9d8e-0a1b2c3d4e5f")
                    .containsEntry("clientSecret", "Abc8Q~secret.value_1-2")
                    .containsEntry("identityPlatformEndpoint", "login.example.net");
            assertThat(provider.name()).isEqualTo("azure");
            assertThat(provider.sslContext()).isEmpty();
        }
    }

    @Test
    void describeAndToStringNeverShowTheSecret() {
        try (AzureProvider provider = AzureProvider.fromEnvironment(ENVIRONMENT, null, null)) {
            assertThat(provider.describe()).isEqualTo("azure (client 6f1c2a44-8f1e-4c1a-9d8e-0a1b2c3d4e5f in tenant contoso.onmicrosoft.com)");
            assertThat(provider.toString()).doesNotContain("secret.value");
            assertThat(provider.named("azure:next").describe()).startsWith("azure:next (client ");
        }
    }

    @Test
    void missingSecretNamesTheVariableToSet() {
        assertThatThrownBy(() -> AzureProvider.of("tenant", "client", "", null, null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("AZURE_CLIENT_SECRET");
        assertThatThrownBy(() -> AzureProvider.of(" ", "client", "secret", null, null))
                .hasMessageContaining("AZURE_TENANT_ID");
    }

    @Test
    void secretWithACharacterTheDriversSendUnencodedIsRefused() {
        assertThatThrownBy(() -> AzureProvider.of("tenant", "client", "a&b+c", null, null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("create a new client secret");
    }

    @Test
    void plainHttpIdentityEndpointIsRefused() {
        assertThatThrownBy(() -> AzureProvider.of("tenant", "client", "secret", "http://login.example.net", null))
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void targetTrimsAPastedVaultUrlAndKeepsAnOptionalVersion() {
        try (AzureProvider provider = AzureProvider.withAccessToken("token", null)) {
            KmsTarget target = provider.target("https://my-vault.vault.azure.net/", "csfle-master", null);
            assertThat(target.masterKey().toJson()).isEqualTo(
                    "{\"keyVaultEndpoint\": \"my-vault.vault.azure.net\", \"keyName\": \"csfle-master\"}");
            assertThat(provider.target("my-vault.vault.azure.net", "csfle-master", "0123456789abcdef0123456789abcdef")
                    .masterKey().getString("keyVersion").getValue()).isEqualTo("0123456789abcdef0123456789abcdef");
            assertThat(provider.kmsProviderEntry()).containsOnlyKeys("accessToken");
        }
    }

    @Test
    void targetRefusesAKeyNameTheVaultCannotHold() {
        try (AzureProvider provider = AzureProvider.withAccessToken("token", null)) {
            assertThatThrownBy(() -> provider.target("my-vault.vault.azure.net", "my key", null))
                    .hasMessageContaining("is not an Azure key name");
            assertThatThrownBy(() -> provider.target("", "key", null))
                    .hasMessageContaining("No key vault endpoint");
        }
    }
}
