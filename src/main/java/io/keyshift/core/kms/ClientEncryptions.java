package io.keyshift.core.kms;

import com.mongodb.ClientEncryptionSettings;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;

import java.util.Set;

/**
 * Builds the driver's {@link ClientEncryption} for any set of KMS providers: the source's for a
 * preflight, the target's for verification, both for a rewrap; never with a libmongocrypt that
 * corrupts rewraps ({@link Libmongocrypt}). The caller owns the returned instance and
 * closes it, and wipes any key copies in the provider maps only after closing it.
 */
public final class ClientEncryptions {

    private ClientEncryptions() {
    }

    /**
     * A ClientEncryption knowing exactly the given providers. The driver reads the providers again
     * whenever it needs credentials, so close the providers (wiping the local keys' copies) only
     * after the ClientEncryption.
     */
    public static ClientEncryption create(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault,
                                          KmsProviders providers) {
        Libmongocrypt.requireSafe();
        ClientEncryptionSettings settings = ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(keyVaultClientSettings)
                .keyVaultNamespace(keyVault.getFullName())
                .kmsProviders(providers.properties())
                .kmsProviderPropertySuppliers(providers.suppliers())
                .kmsProviderSslContextMap(providers.sslContexts())
                .build();
        return create(settings, providers.properties().keySet());
    }

    private static ClientEncryption create(ClientEncryptionSettings settings, Set<String> providerNames) {
        try {
            return com.mongodb.client.vault.ClientEncryptions.create(settings);
        } catch (MongoException | LinkageError e) {
            throw new KeyShiftException("Could not start client-side encryption for " + providerNames
                    + " (" + e.getMessage() + "): check that this KeyShift build includes libmongocrypt"
                    + " for your operating system.", e);
        }
    }
}
