package io.keyshift.core.kms;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck.Outcome;
import org.bson.BsonBinary;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves, key by key, that data keys decrypt under a local master key: through a ClientEncryption
 * that knows only that key, a probe value is encrypted with each data key and decrypted back.
 * Encrypting needs the data key's material, which libmongocrypt unwraps with the master key and
 * authenticates with an HMAC, so a wrong master key fails here instead of mid-migration.
 */
public final class LocalKeyPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKeyPreflight.class);
    private static final String PROBE_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    private static final BsonString PROBE = new BsonString("keyshift preflight");
    private static final String WRONG_FILE = "does not decrypt under this local master key (HMAC check failed): the key"
            + " file is not the one this data key was made with";

    private final MongoClientSettings keyVaultClientSettings;
    private final MongoNamespace keyVault;

    public LocalKeyPreflight(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault) {
        this.keyVaultClientSettings = keyVaultClientSettings;
        this.keyVault = keyVault;
    }

    /**
     * Checks every local key in {@code keys}; keys of other providers are reported as skipped.
     * Named local providers ({@code local:old}) are each given this same master key.
     *
     * @throws MongoException when the cluster itself can't be reached (not a verdict on any key)
     */
    public PreflightReport check(LocalMasterKey masterKey, List<DataKey> keys) {
        Set<String> localProviders = new LinkedHashSet<>();
        keys.stream().filter(key -> key.masterKey().isLocal()).forEach(key -> localProviders.add(key.masterKey().provider()));
        List<KeyCheck> checks = new ArrayList<>(keys.size());
        if (localProviders.isEmpty()) {
            keys.forEach(key -> checks.add(skipped(key)));
            return new PreflightReport(checks);
        }
        KmsProviders providers = new KmsProviders();
        localProviders.forEach(name -> providers.withLocal(name, masterKey));
        try (providers; ClientEncryption encryption = ClientEncryptions.create(keyVaultClientSettings, keyVault, providers)) {
            for (DataKey key : keys) {
                checks.add(key.masterKey().isLocal() ? check(encryption, key) : skipped(key));
            }
        }
        return new PreflightReport(blameMaterialWhenTheFileOpensOthers(checks));
    }

    /**
     * A key file that opens some keys of a provider is the right file for that provider: a key of the
     * same provider that fails its HMAC check then most likely has damaged key material.
     */
    private static List<KeyCheck> blameMaterialWhenTheFileOpensOthers(List<KeyCheck> checks) {
        return checks.stream().map(check -> {
            if (check.outcome() != Outcome.FAILS || !check.reason().equals(WRONG_FILE)) {
                return check;
            }
            long opened = checks.stream()
                    .filter(other -> other.outcome() == Outcome.OK && other.provider().equals(check.provider())).count();
            return opened == 0 ? check : new KeyCheck(check.keyId(), check.provider(), Outcome.FAILS,
                    "the HMAC check failed, yet the same key file opens " + opened + " other key(s) of"
                    + " provider " + check.provider() + ": this key's material looks damaged (or it was made with"
                    + " another master key). Restore it from a backup of the key vault, or leave it out of the selection.");
        }).toList();
    }

    private static KeyCheck check(ClientEncryption encryption, DataKey key) {
        try {
            BsonBinary ciphertext = encryption.encrypt(PROBE, new EncryptOptions(PROBE_ALGORITHM).keyId(new BsonBinary(key.id())));
            BsonValue roundTrip = encryption.decrypt(ciphertext);
            if (!PROBE.equals(roundTrip)) {
                return new KeyCheck(key.id(), key.masterKey().provider(), Outcome.FAILS,
                        "a probe value did not decrypt back to itself");
            }
            return new KeyCheck(key.id(), key.masterKey().provider(), Outcome.OK, "");
        } catch (MongoTimeoutException | MongoSocketException unreachable) {
            throw unreachable;
        } catch (MongoException e) {
            LOG.info("Preflight of data key {} failed: {}", key.id(), e.getMessage());
            return new KeyCheck(key.id(), key.masterKey().provider(), Outcome.FAILS, reason(e));
        }
    }

    private static String reason(MongoException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("HMAC validation failure")) {
            return WRONG_FILE;
        }
        if (message.contains("not all keys requested were satisfied") || message.contains("could not find key")) {
            return "the key vault has no data key with this id";
        }
        return message;
    }

    private static KeyCheck skipped(DataKey key) {
        return new KeyCheck(key.id(), key.masterKey().provider(), Outcome.SKIPPED,
                "wrapped by " + key.masterKey().provider() + ", not by a local master key");
    }
}
