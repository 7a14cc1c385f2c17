package io.keyshift.core.kms;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck.Outcome;

import java.util.Iterator;
import java.util.List;

/**
 * The {@link KeyPreflight} of one local master key: its local data keys (plain or named, each given
 * this key) are checked, the others are reported as skipped.
 */
public final class LocalKeyPreflight {

    private final KeyPreflight preflight;

    public LocalKeyPreflight(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault) {
        this.preflight = new KeyPreflight(keyVaultClientSettings, keyVault);
    }

    /**
     * Checks every local key in {@code keys}; keys of other providers are reported as skipped.
     *
     * @throws MongoException when the cluster itself can't be reached (not a verdict on any key)
     */
    public PreflightReport check(LocalMasterKey masterKey, List<DataKey> keys) {
        List<DataKey> local = keys.stream().filter(key -> key.masterKey().isLocal()).toList();
        List<KeyCheck> checked = List.of();
        if (!local.isEmpty()) {
            try (LocalProvider provider = LocalProvider.of(ProviderType.LOCAL.wireName(), masterKey, null);
                 SourceProviders sources = SourceProviders.forKeys(local, List.of(provider))) {
                checked = preflight.check(sources, local).checks();
            }
        }
        Iterator<KeyCheck> inOrder = checked.iterator();
        return new PreflightReport(keys.stream().map(key -> key.masterKey().isLocal() ? inOrder.next()
                : new KeyCheck(key.id(), key.masterKey().provider(), Outcome.SKIPPED,
                        "wrapped by " + key.masterKey().provider() + ", not by a local master key")).toList());
    }
}
