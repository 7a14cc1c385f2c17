package io.keyshift.core.audit;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import io.keyshift.core.scan.DocumentWalker;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the audit saw in one collection: per field path, data key and algorithm the number of
 * ciphertext values, and per path the plaintext values where the schema says encrypted, each with the
 * first few {@code _id}s. Never a value. Memory is bounded: at most {@link #MAX_ENTRIES} entries and
 * {@link #SAMPLE_IDS} ids each, whatever the collection's size.
 */
final class NamespaceTally implements DocumentWalker.Visitor {

    static final int MAX_ENTRIES = 10_000;
    static final int SAMPLE_IDS = 5;

    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** One (path, key, algorithm) seen in the data. */
    record Cipher(String path, UUID keyId, Algorithm algorithm) {
    }

    /** How many values and which documents (each once, however many values it holds). */
    static final class Count {
        long values;
        final List<String> ids = new ArrayList<>(SAMPLE_IDS);
        private long lastDocument;
    }

    private final String namespace;
    private final DocumentWalker walker = new DocumentWalker();
    private final DocumentWalker.PathGuide guide;
    private final Map<Cipher, Count> ciphers = new LinkedHashMap<>();
    private final Map<String, Count> plaintext = new TreeMap<>();
    private RawBsonDocument current;
    private long documents;
    private long unreadable;
    private boolean truncated;

    /** @param encryptedPaths the paths the schema encrypts in this collection, to find plaintext there */
    NamespaceTally(String namespace, Set<String> encryptedPaths) {
        this.namespace = namespace;
        this.guide = DocumentWalker.PathGuide.of(encryptedPaths);
    }

    void walk(RawBsonDocument document) {
        documents++;
        current = document;
        walker.walk(document, guide, this);
        current = null;
    }

    @Override
    public void ciphertext(String path, byte[] ciphertext) {
        CiphertextHeader header;
        try {
            header = CiphertextHeader.parse(ciphertext);
        } catch (KeyShiftException e) {
            unreadable++;
            return;
        }
        count(ciphers, new Cipher(path, header.keyId(), header.algorithm()));
    }

    @Override
    public void plaintext(String path, BsonType type) {
        count(plaintext, path);
    }

    private <K> void count(Map<K, Count> counts, K key) {
        Count count = counts.get(key);
        if (count == null) {
            if (ciphers.size() + plaintext.size() >= MAX_ENTRIES) {
                truncated = true;
                return;
            }
            count = new Count();
            counts.put(key, count);
        }
        count.values++;
        if (count.ids.size() < SAMPLE_IDS && count.lastDocument != documents) {
            count.lastDocument = documents;
            count.ids.add(idText(current.get("_id")));
        }
    }

    /** An {@code _id} as a DBA would type it in a query: an ObjectId's hex, a UUID, a number, a quoted string. */
    static String idText(BsonValue id) {
        if (id == null) {
            return "(no _id)";
        }
        if (id.isObjectId()) {
            return id.asObjectId().getValue().toHexString();
        }
        if (id.isBinary() && id.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
            return id.asBinary().asUuid().toString();
        }
        String json = new BsonDocument("_id", id).toJson(RELAXED);
        return json.substring("{\"_id\": ".length(), json.length() - 1);
    }

    String namespace() {
        return namespace;
    }

    Map<Cipher, Count> ciphers() {
        return ciphers;
    }

    Map<String, Count> plaintext() {
        return plaintext;
    }

    long documents() {
        return documents;
    }

    long unreadable() {
        return unreadable;
    }

    boolean truncated() {
        return truncated;
    }
}
