package io.keyshift.cli;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.MigrationPlan;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code keyshift bench rekey --docs N --fields F}: on a fresh sandbox, re-encrypts N documents of F
 * encrypted fields and prints values per second for (a) KeyShift's engine, (b) the ceiling — the same
 * decrypt and encrypt calls with no database — and (c) the loop a script would run (find one document,
 * decrypt, encrypt, update, next) on a 2 000-document copy; the ratios a/b and a/c; and the heap
 * (see {@link HeapPeak}).
 */
@Command(name = "rekey", mixinStandardHelpOptions = true,
        description = "Re-encrypt N documents of F fields on a fresh sandbox and print values/s against the ceiling and a naive loop.")
final class BenchRekeyCommand implements Callable<Integer> {

    private static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";
    private static final int NAIVE_DOCUMENTS = 2_000;
    private static final int INSERT_BATCH = 500;

    @Spec
    private CommandSpec spec;

    @Option(names = "--docs", paramLabel = "N", description = "Documents to re-encrypt (default: ${DEFAULT-VALUE}).")
    private int documents = 100_000;

    @Option(names = "--fields", paramLabel = "F", description = "Encrypted fields per document (default: ${DEFAULT-VALUE}).")
    private int fields = 5;

    @Option(names = "--workers", paramLabel = "N", description = "Engine workers (default: ${DEFAULT-VALUE}).")
    private int workers = MigrationRequest.DEFAULT_WORKERS;

