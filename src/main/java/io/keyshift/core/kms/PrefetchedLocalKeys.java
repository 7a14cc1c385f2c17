package io.keyshift.core.kms;

import com.mongodb.MongoClientException;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.crypt.capi.MongoCryptException;
import com.mongodb.internal.crypt.capi.MongoCrypt;
import com.mongodb.internal.crypt.capi.MongoCryptContext;
import com.mongodb.internal.crypt.capi.MongoCryptOptions;
import com.mongodb.internal.crypt.capi.MongoCrypts;
import com.mongodb.internal.crypt.capi.MongoExplicitEncryptOptions;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Probe round trips through libmongocrypt for data keys under local master keys, fed the key
 * documents of one batched read of the key vault. The driver's ClientEncryption finds each data key
 * with a query of its own, which for local keys (unwrapped in process, no KMS call) is nearly all of
 * a probe's cost. libmongocrypt still parses each key document, unwraps its material with the master
 * key and encrypts and decrypts the probe: the verdict is the one the driver's round trip gives,
 * with the same error messages.
 */
final class PrefetchedLocalKeys implements AutoCloseable {

    private static final int PAGE = 1000;

    private final MongoCrypt crypt;
    private final Map<UUID, BsonDocument> documents;

    private PrefetchedLocalKeys(MongoCrypt crypt, Map<UUID, BsonDocument> documents) {
        this.crypt = crypt;
        this.documents = documents;
    }

    /**
     * Reads the documents of {@code ids} (majority, as the driver reads a key vault) and prepares a
     * libmongocrypt that knows the given local providers and no other.
     */
    static PrefetchedLocalKeys read(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault, List<UUID> ids,
                                    Map<String, KmsProvider> localProviders) {
        Map<UUID, BsonDocument> documents = new HashMap<>();
        try (MongoClient client = MongoClients.create(keyVaultClientSettings)) {
            MongoCollection<BsonDocument> vault = client.getDatabase(keyVault.getDatabaseName())
                    .getCollection(keyVault.getCollectionName(), BsonDocument.class).withReadConcern(ReadConcern.MAJORITY);
            for (int from = 0; from < ids.size(); from += PAGE) {
                vault.find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + PAGE)).stream().map(BsonBinary::new).toList()))
                        .forEach(key -> documents.put(key.getBinary("_id").asUuid(), key));
            }
        }
        Libmongocrypt.requireSafe();
        BsonDocument kmsProviders = new BsonDocument();
        List<byte[]> copies = new ArrayList<>();
        localProviders.forEach((name, provider) -> {
            byte[] copy = (byte[]) provider.kmsProviderEntry().get("key");
            copies.add(copy);
            kmsProviders.append(name, new BsonDocument("key", new BsonBinary(copy)));
        });
        try {
            // libmongocrypt keeps its own copy of the master keys; ours are wiped right after.
            return new PrefetchedLocalKeys(MongoCrypts.create(MongoCryptOptions.builder().kmsProviderOptions(kmsProviders).build()),
                    documents);
        } finally {
            copies.forEach(copy -> Arrays.fill(copy, (byte) 0));
        }
    }

    /**
     * Encrypts {@code probe} with the data key and decrypts it back.
     *
     * @throws MongoClientException as the driver's ClientEncryption throws it when libmongocrypt refuses
     */
    BsonValue roundTrip(UUID keyId, BsonValue probe, String algorithm) {
        BsonDocument key = documents.get(keyId);
        try (MongoCryptContext encrypt = crypt.createExplicitEncryptionContext(new BsonDocument("v", probe),
                MongoExplicitEncryptOptions.builder().keyId(new BsonBinary(keyId)).algorithm(algorithm).build())) {
            BsonValue ciphertext = finish(encrypt, key).get("v");
            try (MongoCryptContext decrypt = crypt.createExplicitDecryptionContext(new BsonDocument("v", ciphertext))) {
                return finish(decrypt, key).get("v");
            }
        } catch (MongoCryptException e) {
            throw new MongoClientException("Exception in encryption library: " + e.getMessage(), e);
        }
    }

    /** Runs a context to its end, answering its key query with the prefetched document (none: the vault has no such key). */
    private static BsonDocument finish(MongoCryptContext context, BsonDocument key) {
        while (true) {
            switch (context.getState()) {
                case NEED_MONGO_KEYS -> {
                    if (key != null) {
                        context.addMongoOperationResult(key);
                    }
                    context.completeMongoOperation();
                }
                case NEED_KMS -> {
                    if (context.nextKeyDecryptor() != null) {
                        throw new IllegalStateException("libmongocrypt asked a KMS to unwrap a local data key");
                    }
                    context.completeKeyDecryptors();
                }
                case READY -> {
                    return context.finish();
                }
                default -> throw new IllegalStateException("libmongocrypt is in state " + context.getState()
                        + ", which a probe of a local data key never reaches");
            }
        }
    }

    @Override
    public void close() {
        crypt.close();
    }
}
