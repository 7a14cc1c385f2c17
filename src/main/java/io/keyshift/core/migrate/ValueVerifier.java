package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Proves a REKEY or DECRYPT by reading every collection in scope in full, with a ClientEncryption
 * that knows ONLY the aws provider: every value under a new key decrypts, no value is left under an
 * old key (or, for DECRYPT, as ciphertext of an old key), and the journal shows every collection done.
 */
final class ValueVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ValueVerifier.class);

    private final MongoClient client;
    private final KmsRetry retry;

    /** @param retry the policy of the run: a KMS blip during verification is retried as it is during the run */
    public ValueVerifier(MongoClient client, KmsRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /** @param targetOnly a ClientEncryption with the target provider and no other; null for DECRYPT */
    public Verification verify(MigrationRecord migration, ClientEncryption targetOnly) {
        Map<UUID, UUID> oldToNew = migration.rekey().oldToNew();
        Set<UUID> oldKeys = new HashSet<>(migration.keyIds());
        Set<UUID> newKeys = new HashSet<>(oldToNew.values());
        List<String> undecryptable = new ArrayList<>();
        List<String> leftOld = new ArrayList<>();
        long[] counts = new long[3]; // values under new keys, of which decrypted; values under old keys
        for (MigrationRecord.CollectionCheckpoint collection : migration.rekey().collections()) {
            MongoNamespace namespace = new MongoNamespace(collection.namespace());
            for (BsonDocument document : client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class).find()) {
                Ciphertexts.forEach(document, (path, ciphertext) -> {
                    UUID keyId;
                    try {
                        keyId = CiphertextHeader.parse(ciphertext).keyId();
                    } catch (KeyShiftException malformed) {
                        return;
                    }
                    if (oldKeys.contains(keyId)) {
                        counts[2]++;
                        RewrapVerifier.listFailure(leftOld, namespace.getFullName() + " _id " + DocumentIds.describe(document.get("_id")) + " field "
                                + path + " is still under the old key " + keyId + ".");
                    } else if (newKeys.contains(keyId)) {
                        counts[0]++;
                        try {
                            RewrapVerifier.withKms(retry, migration.target(), () -> targetOnly.decrypt(ciphertext));
                            counts[1]++;
                        } catch (KmsUnavailableException unanswered) {
                            throw unanswered;
                        } catch (RuntimeException e) {
                            LOG.warn("Verification: {} _id {} field {} does not decrypt", namespace, DocumentIds.describe(document.get("_id")), path, e);
                            RewrapVerifier.listFailure(undecryptable, namespace.getFullName() + " _id " + DocumentIds.describe(document.get("_id"))
                                    + " field " + path + " does not decrypt with only the " + migration.target().provider() + " provider: "
                                    + e.getMessage());
                        }
                    }
                });
            }
        }
        long valuesNow = counts[0] + counts[2];
        List<Verification.Check> checks = new ArrayList<>();
        if (migration.strategy() == Strategy.REKEY) {
            checks.add(RewrapVerifier.keysDecrypt(List.copyOf(newKeys), List.of(targetOnly), retry, migration.target()));
            checks.add(new Verification.Check("Every value under a new key decrypts with only the " + migration.target().provider()
                    + " provider",
                    counts[1], counts[0], undecryptable));
        }
        checks.add(new Verification.Check(migration.strategy() == Strategy.REKEY
                ? "A full scan finds no value left under an old key" : "A full scan finds no ciphertext of the decrypted keys",
                valuesNow - counts[2], valuesNow, leftOld));
        // Conversions are not compared with the values found: an application may overwrite a converted value,
        // and the catch-up pass converts it again, so one value can count twice. The journal must show every
        // collection done with nothing it could not convert.
        List<String> unfinished = new ArrayList<>();
        long finished = 0;
        for (MigrationRecord.CollectionCheckpoint collection : migration.rekey().collections()) {
            if (!collection.done()) {
                unfinished.add(collection.namespace() + " is not done in the journal.");
            } else if (collection.failed() > 0) {
                unfinished.add(collection.namespace() + ": " + collection.failed() + " value(s) could not be converted;"
                        + " the report lists them.");
            } else {
                finished++;
            }
        }
        checks.add(new Verification.Check("The journal shows every collection done, with no value it could not convert",
                finished, migration.rekey().collections().size(), unfinished));
        return new Verification(checks);
    }
}
