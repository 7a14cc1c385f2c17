package io.keyshift.sandbox;

import com.mongodb.ClientEncryptionSettings;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import com.mongodb.client.vault.ClientEncryptions;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

import static io.keyshift.sandbox.SandboxDataKeys.CLINIC_NOTES;
import static io.keyshift.sandbox.SandboxDataKeys.CLINIC_PII;
import static io.keyshift.sandbox.SandboxDataKeys.HR_ADDRESS;
import static io.keyshift.sandbox.SandboxDataKeys.HR_PAY;
import static io.keyshift.sandbox.SandboxDataKeys.HR_SSN;

/**
 * Seeds the sandbox's MongoDB: a key vault of DEKs under one local master key, and collections in
 * two databases whose documents carry ciphertext at the top level, in sub-documents and inside
 * arrays, deterministic and random, beside plaintext fields.
 */
final class MongoSeeder {

    static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    private static final Logger LOG = LoggerFactory.getLogger(MongoSeeder.class);
    private static final int BATCH = 500;
    private static final String[] CITIES = {"Lyon", "Porto", "Tartu", "Ghent", "Cork", "Turku"};

    private final String uri;
    private final long seed;
    private final Consumer<String> progress;

    MongoSeeder(String uri, long seed, Consumer<String> progress) {
        this.uri = uri;
        this.seed = seed;
        this.progress = progress;
    }

