package io.keyshift.ui.target;

import io.keyshift.core.kms.AzureProvider;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Azure Key Vault form of the Target KMS page: the vault and key, an optional identity platform and
 * CA, and the service principal (the client secret typed in or taken from the environment, never stored),
 * or instead an access token pasted in (never stored either).
 * FX thread only.
 */
public final class AzureTargetForm implements TargetForm {

    private final StringProperty keyVaultEndpoint = new SimpleStringProperty("");
    private final StringProperty keyName = new SimpleStringProperty("");
    private final StringProperty keyVersion = new SimpleStringProperty("");
    private final StringProperty identityPlatformEndpoint = new SimpleStringProperty("");
    private final StringProperty caFile = new SimpleStringProperty("");
    private final StringProperty tenantId = new SimpleStringProperty("");
    private final StringProperty clientId = new SimpleStringProperty("");
    private final StringProperty clientSecret = new SimpleStringProperty("");
    private final StringProperty accessToken = new SimpleStringProperty("");

    /** Starts with the service principal the environment names (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET). */
    AzureTargetForm(Map<String, String> environment) {
        tenantId.set(environment.getOrDefault(AzureProvider.TENANT_ID_VARIABLE, ""));
        clientId.set(environment.getOrDefault(AzureProvider.CLIENT_ID_VARIABLE, ""));
        clientSecret.set(environment.getOrDefault(AzureProvider.CLIENT_SECRET_VARIABLE, ""));
    }

    @Override
    public Building target() {
        String tenant = tenantId.get();
        String client = clientId.get();
        String secret = clientSecret.get();
        String token = accessToken.get();
        String identity = identityPlatformEndpoint.get();
        Path ca = TargetForm.pathOrNull(caFile);
        String vault = keyVaultEndpoint.get();
        String key = keyName.get();
        String version = keyVersion.get();
        return () -> {
            AzureProvider provider = AzureProvider.tokenOrPrincipal(token, tenant, client, secret, identity, ca);
            try {
                return provider.target(vault, key, version);
            } catch (RuntimeException e) {
                provider.close();
                throw e;
            }
        };
    }

    @Override
    public List<Observable> fields() {
        return List.of(keyVaultEndpoint, keyName, keyVersion, identityPlatformEndpoint, caFile, tenantId, clientId, clientSecret,
                accessToken);
    }

    /** Fills the fields from a sandbox: its Key Vault emulator, its key and its migrator's throwaway principal. */
    public void prefill(String vault, String key, String identity, Path ca, String tenant, String client, String secret) {
        keyVaultEndpoint.set(vault);
        keyName.set(key);
        keyVersion.set("");
        identityPlatformEndpoint.set(identity);
        caFile.set(ca.toString());
        tenantId.set(tenant);
        clientId.set(client);
        clientSecret.set(secret);
    }

    /** Forgets the typed secret and token, e.g. when the wizard closes. */
    void clearSecret() {
        clientSecret.set("");
        accessToken.set("");
    }

    public StringProperty keyVaultEndpointProperty() {
        return keyVaultEndpoint;
    }

    public StringProperty keyNameProperty() {
        return keyName;
    }

    public StringProperty keyVersionProperty() {
        return keyVersion;
    }

    public StringProperty identityPlatformEndpointProperty() {
        return identityPlatformEndpoint;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public StringProperty tenantIdProperty() {
        return tenantId;
    }

    public StringProperty clientIdProperty() {
        return clientId;
    }

    public StringProperty clientSecretProperty() {
        return clientSecret;
    }

    public StringProperty accessTokenProperty() {
        return accessToken;
    }
}
