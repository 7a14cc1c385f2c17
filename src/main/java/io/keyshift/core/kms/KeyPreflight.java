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

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Proves, key by key, that data keys open under their providers: through a ClientEncryption that knows
 * only the source providers, a probe value is encrypted with each data key and decrypted back (for keys
 * under local master keys, in process from one batched read of the key vault: {@link PrefetchedLocalKeys}).
 * Encrypting needs the data key's material, which libmongocrypt unwraps with the master key (a local
 * key file checked by an HMAC, a KMS Decrypt for aws, kmip, azure and gcp), so a wrong or unusable
 * master key fails here instead of mid-migration. A key whose provider was given nothing fails with a
 * sentence saying what to give.
 */
public final class KeyPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(KeyPreflight.class);
    private static final String PROBE_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    private static final BsonString PROBE = new BsonString("keyshift preflight");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP status=(\\d+)");
    private static final String WRONG_FILE = "does not decrypt under this local master key (HMAC check failed): the key"
            + " file is not the one this data key was made with";

    private static final String DAMAGED_KEY_ADVICE = "Restore it from a backup of the key vault, or leave it out of"
            + " the selection.";

    private final MongoClientSettings keyVaultClientSettings;
    private final MongoNamespace keyVault;
    private final String damagedKeyAdvice;

    public KeyPreflight(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault) {
        this(keyVaultClientSettings, keyVault, DAMAGED_KEY_ADVICE);
    }

    /** @param damagedKeyAdvice what to do about a key whose material looks damaged, a sentence */
    public KeyPreflight(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault, String damagedKeyAdvice) {
        this.keyVaultClientSettings = keyVaultClientSettings;
        this.keyVault = keyVault;
        this.damagedKeyAdvice = damagedKeyAdvice;
    }

    /**
     * Checks every key in {@code keys} under the provider of its name in {@code sources}.
     *
     * @throws MongoException when the cluster itself can't be reached (not a verdict on any key)
     */
    public PreflightReport check(SourceProviders sources, List<DataKey> keys) {
        List<KeyCheck> checks = new ArrayList<>(keys.size());
        if (sources.providers().isEmpty()) {
            keys.forEach(key -> checks.add(missing(sources, key)));
            return new PreflightReport(checks);
        }
        // One unreachable KMS would otherwise cost a connection timeout per key.
        Map<String, String> unreachable = new ConcurrentHashMap<>();
        Map<String, KmsProvider> localProviders = new HashMap<>();
        sources.providers().forEach((name, provider) -> {
            if (provider.type() == ProviderType.LOCAL) {
                localProviders.put(name, provider);
            }
        });
        List<UUID> localKeys = keys.stream().filter(key -> localProviders.containsKey(key.masterKey().provider()))
                .map(DataKey::id).toList();
        boolean otherKeys = keys.stream().anyMatch(key -> !localProviders.containsKey(key.masterKey().provider())
                && sources.provider(key.masterKey().provider()).isPresent());
        try (KmsProviders providers = sources.kmsProviders();
             ClientEncryption encryption = otherKeys ? ClientEncryptions.create(keyVaultClientSettings, keyVault, providers) : null;
             PrefetchedLocalKeys local = localKeys.isEmpty() ? null
                     : PrefetchedLocalKeys.read(keyVaultClientSettings, keyVault, localKeys, localProviders)) {
            RoundTrip throughTheDriver = id -> encryption.decrypt(encryption.encrypt(PROBE,
                    new EncryptOptions(PROBE_ALGORITHM).keyId(new BsonBinary(id))));
            RoundTrip inProcess = id -> local.roundTrip(id, PROBE, PROBE_ALGORITHM);
            // Local keys cost CPU only (libmongocrypt is thread-safe across contexts): probed on every core.
            KeyCheck[] localChecks = new KeyCheck[keys.size()];
            IntStream.range(0, keys.size()).parallel()
                    .filter(i -> localProviders.containsKey(keys.get(i).masterKey().provider()))
                    .forEach(i -> localChecks[i] = check(inProcess, keys.get(i), unreachable));
            for (int i = 0; i < keys.size(); i++) {
                DataKey key = keys.get(i);
                String provider = key.masterKey().provider();
                if (localChecks[i] != null) {
                    checks.add(localChecks[i]);
                } else if (sources.provider(provider).isEmpty()) {
                    checks.add(missing(sources, key));
                } else if (unreachable.containsKey(provider)) {
                    checks.add(new KeyCheck(key.id(), provider, Outcome.FAILS, "not tried: " + unreachable.get(provider)));
                } else {
                    checks.add(check(throughTheDriver, key, unreachable));
                }
            }
        }
        return new PreflightReport(blameMaterialWhenTheFileOpensOthers(checks));
    }

    private static KeyCheck missing(SourceProviders sources, DataKey key) {
        String provider = key.masterKey().provider();
        return new KeyCheck(key.id(), provider, Outcome.FAILS, sources.missing().get(provider));
    }

    /**
     * A key file that opens some keys of a provider is the right file for that provider: a key of the
     * same provider that fails its HMAC check then most likely has damaged key material.
     */
    private List<KeyCheck> blameMaterialWhenTheFileOpensOthers(List<KeyCheck> checks) {
        return checks.stream().map(check -> {
            if (check.outcome() != Outcome.FAILS || !check.reason().equals(WRONG_FILE)) {
                return check;
            }
            long opened = checks.stream()
                    .filter(other -> other.outcome() == Outcome.OK && other.provider().equals(check.provider())).count();
            return opened == 0 ? check : new KeyCheck(check.keyId(), check.provider(), Outcome.FAILS,
                    "the HMAC check failed, yet the same key file opens " + opened + " other key(s) of"
                    + " provider " + check.provider() + ": this key's material looks damaged (or it was made with"
                    + " another master key). " + damagedKeyAdvice);
        }).toList();
    }

    /** The probe encrypted with a data key and decrypted back. */
    private interface RoundTrip {
        BsonValue of(UUID keyId);
    }

    private static KeyCheck check(RoundTrip roundTrip, DataKey key, Map<String, String> unreachable) {
        String provider = key.masterKey().provider();
        try {
            if (!PROBE.equals(roundTrip.of(key.id()))) {
                return new KeyCheck(key.id(), provider, Outcome.FAILS, "a probe value did not decrypt back to itself");
            }
            return new KeyCheck(key.id(), provider, Outcome.OK, "");
        } catch (MongoTimeoutException | MongoSocketException clusterUnreachable) {
            throw clusterUnreachable;
        } catch (MongoException e) {
            LOG.info("Preflight of data key {} under {} failed", key.id(), provider, e);
            Optional<String> kmsUnreachable = kmsUnreachable(e, provider);
            kmsUnreachable.ifPresent(sentence -> unreachable.put(provider, sentence));
            return new KeyCheck(key.id(), provider, Outcome.FAILS, kmsUnreachable.orElseGet(() -> reason(e, key)));
        }
    }

    /** A sentence when the KMS itself could not be reached or spoken to over TLS, which no other key would change. */
    private static Optional<String> kmsUnreachable(MongoException e, String provider) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return Optional.of("TLS with the KMS of provider " + provider + " failed (" + cause.getMessage()
                        + "): check the CA file given for it, and for KMIP the client certificate");
            }
            if (cause instanceof IOException || cause instanceof MongoSocketException) {
                return Optional.of("the KMS of provider " + provider + " could not be reached (" + cause.getMessage()
                        + "): check its endpoint, the network, and that the server is running");
            }
        }
        return Optional.empty();
    }

    /** The driver quotes KMS's whole error response; its code and HTTP status are what a DBA can act on. */
    private static String awsError(String message) {
        Matcher status = HTTP_STATUS.matcher(message);
        return AwsKmsCheck.errorCodeIn(message)
                .map(code -> code + (status.find() ? ", HTTP " + status.group(1) : ""))
                .orElse(message);
    }

    private static String reason(MongoException e, DataKey key) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("HMAC validation failure")) {
            return WRONG_FILE;
        }
        if (message.contains("not all keys requested were satisfied") || message.contains("could not find key")) {
            return "the key vault has no data key with this id";
        }
        String provider = key.masterKey().provider();
        return switch (ProviderType.ofProviderName(provider).orElse(ProviderType.LOCAL)) {
            case LOCAL -> message;
            case AWS -> "AWS KMS did not unwrap it with " + key.masterKey().key().orElse("its CMK") + " ("
                    + awsError(message) + "): check that the credentials of provider " + provider + " may use"
                    + " kms:Decrypt on that key, and that the key is enabled";
            case KMIP -> "the KMIP server did not unwrap it (" + message + "): check that the server of provider "
                    + provider + " holds its key" + Optional.ofNullable(key.masterKey().fields().get("keyId"))
                    .map(keyId -> " " + keyId).orElse("") + " and that the client certificate may use it";
            case AZURE, GCP -> cloudRefusal(ProviderType.ofProviderName(provider).orElseThrow(), provider, message, key);
        };
    }

    /** Azure and Google answer 401 for credentials they do not accept and 403 for a principal without the permission. */
    private static String cloudRefusal(ProviderType type, String provider, String message, DataKey key) {
        Matcher status = HTTP_STATUS.matcher(message);
        String code = status.find() ? status.group(1) : "";
        String kms = type == ProviderType.AZURE ? "Azure Key Vault" : "Google Cloud KMS";
        String keyName = key.masterKey().fields().getOrDefault("keyName", "its key");
        return switch (code) {
            case "401" -> kms + " did not accept the credentials of provider " + provider + " (HTTP 401): check "
                    + (type == ProviderType.AZURE ? "the tenant id, client id and client secret (or the access token)"
                    : "the service account's key file (or the access token)") + " given for it";
            case "403" -> kms + " refused to unwrap with " + keyName + " (HTTP 403): grant the credentials of provider "
                    + provider + (type == ProviderType.AZURE ? " the unwrapKey permission on that key (for example the"
                    + " Key Vault Crypto User role)" : " cloudkms.cryptoKeyVersions.useToDecrypt on that key (the Cloud KMS"
                    + " CryptoKey Decrypter role)");
            default -> kms + " did not unwrap it with " + keyName + " (" + (code.isEmpty() ? message : "HTTP " + code)
                    + "): check that the credentials of provider " + provider + " may unwrap with that key and that"
                    + " the key is enabled";
        };
    }
}