    @Option(names = "--batch", paramLabel = "N", description = "Documents per batch (default: ${DEFAULT-VALUE}).")
    private int batch = MigrationRequest.DEFAULT_BATCH;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (BenchSandbox bench = new BenchSandbox("rekey", 10);
             LocalProvider local = LocalProvider.of("local", bench.localKey, null);
             KmsProviders providers = new KmsProviders().with(local).with(bench.target.provider());
             ClientEncryption encryption = ClientEncryptions.create(bench.settings, bench.keyVault, providers)) {
            UUID oldKey = encryption.createDataKey("local", new DataKeyOptions()).asUuid();
            MongoCollection<BsonDocument> values = bench.client.getDatabase("bench").getCollection("values", BsonDocument.class);
            long seeding = System.nanoTime();
            seed(values, encryption, oldKey);
            MongoCollection<BsonDocument> naiveCopy = bench.client.getDatabase("bench_naive").getCollection("values", BsonDocument.class);
            naiveCopy.insertMany(values.find().sort(Sorts.ascending("_id")).limit(NAIVE_DOCUMENTS).into(new ArrayList<>()));
            out.printf("Seeded %d documents of %d encrypted fields (and a %d-document copy) in %.1f s%n", documents, fields,
                    NAIVE_DOCUMENTS, (System.nanoTime() - seeding) / 1e9);
            out.flush();

            UUID naiveKey = encryption.createDataKey("aws", new DataKeyOptions().masterKey(bench.target.masterKey())).asUuid();
            double ceiling = ceiling(bench, providers, naiveCopy, naiveKey);
            double naive = naive(naiveCopy, encryption, naiveKey);
            naiveCopy.drop();

            Migrations migration = new Migrations(bench.client, bench.settings, bench.keyVault,
                    Migrations.DEFAULT_JOURNAL_COLLECTION);
            long planning = System.nanoTime();
            MigrationPlan plan = migration.plan(new MigrationRequest(Strategy.REKEY, List.of(oldKey), "local", bench.target.kmsTarget(),
                    MigrationRequest.DEFAULT_CHUNK, batch, workers, false, false, bench.dir.resolve("backup.json")));
            double planSeconds = (System.nanoTime() - planning) / 1e9;
            MigrationRecord record = migration.begin(plan);
            long[] mainPass = {System.nanoTime(), 0};
            MigrationListener timing = new MigrationListener() {
                @Override
                public void collection(CollectionProgress progress) {
                    if (progress.finalPass() && mainPass[1] == 0) {
                        mainPass[1] = System.nanoTime();
                    }
                }
            };
            MigrationResult result;
            long peak;
            long peakLive;
            try (HeapPeak heap = new HeapPeak()) {
                mainPass[0] = System.nanoTime();
                result = migration.run(record.id(), List.of(bench.source), bench.target.kmsTarget(), bench.dir.resolve("reports"), timing, () -> false);
                peak = heap.peakBytes();
                peakLive = heap.peakLiveBytes();
            }
            long converted = result.migration().rekey().collections().stream()
                    .mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum();
            double engineSeconds = (mainPass[1] - mainPass[0]) / 1e9;
            double engine = converted / engineSeconds;

            out.printf("%nDocuments x fields:        %d x %d = %d values (%d workers, batches of %d)%n", documents, fields,
                    (long) documents * fields, workers, batch);
            out.printf("Plan (full scan):          %.1f s%n", planSeconds);
            out.printf("(a) KeyShift engine:       %.0f values/s (%d values in %.1f s, main pass)%n", engine, converted, engineSeconds);
            out.printf("(b) ceiling, no database:  %.0f values/s (decrypt + encrypt, %d threads)%n", ceiling, workers);
            out.printf("(c) naive loop:            %.0f values/s (find one, decrypt, encrypt, updateOne; %d documents)%n",
                    naive, NAIVE_DOCUMENTS);
            out.printf("a/b:                       %.2f%n", engine / ceiling);
            out.printf("a/c:                       %.1f%n", engine / naive);
            out.printf("Peak heap used:            %d MiB; live heap at most %d MiB (after a full collection every 5 s; max heap %d MiB)%n",
                    peak >> 20, peakLive >> 20, Runtime.getRuntime().maxMemory() >> 20);
            out.printf("Re-encryption in all:      %.1f s (new key, main pass, final pass with its verification)%n",
                    result.report().rewrapDuration().toMillis() / 1000.0);
            out.printf("Verified (AWS only):       %s%n", result.verified() ? "yes" : "NO");
            out.flush();
            return result.verified() ? ExitCodes.OK : ExitCodes.BLOCKED;
        }
    }

    private void seed(MongoCollection<BsonDocument> collection, ClientEncryption encryption, UUID key) {
        EncryptOptions options = new EncryptOptions(RANDOM).keyId(new BsonBinary(key));
        List<BsonDocument> pending = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < documents; i++) {
            // ObjectId ids, as most collections have: the sandbox server looks those up by index.
            BsonDocument document = new BsonDocument("_id", new BsonObjectId());
            for (int f = 0; f < fields; f++) {
                document.append("field" + f, encryption.encrypt(new BsonString("value " + i + "/" + f + " of the benchmark"), options));
            }
            pending.add(document);
            if (pending.size() == INSERT_BATCH || i == documents - 1) {
                collection.insertMany(pending);
                pending.clear();
            }
        }
    }

    /** Decrypt + encrypt of the copy's values in memory, one ClientEncryption per thread as the engine has. */
    private double ceiling(BenchSandbox bench, KmsProviders providers, MongoCollection<BsonDocument> copy, UUID newKey)
            throws Exception {
        List<BsonBinary> ciphertexts = new ArrayList<>();
        for (BsonDocument document : copy.find()) {
            Ciphertexts.forEach(document, (path, ciphertext) -> ciphertexts.add(ciphertext));
        }
        EncryptOptions options = new EncryptOptions(RANDOM).keyId(new BsonBinary(newKey));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<ClientEncryption> encryptions = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                ClientEncryption encryption = ClientEncryptions.create(bench.settings, bench.keyVault, providers);
                encryptions.add(encryption);
                encryption.encrypt(encryption.decrypt(ciphertexts.get(0)), options); // both keys in its cache
            }
            AtomicLong done = new AtomicLong();
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                ClientEncryption encryption = encryptions.get(w);
                int from = w;
                running.add(pool.submit(() -> {
                    for (int i = from; i < ciphertexts.size(); i += workers) {
                        encryption.encrypt(encryption.decrypt(ciphertexts.get(i)), options);
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            return done.get() / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdown();
            encryptions.forEach(ClientEncryption::close);
        }
    }

    /** One document at a time: find it, decrypt and encrypt each value, updateOne, next. */
    private double naive(MongoCollection<BsonDocument> copy, ClientEncryption encryption, UUID newKey) {
        EncryptOptions options = new EncryptOptions(RANDOM).keyId(new BsonBinary(newKey));
        List<BsonValue> ids = copy.find().projection(new BsonDocument("_id", new BsonInt32(1))).map(doc -> doc.get("_id"))
                .into(new ArrayList<>());
        long values = 0;
        long started = System.nanoTime();
        for (BsonValue id : ids) {
            BsonDocument document = copy.find(Filters.eq("_id", id)).first();
            List<Bson> sets = new ArrayList<>();
            for (String name : document.keySet()) {
                BsonValue value = document.get(name);
                if (value.isBinary()) {
                    sets.add(Updates.set(name, encryption.encrypt(encryption.decrypt(value.asBinary()), options)));
                    values++;
                }
            }
            copy.updateOne(Filters.eq("_id", id), Updates.combine(sets));
        }
        return values / ((System.nanoTime() - started) / 1e9);
    }
}
