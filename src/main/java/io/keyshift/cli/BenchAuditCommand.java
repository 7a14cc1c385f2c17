package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.audit.AuditReport;
import io.keyshift.core.audit.AuditRequest;
import io.keyshift.core.audit.Auditor;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.scan.ScanMode;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code keyshift bench audit --docs N --fields F}: on a fresh sandbox, a full audit of a collection of N
 * documents, each with F encrypted fields and some plaintext, held against a schema map naming those
 * fields; prints documents per second and the heap (see {@link HeapPeak}). The audit reads only
 * ciphertext headers, so one real ciphertext per field is stored in every document.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit N documents of F encrypted fields on a fresh sandbox (full scan) and print documents/s and the heap.")
final class BenchAuditCommand implements Callable<Integer> {

    private static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";
    private static final int INSERT_BATCH = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--docs", paramLabel = "N", description = "Documents to audit (default: ${DEFAULT-VALUE}).")
    private int documents = 100_000;

    @Option(names = "--fields", paramLabel = "F", description = "Encrypted fields per document (default: ${DEFAULT-VALUE}).")
    private int fields = 5;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (BenchSandbox bench = new BenchSandbox("audit", 10);
             LocalProvider local = LocalProvider.of("local", bench.localKey, null);
             KmsProviders providers = new KmsProviders().with(local);
             ClientEncryption encryption = ClientEncryptions.create(bench.settings, bench.keyVault, providers)) {
            UUID key = encryption.createDataKey("local", new DataKeyOptions()).asUuid();
            List<BsonBinary> ciphertexts = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                ciphertexts.add(encryption.encrypt(new BsonString("value of field " + f + " in the benchmark"),
                        new EncryptOptions(RANDOM).keyId(new BsonBinary(key))));
            }
            long seeding = System.nanoTime();
            seed(bench.client.getDatabase("bench").getCollection("audited", BsonDocument.class), ciphertexts);
            Path schemaFile = writeSchema(bench.dir, key);
            out.printf("Seeded %d documents of %d encrypted fields in %.1f s%n", documents, fields,
                    (System.nanoTime() - seeding) / 1e9);
            out.flush();

            AuditRequest request = new AuditRequest(bench.keyVault, List.of(new MongoNamespace("bench.audited")),
                    ScanMode.full(), Optional.of(schemaFile), Optional.empty(), List.of());
            AuditReport report;
            long peak;
            long peakLive;
            long start;
            long end;
            try (HeapPeak heap = new HeapPeak()) {
                start = System.nanoTime();
                report = new Auditor(bench.settings).audit(request, null, progress -> { });
                end = System.nanoTime();
                peak = heap.peakBytes();
                peakLive = heap.peakLiveBytes();
            }
            long scanned = report.namespaces().get(0).documentsScanned();
            double seconds = (end - start) / 1e9;
            out.printf("%nDocuments x fields:   %d x %d (full scan, held against a schema map)%n", scanned, fields);
            out.printf("Audit:                %.0f documents/s (%.1f s, %d findings)%n", scanned / seconds, seconds,
                    report.dangling().size() + report.drift().size());
            out.printf("Peak heap used:       %d MiB; live heap at most %d MiB (after a full collection every 5 s; max heap %d MiB)%n",
                    peak >> 20, peakLive >> 20, Runtime.getRuntime().maxMemory() >> 20);
            out.printf("Load average:         %s%n", LoadAverage.now());
            out.flush();
            return ExitCodes.OK;
        }
    }

    private void seed(MongoCollection<BsonDocument> collection, List<BsonBinary> ciphertexts) {
        List<BsonDocument> pending = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < documents; i++) {
            BsonDocument document = new BsonDocument("_id", new BsonObjectId())
                    .append("name", new BsonString("document " + i))
                    .append("visits", new BsonInt32(i % 17));
            for (int f = 0; f < fields; f++) {
                document.append("field" + f, ciphertexts.get(f));
            }
            pending.add(document);
            if (pending.size() == INSERT_BATCH || i == documents - 1) {
                collection.insertMany(pending);
                pending.clear();
            }
        }
    }

    private Path writeSchema(Path dir, UUID key) throws IOException {
        BsonDocument properties = new BsonDocument();
        for (int f = 0; f < fields; f++) {
            properties.append("field" + f, new BsonDocument("encrypt", new BsonDocument("keyId",
                    new BsonArray(List.of(new BsonBinary(key)))).append("bsonType", new BsonString("string"))
                    .append("algorithm", new BsonString(RANDOM))));
        }
        BsonDocument schemaMap = new BsonDocument("bench.audited", new BsonDocument("bsonType", new BsonString("object"))
                .append("properties", properties));
        return Files.writeString(dir.resolve("schema.json"),
                schemaMap.toJson(JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build()));
    }
}
