package io.keyshift.core.crypto;

import com.mongodb.ClientEncryptionSettings;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;

import javax.net.ssl.SSLContext;
import java.util.Map;

/**
 * Builds the driver's {@link ClientEncryption} for any set of KMS providers: the local key for a
 * preflight, the AWS CMK for a rewrap, both for a re-key. The caller owns the returned instance and
 * closes it; the provider maps are read once and may be wiped after this returns.
 */
public final class ClientEncryptions {

    private ClientEncryptions() {
    }

    /**
     * @param keyVaultClientSettings how to reach the cluster holding the key vault
     * @param keyVault               the key vault namespace, e.g. {@code encryption.__keyVault}
     * @param kmsProviders           provider name ({@code local}, {@code local:old}, {@code aws:prod}, …)
     *                               to that provider's properties, as the driver expects them
     * @param kmsProviderSslContexts optional TLS context per provider name (a custom CA for a KMS
     *                               endpoint); empty when the JVM's default trust applies
     */
    public static ClientEncryption create(MongoClientSettings keyVaultClientSettings,
                                          MongoNamespace keyVault,
                                          Map<String, Map<String, Object>> kmsProviders,
                                          Map<String, SSLContext> kmsProviderSslContexts) {
        if (kmsProviders.isEmpty()) {
            throw new IllegalArgumentException("at least one KMS provider is required");
        }
        ClientEncryptionSettings settings = ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(keyVaultClientSettings)
                .keyVaultNamespace(keyVault.getFullName())
                .kmsProviders(kmsProviders)
                .kmsProviderSslContextMap(kmsProviderSslContexts)
                .build();
        try {
            return com.mongodb.client.vault.ClientEncryptions.create(settings);
        } catch (MongoException | LinkageError e) {
            throw new KeyShiftException("Could not start client-side encryption for " + kmsProviders.keySet()
                    + " (" + e.getMessage() + "): check that this KeyShift build includes libmongocrypt"
                    + " for your operating system.", e);
        }
    }

    public static ClientEncryption create(MongoClientSettings keyVaultClientSettings,
                                          MongoNamespace keyVault,
                                          Map<String, Map<String, Object>> kmsProviders) {
        return create(keyVaultClientSettings, keyVault, kmsProviders, Map.of());
    }
}
