package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.core.scan.UsageMap;
import io.keyshift.core.scan.UsageScanner;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Proves a REWRAP with a ClientEncryption that knows ONLY the aws provider: had any key stayed
 * under the local master key, it could not be used here.
 */
final class RewrapVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(RewrapVerifier.class);
    private static final String PROBE_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";
    private static final int MAX_FAILURES_LISTED = 20;
    private static final int SAMPLE_DOCUMENTS = 50;

    private final MongoClient client;
    private final MongoNamespace keyVault;
    private final KmsRetry retry;

    /** @param retry the policy of the run: a KMS blip during verification is retried as it is during the run */
    public RewrapVerifier(MongoClient client, MongoNamespace keyVault, KmsRetry retry) {
        this.client = client;
        this.keyVault = keyVault;
        this.retry = retry;
    }

    /**
     * @param targetOnly ClientEncryptions configured with the target provider and no other; the keys are
     *                probed by all of them at once, one KMS call in flight each
     */
    public Verification verify(MigrationRecord migration, List<ClientEncryption> targetOnly) {
        Set<UUID> ids = new HashSet<>(migration.keyIds());
        // The key vault and the sampled documents are read while the keys are probed through the KMS.
        return Alongside.run(() -> new Read(keysUnderTheTarget(migration), sampledValues(ids)),
                () -> keysDecrypt(migration.keyIds(), targetOnly, retry, migration.target()),
                (read, keysDecrypt) -> new Verification(List.of(keysDecrypt, read.keysUnderTheTarget(),
                        sampledValuesDecrypt(read.sampledValues(), prober(migration.keyIds(), targetOnly), migration.target()))));
    }

    /** What verification reads from the cluster: the keys' check, and the sampled values under the migrated keys. */
    private record Read(Verification.Check keysUnderTheTarget, List<SampledValue> sampledValues) {
    }

    /** A value under a migrated key, where it was found. */
    private record SampledValue(String namespace, String documentId, String path, BsonBinary ciphertext) {
    }

    /**
     * The client that probed each key in {@link #keysDecrypt}: its data key is in that client's cache
     * (for {@code keyExpirationMS}), unwrapped through the target's KMS, so decrypting a value under it
     * there costs no second KMS call.
     */
    private static Map<UUID, ClientEncryption> prober(List<UUID> ids, List<ClientEncryption> targetOnly) {
        Map<UUID, ClientEncryption> prober = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            prober.put(ids.get(i), targetOnly.get(i % targetOnly.size()));
        }
        return prober;
    }

    /** Encrypts and decrypts a probe with every key, each client taking its share of the keys. */
    static Verification.Check keysDecrypt(List<UUID> ids, List<ClientEncryption> targetOnly, KmsRetry retry,
                                          MigrationRecord.Target target) {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(targetOnly.size(), runnable -> {
            Thread thread = new Thread(runnable, "keyshift-verify-keys");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> shares = new ArrayList<>();
            for (int worker = 0; worker < targetOnly.size(); worker++) {
                ClientEncryption encryption = targetOnly.get(worker);
                int first = worker;
                shares.add(pool.submit(() -> {
                    // A share stops at its next key once another share has failed (shutdownNow interrupts it).
                    for (int i = first; i < ids.size() && !Thread.currentThread().isInterrupted(); i += targetOnly.size()) {
                        if (keyDecrypts(ids.get(i), encryption, retry, failures, target)) {
                            ok.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> share : shares) {
                share.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KeyShiftException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyShiftException("Interrupted while verifying the migrated keys; run the verification again.", e);
        } finally {
            // The caller closes the clients next: no worker may still be using one.
            pool.shutdownNow();
            Pools.awaitTermination(pool);
        }
        return new Verification.Check("Every migrated data key decrypts with only the " + target.provider() + " provider",
                ok.get(), ids.size(),
                new ArrayList<>(failures));
    }

    private static boolean keyDecrypts(UUID id, ClientEncryption targetOnly, KmsRetry retry, List<String> failures,
                                       MigrationRecord.Target target) {
        try {
            BsonString probe = new BsonString("keyshift verification");
            BsonBinary ciphertext = withKms(retry, target, () -> targetOnly.encrypt(probe,
                    new EncryptOptions(PROBE_ALGORITHM).keyId(new BsonBinary(id))));
            if (probe.equals(targetOnly.decrypt(ciphertext))) {
                return true;
            }
            listFailure(failures, "Data key " + id + ": a probe value did not decrypt back to itself.");
        } catch (KmsUnavailableException unanswered) {
            throw unanswered;
        } catch (RuntimeException e) {
            LOG.warn("Verification: key {} is not usable through {}", id, target.kmsName(), e);
            listFailure(failures, "Data key " + id + " is not usable through " + target.kmsName() + ": " + e.getMessage());
        }
        return false;
    }

    private Verification.Check keysUnderTheTarget(MigrationRecord migration) {
        MigrationRecord.Target target = migration.target();
        MongoCollection<BsonDocument> vault = client.getDatabase(keyVault.getDatabaseName())
                .getCollection(keyVault.getCollectionName(), BsonDocument.class);
        List<String> failures = new ArrayList<>();
        long ok = 0;
        List<UUID> ids = migration.keyIds();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<BsonBinary> page = ids.subList(from, Math.min(ids.size(), from + 1000)).stream().map(BsonBinary::new).toList();
            for (BsonDocument key : vault.find(Filters.in("_id", page))) {
                BsonDocument masterKey = key.getDocument("masterKey");
                String provider = masterKey.getString("provider", new BsonString("")).getValue();
                BsonDocument shown = masterKey.clone();
                shown.remove("provider");
                if (target.namedBy(provider, subset(shown, target.masterKey()))) {
                    ok++;
                } else {
                    listFailure(failures, "Data key " + key.getBinary("_id").asUuid() + " shows provider " + provider
                            + (shown.isEmpty() ? "" : " and " + shown.toJson()) + ", not " + target.describe() + ".");
                }
            }
        }
        return new Verification.Check("The key vault shows provider " + target.provider() + " and "
                + ("aws".equals(target.type()) ? "the CMK" : "its master key") + " for every migrated key", ok, ids.size(),
                failures);
    }

    /** The fields of {@code shown} that {@code journaled} names: a KMIP server adds the keyId of a key it creates. */
    private static BsonDocument subset(BsonDocument shown, BsonDocument journaled) {
        BsonDocument fields = new BsonDocument();
        journaled.keySet().forEach(name -> fields.append(name, shown.get(name, new BsonString(""))));
        return fields;
    }

    /** Up to {@value #SAMPLE_DOCUMENTS} documents of each collection using the migrated keys, and their values under them. */
    private List<SampledValue> sampledValues(Set<UUID> ids) {
        UsageScanner scanner = new UsageScanner(client);
        UsageMap usage = scanner.scan(scanner.userNamespaces(keyVault), ScanMode.sample(SAMPLE_DOCUMENTS));
        List<SampledValue> values = new ArrayList<>();
        for (NamespaceUsage namespace : usage.namespaces()) {
            boolean usesMigratedKeys = namespace.fields().stream().anyMatch(field -> ids.contains(field.keyId()));
            if (!usesMigratedKeys) {
                continue;
            }
            MongoNamespace ns = new MongoNamespace(namespace.namespace());
            for (BsonDocument document : client.getDatabase(ns.getDatabaseName())
                    .getCollection(ns.getCollectionName(), BsonDocument.class).find().limit(SAMPLE_DOCUMENTS)) {
                Ciphertexts.forEach(document, (path, ciphertext) -> {
                    if (ids.contains(keyIdOf(ciphertext))) {
                        values.add(new SampledValue(ns.getFullName(), DocumentIds.describe(document.get("_id")), path, ciphertext));
                    }
                });
            }
        }
        return values;
    }

    /** A sample of the values each collection holds under the migrated keys decrypts, each with the client that probed its key. */
    private Verification.Check sampledValuesDecrypt(List<SampledValue> values, Map<UUID, ClientEncryption> prober,
                                                    MigrationRecord.Target target) {
        List<String> failures = new ArrayList<>();
        long decrypted = 0;
        for (SampledValue value : values) {
            ClientEncryption targetOnly = prober.get(keyIdOf(value.ciphertext()));
            try {
                withKms(retry, target, () -> targetOnly.decrypt(value.ciphertext()));
                decrypted++;
            } catch (KmsUnavailableException unanswered) {
                throw unanswered;
            } catch (RuntimeException e) {
                listFailure(failures, value.namespace() + " _id " + value.documentId() + " field "
                        + value.path() + " does not decrypt: " + e.getMessage());
            }
        }
        return new Verification.Check("A sample of the values under the migrated keys decrypts, in every collection using them",
                decrypted, values.size(), failures);
    }

    /** The value's key id; null for a malformed value, which the usage scan reports on its own. */
    private static UUID keyIdOf(BsonBinary ciphertext) {
        try {
            return CiphertextHeader.parse(ciphertext).keyId();
        } catch (KeyShiftException malformed) {
            return null;
        }
    }

    /**
     * Runs a call that may need the KMS (the first use of a data key unwraps it there) with the run's
     * retry policy. A transient failure that outlasts the policy means the check could not be made,
     * not that it failed; any other failure is the call's own.
     */
    static <T> T withKms(KmsRetry retry, MigrationRecord.Target target, Supplier<T> call) {
        try {
            return retry.run(call, target.kmsName(), (attempt, delay, reason) -> LOG.warn("Verification: {}; retry {} in {} ms",
                    reason, attempt, delay.toMillis()));
        } catch (KmsRetry.GaveUp gaveUp) {
            if (KmsRetry.isTransient(gaveUp.getCause())) {
                throw new KmsUnavailableException(target.kmsName() + " did not answer during verification ("
                        + KmsRetry.reason(gaveUp.getCause(), target.kmsName()) + ", " + gaveUp.attempts() + " attempts)",
                        gaveUp.getCause());
            }
            throw (RuntimeException) gaveUp.getCause();
        }
    }

    static void listFailure(List<String> failures, String failure) {
        synchronized (failures) {
            if (failures.size() < MAX_FAILURES_LISTED) {
                failures.add(failure);
            }
        }
    }
}
