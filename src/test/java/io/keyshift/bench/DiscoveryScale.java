package io.keyshift.bench;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.core.scan.UsageMap;
import io.keyshift.core.scan.UsageScanner;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Scale figures for discovery, printed, not asserted: listing a key vault of many data keys and a
 * full usage scan of a large collection, each with its time and the peak heap sampled while it ran.
 *
 * <pre>
 * java -Xmx256m -cp target/classes:target/test-classes:CLASSPATH io.keyshift.bench.DiscoveryScale \
 *      URI KEYS DOCS [--reuse]
 * </pre>
 * Seeds {@code scale.__keyVault} with KEYS data key documents (filler key material) and
 * {@code scale.docs} with DOCS documents carrying ciphertext headers, unless {@code --reuse}.
 */
public final class DiscoveryScale {

    private static final MongoNamespace VAULT = new MongoNamespace("scale", "__keyVault");
    private static final MongoNamespace DOCS = new MongoNamespace("scale", "docs");
    private static final int BATCH = 1000;

    private DiscoveryScale() {
    }

    public static void main(String[] args) {
        String uri = args[0];
        int keys = Integer.parseInt(args[1]);
        int docs = Integer.parseInt(args[2]);
        boolean reuse = args.length > 3 && args[3].equals("--reuse");
        try (MongoClient client = MongoClients.create(uri)) {
            List<UUID> ids = new ArrayList<>();
            Random random = new Random(1);
            for (int i = 0; i < Math.min(keys, 100); i++) {
                ids.add(new UUID(random.nextLong(), random.nextLong()));
            }
            if (!reuse) {
                seedVault(client, keys, ids);
                seedDocs(client, docs, ids);
            }
            System.out.printf("JVM max heap %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
            measure("list " + keys + " data keys",
                    () -> KeyVault.open(client, VAULT).listAll(new BsonDocument(), 1000),
                    all -> all.size() + " keys listed");
            measure("full scan of " + docs + " documents",
                    () -> new UsageScanner(client).scan(List.of(DOCS), ScanMode.full()),
                    DiscoveryScale::describe);
        }
    }

    private static String describe(UsageMap usage) {
        NamespaceUsage namespace = usage.namespaces().get(0);
        long values = namespace.fields().stream().mapToLong(FieldUsage::values).sum();
        return namespace.documentsScanned() + " documents, " + values + " encrypted values, "
                + namespace.fields().size() + " (path, key) pairs";
    }

    private static <T> void measure(String what, Supplier<T> work, Function<T, String> describe) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        T result = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("%s: %s in %.1f s; heap before %d MiB, peak %d MiB, after GC with the result held %d MiB%n",
                what, describe.apply(result), millis / 1000.0, baseline >> 20, peak.get() >> 20, retained >> 20);
    }

    private static void seedVault(MongoClient client, int keys, List<UUID> usedIds) {
        MongoCollection<BsonDocument> vault = client.getDatabase(VAULT.getDatabaseName())
                .getCollection(VAULT.getCollectionName(), BsonDocument.class);
        vault.drop();
        Random random = new Random(2);
        List<BsonDocument> batch = new ArrayList<>(BATCH);
        long start = System.nanoTime();
        for (int i = 0; i < keys; i++) {
            UUID id = i < usedIds.size() ? usedIds.get(i) : new UUID(random.nextLong(), random.nextLong());
            byte[] material = new byte[160];
            random.nextBytes(material);
            batch.add(new BsonDocument("_id", new BsonBinary(id))
                    .append("keyAltNames", new BsonArray(List.of(new BsonString("key-" + i))))
                    .append("keyMaterial", new BsonBinary(material))
                    .append("creationDate", new BsonDateTime(1_700_000_000_000L + i))
                    .append("updateDate", new BsonDateTime(1_700_000_000_000L + i))
                    .append("status", new BsonInt32(0))
                    .append("masterKey", new BsonDocument("provider", new BsonString("local"))));
            if (batch.size() == BATCH || i == keys - 1) {
                vault.insertMany(batch);
                batch.clear();
            }
        }
        System.out.printf("seeded %d data keys in %.1f s%n", keys, (System.nanoTime() - start) / 1e9);
    }

    private static void seedDocs(MongoClient client, int docs, List<UUID> ids) {
        MongoCollection<BsonDocument> collection = client.getDatabase(DOCS.getDatabaseName())
                .getCollection(DOCS.getCollectionName(), BsonDocument.class);
        collection.drop();
        List<BsonDocument> batch = new ArrayList<>(BATCH);
        long start = System.nanoTime();
        for (int i = 0; i < docs; i++) {
            batch.add(new BsonDocument("_id", new BsonInt32(i))
                    .append("name", new BsonString("Customer " + i))
                    .append("ssn", ciphertext(1, ids.get(i % 3)))
                    .append("card", new BsonDocument("pan", ciphertext(2, ids.get(3))).append("brand", new BsonString("V")))
                    .append("phones", new BsonArray(List.of(ciphertext(1, ids.get(4)), ciphertext(1, ids.get(4))))));
            if (batch.size() == BATCH || i == docs - 1) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
        System.out.printf("seeded %d documents in %.1f s%n", docs, (System.nanoTime() - start) / 1e9);
    }

    /** A ciphertext-shaped value: a real header and filler where IV, ciphertext and HMAC would be. */
    private static BsonBinary ciphertext(int algorithm, UUID keyId) {
        ByteBuffer buffer = ByteBuffer.allocate(18 + 66)
                .put((byte) algorithm).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .put((byte) BsonType.STRING.getValue());
        return new BsonBinary(BsonBinarySubType.ENCRYPTED, buffer.array());
    }
}
