package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.SourceProviders;

import java.util.List;

/** What the tests' pipelines open the sandbox's keys with: its local master key, as provider {@code local}. */
final class LocalSources {

    private LocalSources() {
    }

    static SourceProviders of(MongoClient client, String keyVaultNamespace, LocalMasterKey key) {
        return SourceProviders.forKeys(KeyVault.open(client, new MongoNamespace(keyVaultNamespace))
                .listAll(Filters.eq("masterKey.provider", "local"), 1000), List.of(LocalProvider.of("local", key, null)));
    }
}