    /** Creates the key vault and the collections; returns the DEK ids in {@link SandboxDataKeys#SPECS} order. */
    List<UUID> seed(byte[] localMasterKey, int documents) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .uuidRepresentation(UuidRepresentation.STANDARD)
                .writeConcern(WriteConcern.MAJORITY)
                .build();
        try (MongoClient client = MongoClients.create(settings);
             ClientEncryption encryption = ClientEncryptions.create(ClientEncryptionSettings.builder()
                     .keyVaultMongoClientSettings(settings)
                     .keyVaultNamespace(SandboxDataKeys.KEY_VAULT_NAMESPACE)
                     .kmsProviders(Map.of("local", Map.of("key", localMasterKey)))
                     .build())) {
            MongoCollection<BsonDocument> keyVault = client.getDatabase("encryption")
                    .getCollection("__keyVault", BsonDocument.class);
            createAltNameIndex(keyVault);
            progress.accept("Creating " + SandboxDataKeys.SPECS.size() + " data keys under the local master key…");
            List<UUID> ids = createDataKeys(encryption, keyVault);
            Values values = new Values(encryption, ids, new Random(seed));
            insert(client.getDatabase("hr").getCollection("employees", BsonDocument.class), documents,
                    values::employee, "hr.employees");
            insert(client.getDatabase("clinic").getCollection("patients", BsonDocument.class), Math.max(1, documents / 2),
                    values::patient, "clinic.patients");
            insert(client.getDatabase("clinic").getCollection("visits", BsonDocument.class), documents,
                    values::visit, "clinic.visits");
            return ids;
        }
    }

    /** The unique partial index drivers expect on keyAltNames; skipped where the server lacks partial indexes. */
    private static void createAltNameIndex(MongoCollection<BsonDocument> keyVault) {
        try {
            keyVault.createIndex(Indexes.ascending("keyAltNames"), new IndexOptions().name("keyAltNames_1")
                    .unique(true).partialFilterExpression(Filters.exists("keyAltNames")));
        } catch (MongoCommandException notSupported) {
            LOG.info("This server does not create the partial unique index on keyAltNames: {}",
                    notSupported.getErrorMessage());
        }
    }

    /**
     * Creates each DEK from seeded key material, then gives it the seeded id. A DEK's id is not bound
     * to its wrapped key material, so the re-keyed document decrypts exactly as the original.
     */
    private List<UUID> createDataKeys(ClientEncryption encryption, MongoCollection<BsonDocument> keyVault) {
        List<UUID> ids = SandboxDataKeys.ids(seed);
        for (int i = 0; i < ids.size(); i++) {
            SandboxDataKeys.Spec spec = SandboxDataKeys.SPECS.get(i);
            DataKeyOptions options = new DataKeyOptions().keyMaterial(SandboxDataKeys.keyMaterial(seed, i));
            if (spec.altName() != null) {
                options.keyAltNames(List.of(spec.altName()));
            }
            BsonBinary createdId = encryption.createDataKey("local", options);
            BsonDocument key = keyVault.findOneAndDelete(Filters.eq("_id", createdId));
            key.put("_id", new BsonBinary(ids.get(i)));
            keyVault.insertOne(key);
        }
        return ids;
    }

    private void insert(MongoCollection<BsonDocument> collection, int count,
                        java.util.function.IntFunction<BsonDocument> document, String namespace) {
        progress.accept("Seeding " + namespace + " with " + count + " documents…");
        List<BsonDocument> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < count; i++) {
            batch.add(document.apply(i));
            if (batch.size() == BATCH || i == count - 1) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
    }

    /** Writes the schema map an application would give its AutoEncryptionSettings, naming DEKs by keyId. */
    static void writeSchemaMap(Path file, List<UUID> ids) {
        BsonDocument schemaMap = new BsonDocument()
                .append("hr.employees", object(new BsonDocument()
                        .append("ssn", encrypt(ids.get(HR_SSN), "string", DETERMINISTIC))
                        .append("salary", encrypt(ids.get(HR_PAY), "int", RANDOM))
                        .append("hireDate", encrypt(ids.get(HR_PAY), "date", RANDOM))
                        .append("address", object(new BsonDocument()
                                .append("street", encrypt(ids.get(HR_ADDRESS), "string", RANDOM))))))
                .append("clinic.patients", object(new BsonDocument()
                        .append("insurance", object(new BsonDocument()
                                .append("memberId", encrypt(ids.get(CLINIC_PII), "string", DETERMINISTIC))))
                        .append("vitals", new BsonDocument("encrypt", new BsonDocument("bsonType", new BsonString("object")))))
                        .append("encryptMetadata", new BsonDocument("keyId", keyIds(ids.get(CLINIC_PII)))
                                .append("algorithm", new BsonString(RANDOM))))
                .append("clinic.visits", object(new BsonDocument()
                        .append("notes", encrypt(ids.get(CLINIC_NOTES), "string", RANDOM))));
        try {
            Files.writeString(file, schemaMap.toJson(JsonWriterSettings.builder()
                    .outputMode(JsonMode.EXTENDED).indent(true).build()) + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not write the sandbox schema map " + file + ": " + e.getMessage(), e);
        }
    }

    private static BsonDocument object(BsonDocument properties) {
        return new BsonDocument("bsonType", new BsonString("object")).append("properties", properties);
    }

    private static BsonDocument encrypt(UUID keyId, String bsonType, String algorithm) {
        return new BsonDocument("encrypt", new BsonDocument("keyId", keyIds(keyId))
                .append("bsonType", new BsonString(bsonType))
                .append("algorithm", new BsonString(algorithm)));
    }

    private static BsonArray keyIds(UUID keyId) {
        return new BsonArray(List.of(new BsonBinary(keyId)));
    }

    /** Builds seeded documents, encrypting each sensitive value explicitly by DEK id. */
    private static final class Values {
        private final ClientEncryption encryption;
        private final List<BsonBinary> keyIds;
        private final Random random;

        Values(ClientEncryption encryption, List<UUID> ids, Random random) {
            this.encryption = encryption;
            this.keyIds = ids.stream().map(BsonBinary::new).toList();
            this.random = random;
        }

        BsonDocument employee(int i) {
            BsonArray phones = new BsonArray();
            for (int p = 0; p <= random.nextInt(3); p++) {
                phones.add(encrypt(new BsonString(String.format("+33 6 %02d %02d %02d %02d", random.nextInt(100),
                        random.nextInt(100), random.nextInt(100), random.nextInt(100))), HR_SSN, DETERMINISTIC));
            }
            return new BsonDocument("_id", new BsonInt32(i))
                    .append("name", new BsonString("Employee " + i))
                    .append("ssn", encrypt(new BsonString(String.format("%03d-%02d-%04d", random.nextInt(1000),
                            random.nextInt(100), random.nextInt(10000))), HR_SSN, DETERMINISTIC))
                    .append("salary", encrypt(new BsonInt32(30_000 + random.nextInt(90_000)), HR_PAY, RANDOM))
                    .append("hireDate", encrypt(new BsonDateTime(1_300_000_000_000L + random.nextInt(400_000_000) * 1000L),
                            HR_PAY, RANDOM))
                    .append("address", new BsonDocument()
                            .append("street", encrypt(new BsonString(random.nextInt(200) + " Rue Centrale"), HR_ADDRESS, RANDOM))
                            .append("city", new BsonString(CITIES[random.nextInt(CITIES.length)])))
                    .append("phones", phones);
        }

        BsonDocument patient(int i) {
            byte[] scan = new byte[32 + random.nextInt(64)];
            random.nextBytes(scan);
            return new BsonDocument("_id", new BsonInt32(i))
                    .append("name", new BsonString("Patient " + i))
                    .append("insurance", new BsonDocument()
                            .append("memberId", encrypt(new BsonString("M-" + (100_000 + random.nextInt(900_000))),
                                    CLINIC_PII, DETERMINISTIC))
                            .append("provider", new BsonString(random.nextBoolean() ? "Mutuelle A" : "Mutuelle B")))
                    .append("vitals", encrypt(new BsonDocument("heartRate", new BsonInt32(50 + random.nextInt(60)))
                            .append("bloodPressure", new BsonString((100 + random.nextInt(50)) + "/" + (60 + random.nextInt(30)))),
                            CLINIC_PII, RANDOM))
                    .append("scans", new BsonArray(List.of(encrypt(new BsonBinary(scan), CLINIC_NOTES, RANDOM))));
        }

        BsonDocument visit(int i) {
            BsonArray codes = new BsonArray();
            for (int c = 0; c <= random.nextInt(2); c++) {
                codes.add(encrypt(new BsonInt32(1000 + random.nextInt(9000)), CLINIC_PII, DETERMINISTIC));
            }
            return new BsonDocument("_id", new BsonInt32(i))
                    .append("patientId", new BsonInt32(random.nextInt(Math.max(1, i + 1))))
                    .append("notes", encrypt(new BsonString("Visit " + i + ": follow-up in " + (1 + random.nextInt(12))
                            + " weeks"), CLINIC_NOTES, RANDOM))
                    .append("codes", codes);
        }

        private BsonBinary encrypt(BsonValue value, int keyIndex, String algorithm) {
            return encryption.encrypt(value, new EncryptOptions(algorithm).keyId(keyIds.get(keyIndex)));
        }
    }
}
