package io.keyshift.core.scan;

import com.mongodb.MongoNamespace;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds which data keys encrypted which fields by reading ciphertext headers, without any key.
 * Documents are streamed in batches and walked as raw BSON, only encrypted values are
 * materialised, and at most {@link #MAX_PAIRS_PER_NAMESPACE} distinct (path, key) pairs are kept per
 * collection, so memory stays flat whatever the collection size.
 */
public final class UsageScanner {

    /** Enough for any real schema; a collection past it has dynamic field names and is marked truncated. */
    static final int MAX_PAIRS_PER_NAMESPACE = 10_000;

    private static final int BATCH_SIZE = 1000;
    private static final int PARALLEL_COLLECTIONS = 4;
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");

    private final MongoClient client;

    public UsageScanner(MongoClient client) {
        this.client = client;
    }

    /** Every user collection (not views, not system collections), except {@code excluded} (the key vault). */
    public List<MongoNamespace> userNamespaces(MongoNamespace excluded) {
        List<MongoNamespace> namespaces = new ArrayList<>();
        for (String database : client.listDatabaseNames()) {
            if (SYSTEM_DATABASES.contains(database)) {
                continue;
            }
            for (Document collection : client.getDatabase(database).listCollections()) {
                String name = collection.getString("name");
                boolean view = "view".equals(collection.getString("type"));
                MongoNamespace namespace = new MongoNamespace(database, name);
                if (!view && !name.startsWith("system.") && !namespace.equals(excluded)) {
                    namespaces.add(namespace);
                }
            }
        }
        namespaces.sort((a, b) -> a.getFullName().compareTo(b.getFullName()));
        return namespaces;
    }

    /**
     * Scans the collections a few at a time: the server reads one while KeyShift walks another's documents.
     * The result keeps the order of {@code namespaces}.
     */
    public UsageMap scan(List<MongoNamespace> namespaces, ScanMode mode) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(namespaces.size(), PARALLEL_COLLECTIONS)),
                runnable -> {
                    Thread thread = new Thread(runnable, "keyshift-usage-scan");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<NamespaceUsage>> scans = new ArrayList<>();
            namespaces.forEach(namespace -> scans.add(pool.submit(() -> scan(namespace, mode))));
            List<NamespaceUsage> usages = new ArrayList<>();
            for (Future<NamespaceUsage> scan : scans) {
                usages.add(result(scan));
            }
            return new UsageMap(mode, usages);
        } finally {
            pool.shutdownNow();
        }
    }

    private static NamespaceUsage result(Future<NamespaceUsage> scan) {
        try {
            return scan.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new KeyShiftException("The usage scan failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyShiftException("The usage scan was interrupted before it finished; nothing was changed.", e);
        }
    }

    NamespaceUsage scan(MongoNamespace namespace, ScanMode mode) {
        MongoDatabase database = client.getDatabase(namespace.getDatabaseName());
        FindIterable<RawBsonDocument> find = database
                .getCollection(namespace.getCollectionName(), RawBsonDocument.class)
                .find()
                .batchSize(mode.isFull() ? BATCH_SIZE : Math.min(mode.sampleSize(), BATCH_SIZE));
        if (!mode.isFull()) {
            find.limit(mode.sampleSize());
        }
        Tally tally = new Tally();
        try (MongoCursor<RawBsonDocument> cursor = find.iterator()) {
            while (cursor.hasNext()) {
                tally.walk(cursor.next());
            }
        }
        return tally.toUsage(namespace.getFullName());
    }

    /** Counts for one collection, filled by walking its documents. */
    static final class Tally {

        private final Map<String, Map<UUID, Count>> byPath = new TreeMap<>();
        private final Map<String, Unreadable> unreadable = new TreeMap<>();
        private final DocumentWalker walker = new DocumentWalker();
        private int pairs;
        private boolean truncated;
        private long documents;

        private static final class Count {
            long values;
            final Set<Algorithm> algorithms = EnumSet.noneOf(Algorithm.class);
        }

        private static final class Unreadable {
            long values;
            final String reason;

            Unreadable(String reason) {
                this.reason = reason;
            }
        }

        void walk(RawBsonDocument document) {
            documents++;
            walker.walk(document, DocumentWalker.PathGuide.NONE, this::record);
        }

        private void record(String fieldPath, byte[] ciphertext) {
            CiphertextHeader header;
            try {
                header = CiphertextHeader.parse(ciphertext);
            } catch (KeyShiftException e) {
                Unreadable values = unreadable.get(fieldPath);
                if (values == null) {
                    if (pairs >= MAX_PAIRS_PER_NAMESPACE) {
                        truncated = true;
                        return;
                    }
                    pairs++;
                    values = new Unreadable(e.getMessage());
                    unreadable.put(fieldPath, values);
                }
                values.values++;
                return;
            }
            Map<UUID, Count> keys = byPath.get(fieldPath);
            Count count = keys == null ? null : keys.get(header.keyId());
            if (count == null) {
                if (pairs >= MAX_PAIRS_PER_NAMESPACE) {
                    truncated = true;
                    return;
                }
                pairs++;
                count = new Count();
                byPath.computeIfAbsent(fieldPath, p -> new LinkedHashMap<>()).put(header.keyId(), count);
            }
            count.values++;
            count.algorithms.add(header.algorithm());
        }

        NamespaceUsage toUsage(String namespace) {
            List<FieldUsage> fields = new ArrayList<>();
            byPath.forEach((fieldPath, keys) -> keys.forEach((keyId, count) ->
                    fields.add(new FieldUsage(fieldPath, keyId, count.values, count.algorithms))));
            List<UnreadableValues> unreadableValues = new ArrayList<>();
            unreadable.forEach((fieldPath, values) ->
                    unreadableValues.add(new UnreadableValues(fieldPath, values.values, values.reason)));
            return new NamespaceUsage(namespace, documents, fields, unreadableValues, truncated);
        }
    }
}
