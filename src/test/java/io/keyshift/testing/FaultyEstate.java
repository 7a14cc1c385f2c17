package io.keyshift.testing;

import com.mongodb.ClientEncryptionSettings;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import com.mongodb.client.vault.ClientEncryptions;
import io.keyshift.sandbox.SandboxInfo;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A small application estate in a database of its own on the test stack, seeded with exactly these
 * faults for the audit to find:
 * <ul>
 *   <li>{@link #LEGACY_VALUES} values at {@code people.legacy} under a data key then deleted from the vault;</li>
 *   <li>one unused data key, {@code audit-spare};</li>
 *   <li>{@link #PLAINTEXT_VALUES} plaintext values at {@code people.ssn}, which the schema encrypts;</li>
 *   <li>{@link #OTHER_KEY_VALUES} values at {@code people.card} under another key than the schema names;</li>
 *   <li>an aws data key under the sandbox's disabled CMK, used by {@code people.badge}.</li>
 * </ul>
 * Everything else agrees with the schema file it writes.
 */
public final class FaultyEstate {

    public static final int DOCUMENTS = 30;
    public static final int LEGACY_VALUES = 12;
    public static final int PLAINTEXT_VALUES = 3;
    public static final int OTHER_KEY_VALUES = 4;
    public static final int BADGE_VALUES = 5;
    /** A plaintext value the audit must never print. */
    public static final String PLAINTEXT_MARK = "PLAINTEXT-SSN-";

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";
    private static final String RANDOM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    public final String database;
    public final String keyVault;
    public final String collection;
    public final Path schemaFile;
    public final UUID ssnKey;
    public final UUID cardKey;
    public final UUID otherKey;
    public final UUID goneKey;
    public final UUID spareKey;
    public final UUID awsKey;
    public final String disabledCmk;

    private FaultyEstate(String database, Path schemaFile, List<UUID> keys, String disabledCmk) {
        this.database = database;
        this.keyVault = database + ".__keyVault";
        this.collection = database + ".people";
        this.schemaFile = schemaFile;
        this.ssnKey = keys.get(0);
        this.cardKey = keys.get(1);
        this.otherKey = keys.get(2);
        this.goneKey = keys.get(3);
        this.spareKey = keys.get(4);
        this.awsKey = keys.get(5);
        this.disabledCmk = disabledCmk;
    }

    /** Seeds the estate in a fresh database and writes its schema map into {@code dir}. */
    public static FaultyEstate seed(SandboxInfo info, Path dir) {
        String database = "audit_" + Long.toHexString(new Random().nextLong() & 0xffffffL);
        // The sandbox seeds its disabled CMK with this alias next to the migration target's.
        String disabledCmk = info.aws().aliasArn() + "-disabled";
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(info.mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        byte[] localKey;
        try {
            localKey = Files.readAllBytes(info.localKeyFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (MongoClient client = MongoClients.create(settings);
             ClientEncryption encryption = ClientEncryptions.create(ClientEncryptionSettings.builder()
                     .keyVaultMongoClientSettings(settings)
                     .keyVaultNamespace(database + ".__keyVault")
                     .kmsProviders(Map.of("local", Map.of("key", localKey)))
                     .build())) {
            List<UUID> keys = new ArrayList<>();
            for (String altName : List.of("audit-ssn", "audit-card", "audit-other", "audit-gone", "audit-spare")) {
                keys.add(encryption.createDataKey("local", new DataKeyOptions().keyAltNames(List.of(altName))).asUuid());
            }
            UUID awsKey = UUID.randomUUID();
            keys.add(awsKey);
            MongoCollection<BsonDocument> vault = client.getDatabase(database).getCollection("__keyVault", BsonDocument.class);
            byte[] material = new byte[184];
            new Random(7).nextBytes(material);
            BsonDateTime now = new BsonDateTime(System.currentTimeMillis());
            vault.insertOne(new BsonDocument("_id", new BsonBinary(awsKey))
                    .append("keyAltNames", new BsonArray(List.of(new BsonString("audit-aws"))))
                    .append("keyMaterial", new BsonBinary(material))
                    .append("creationDate", now).append("updateDate", now).append("status", new BsonInt32(0))
                    .append("masterKey", new BsonDocument("provider", new BsonString("aws"))
                            .append("region", new BsonString(info.aws().region()))
                            .append("key", new BsonString(disabledCmk))));
            FaultyEstate estate = new FaultyEstate(database, dir.resolve("audit-schema.json"), keys, disabledCmk);
            estate.insertPeople(client, encryption);
            vault.deleteOne(Filters.eq("_id", new BsonBinary(estate.goneKey)));
            estate.writeSchema();
            return estate;
        }
    }

    private void insertPeople(MongoClient client, ClientEncryption encryption) {
        List<BsonDocument> people = new ArrayList<>();
        for (int id = 1; id <= DOCUMENTS; id++) {
            BsonDocument person = new BsonDocument("_id", new BsonInt32(id)).append("name", new BsonString("person " + id));
            boolean plaintext = id > DOCUMENTS - PLAINTEXT_VALUES;
            person.append("ssn", plaintext ? new BsonString(PLAINTEXT_MARK + id)
                    : encryption.encrypt(new BsonString("ssn " + id), new EncryptOptions(DETERMINISTIC).keyId(new BsonBinary(ssnKey))));
            UUID card = id <= OTHER_KEY_VALUES ? otherKey : cardKey;
            person.append("card", encryption.encrypt(new BsonString("card " + id), new EncryptOptions(RANDOM).keyId(new BsonBinary(card))));
            if (id <= LEGACY_VALUES) {
                person.append("legacy", encryption.encrypt(new BsonString("legacy " + id),
                        new EncryptOptions(RANDOM).keyId(new BsonBinary(goneKey))));
            }
            if (id <= BADGE_VALUES) {
                person.append("badge", ciphertextHeaderOnly(awsKey));
            }
            people.add(person);
        }
        client.getDatabase(database).getCollection("people", BsonDocument.class).insertMany(people);
    }

    /**
     * A value shaped like random-algorithm ciphertext under {@code keyId}: the aws key's CMK is disabled,
     * so nothing can encrypt under it, and the audit reads only the header anyway.
     */
    private static BsonBinary ciphertextHeaderOnly(UUID keyId) {
        ByteBuffer buffer = ByteBuffer.allocate(18 + 64);
        buffer.put((byte) 2).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .put((byte) BsonType.STRING.getValue());
        return new BsonBinary(BsonBinarySubType.ENCRYPTED, buffer.array());
    }

    private void writeSchema() {
        BsonDocument properties = new BsonDocument()
                .append("ssn", encrypt(ssnKey, DETERMINISTIC))
                .append("card", encrypt(cardKey, RANDOM))
                .append("legacy", encrypt(goneKey, RANDOM))
                .append("badge", encrypt(awsKey, RANDOM));
        BsonDocument schemaMap = new BsonDocument(collection, new BsonDocument("bsonType", new BsonString("object"))
                .append("properties", properties));
        try {
            Files.writeString(schemaFile, schemaMap.toJson(JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BsonDocument encrypt(UUID keyId, String algorithm) {
        return new BsonDocument("encrypt", new BsonDocument("keyId", new BsonArray(List.of(new BsonBinary(keyId))))
                .append("bsonType", new BsonString("string"))
                .append("algorithm", new BsonString(algorithm)));
    }

    /** Drops the estate's database: the stack is shared, and tests that read all of it must see only the sandbox's seed. */
    public void drop(SandboxInfo info) {
        try (MongoClient client = MongoClients.create(info.mongodbUri())) {
            client.getDatabase(database).drop();
        }
    }
}
