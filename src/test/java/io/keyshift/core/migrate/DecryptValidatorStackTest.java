package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ValidationOptions;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** DECRYPT refuses a collection whose server-side validator requires its field to be encrypted. */
@ExtendWith(StackExtension.class)
class DecryptValidatorStackTest {

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";

    @TempDir
    Path dir;

    @Test
    void decryptIsBlockedWhereAValidatorRequiresEncryption(TestStack stack) {
        stack.assumeServerSideSchema();
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        try (MongoClient client = MongoClients.create(settings)) {
            MongoDatabase database = client.getDatabase("decrypt_validator_test");
            database.drop();
            try {
                BsonDocument validator = new BsonDocument("$jsonSchema", new BsonDocument("bsonType", new BsonString("object"))
                        .append("properties", new BsonDocument("ssn", new BsonDocument("encrypt",
                                new BsonDocument("keyId", new BsonArray(List.of(new BsonBinary(ssnKey))))
                                        .append("bsonType", new BsonString("string"))
                                        .append("algorithm", new BsonString(DETERMINISTIC))))));
                database.createCollection("people", new CreateCollectionOptions()
                        .validationOptions(new ValidationOptions().validator(validator)));
                BsonBinary ssn = client.getDatabase("hr").getCollection("employees", BsonDocument.class)
                        .find(Filters.exists("ssn")).first().getBinary("ssn");
                database.getCollection("people", BsonDocument.class)
                        .insertOne(new BsonDocument("_id", new BsonString("p1")).append("ssn", ssn));

                ValuePlan plan = ValuePlanner.plan(client, new MongoNamespace(stack.info().keyVaultNamespace()),
                        Strategy.DECRYPT, List.of(ssnKey), "local", null, 10, 1, false, dir.resolve("backup.json"));

                assertThat(plan.blockers()).anySatisfy(blocker -> assertThat(blocker)
                        .contains("decrypt_validator_test.people").contains("requires its fields to be encrypted"));
            } finally {
                database.drop();
            }
        }
    }
}
