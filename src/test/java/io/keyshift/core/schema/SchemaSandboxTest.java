package io.keyshift.core.schema;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema rewrite on the sandbox: its real schema-map file, its real key vault, its server. */
@ExtendWith(StackExtension.class)
class SchemaSandboxTest {

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";

    @TempDir
    Path dir;

    /** A copy, so the shared sandbox file stays as seeded for every other test. */
    private Path copyOfSandboxSchema(TestStack stack) throws IOException {
        return Files.copy(stack.info().schemaMapFile(), dir.resolve("schema-map.json"));
    }

    /** A REKEY mapping: every seeded DEK that encrypts something gets a new DEK. */
    private static Map<UUID, UUID> rekeyMapping(TestStack stack) {
        Map<UUID, UUID> mapping = new LinkedHashMap<>();
        List<UUID> ids = stack.sandbox().dataKeyIds();
        for (int index : List.of(SandboxDataKeys.HR_SSN, SandboxDataKeys.HR_PAY, SandboxDataKeys.HR_ADDRESS,
                SandboxDataKeys.CLINIC_PII, SandboxDataKeys.CLINIC_NOTES)) {
            mapping.put(ids.get(index), UUID.randomUUID());
        }
        return mapping;
    }

    @Test
    void rewritesTheSandboxSchemaFileFromARekeyMapping(TestStack stack) throws IOException {
        Path file = copyOfSandboxSchema(stack);
        byte[] original = Files.readAllBytes(file);
        Map<UUID, UUID> mapping = rekeyMapping(stack);
        Set<UUID> vaultAfterRekey = new HashSet<>(vaultDekIds(stack));
        vaultAfterRekey.addAll(mapping.values());
        SchemaFile source = SchemaSource.readFile(file);

        SchemaPreview preview = SchemaDiff.preview(source,
                KeyIdRewriter.rekey(new DekMapping(mapping, true), Optional.of(vaultAfterRekey)).rewrite(source));
        Path backup = new SchemaWriter(Clock.systemUTC()).writeFile(preview);

        // hr.employees: ssn, salary, hireDate, address.street; clinic.patients: insurance.memberId and
        // the collection's encryptMetadata; clinic.visits: notes.
        assertThat(preview.rewrite().replaced()).extracting(r -> r.namespace() + " " + r.path()).containsExactly(
                "hr.employees ssn", "hr.employees salary", "hr.employees hireDate", "hr.employees address.street",
                "clinic.patients insurance.memberId", "clinic.patients encryptMetadata", "clinic.visits notes");
        assertThat(preview.rewrite().unknown()).isEmpty();
        assertThat(Files.readAllBytes(backup)).isEqualTo(original);
        SchemaFile written = SchemaSource.readFile(file);
        assertThat(keyIdsIn(written.content())).isNotEmpty().allMatch(mapping.values()::contains);
        String expected = ExtendedJson.canonical(source.content());
        for (Map.Entry<UUID, UUID> pair : mapping.entrySet()) {
            expected = expected.replace(SchemaJson.base64(pair.getKey()), SchemaJson.base64(pair.getValue()));
        }
        assertThat(ExtendedJson.canonical(written.content())).isEqualTo(expected);
    }

    @Test
    void listsKeyIdsNamingDeksAbsentFromTheRealKeyVault(TestStack stack) throws IOException {
        SchemaFile source = SchemaSource.readFile(copyOfSandboxSchema(stack));
        UUID neverCreated = UUID.randomUUID();
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);

        SchemaRewrite rewrite = KeyIdRewriter.rekey(new DekMapping(Map.of(ssnKey, neverCreated), false),
                Optional.of(vaultDekIds(stack))).rewrite(source);

        assertThat(rewrite.unknown()).containsExactly(new SchemaRewrite.UnknownKeyId("hr.employees", "ssn", neverCreated));
    }

    @Test
    void rewritesAServerValidatorWithCollModKeepingLevelAndAction(TestStack stack) {
        stack.assumeServerSideSchema();
        UUID oldKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.SPARE);
        UUID newKey = UUID.randomUUID();
        try (MongoClient client = client(stack)) {
            MongoDatabase database = client.getDatabase("schema_validator_test");
            database.drop();
            try {
                database.createCollection("cards", new CreateCollectionOptions().validationOptions(new ValidationOptions()
                        .validator(validator(oldKey)).validationLevel(ValidationLevel.MODERATE)
                        .validationAction(ValidationAction.WARN)));
                ServerValidators source = SchemaSource.readValidators(client, "test");
                SchemaPreview preview = SchemaDiff.preview(source,
                        KeyIdRewriter.rekey(new DekMapping(Map.of(oldKey, newKey), false), Optional.empty()).rewrite(source));

                new SchemaWriter(Clock.systemUTC()).writeValidators(client, preview, dir);

                ServerValidators.CollectionValidator live = SchemaSource.readValidator(client, "schema_validator_test.cards");
                assertThat(live.validator()).isEqualTo(validator(newKey));
                assertThat(live.validationLevel()).isEqualTo("moderate");
                assertThat(live.validationAction()).isEqualTo("warn");
            } finally {
                database.drop();
            }
        }
    }

    @Test
    void refusesToChangeAValidatorThatChangedSinceThePreview(TestStack stack) {
        stack.assumeServerSideSchema();
        UUID oldKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.SPARE);
        try (MongoClient client = client(stack)) {
            MongoDatabase database = client.getDatabase("schema_validator_race_test");
            database.drop();
            try {
                database.createCollection("cards", new CreateCollectionOptions()
                        .validationOptions(new ValidationOptions().validator(validator(oldKey))));
                ServerValidators source = SchemaSource.readValidators(client, "test");
                SchemaPreview preview = SchemaDiff.preview(source, KeyIdRewriter.rekey(
                        new DekMapping(Map.of(oldKey, UUID.randomUUID()), false), Optional.empty()).rewrite(source));
                BsonDocument editedMeanwhile = validator(UUID.randomUUID());
                database.runCommand(new BsonDocument("collMod", new BsonString("cards")).append("validator", editedMeanwhile));

                assertThatThrownBy(() -> new SchemaWriter(Clock.systemUTC()).writeValidators(client, preview, dir))
                        .isInstanceOf(SchemaChangedException.class)
                        .hasMessageContaining("The validator of schema_validator_race_test.cards changed since the preview");
                assertThat(SchemaSource.readValidator(client, "schema_validator_race_test.cards").validator())
                        .isEqualTo(editedMeanwhile);
                assertThat(dir).as("no backup: nothing was written").isEmptyDirectory();
            } finally {
                database.drop();
            }
        }
    }

    private static BsonDocument validator(UUID keyId) {
        return new BsonDocument("$jsonSchema", new BsonDocument("bsonType", new BsonString("object"))
                .append("properties", new BsonDocument("pan", new BsonDocument("encrypt",
                        new BsonDocument("keyId", new BsonArray(List.of(new BsonBinary(keyId))))
                                .append("bsonType", new BsonString("string"))
                                .append("algorithm", new BsonString(DETERMINISTIC))))));
    }

    private static MongoClient client(TestStack stack) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build());
    }

    private static Set<UUID> vaultDekIds(TestStack stack) {
        String[] namespace = stack.info().keyVaultNamespace().split("\\.", 2);
        try (MongoClient client = client(stack)) {
            Set<UUID> ids = new HashSet<>();
            client.getDatabase(namespace[0]).getCollection(namespace[1], BsonDocument.class)
                    .find().projection(new BsonDocument("_id", new BsonInt32(1)))
                    .forEach(key -> ids.add(key.getBinary("_id").asUuid()));
            return ids;
        }
    }

    private static List<UUID> keyIdsIn(BsonValue value) {
        List<UUID> ids = new ArrayList<>();
        if (value.isDocument()) {
            value.asDocument().forEach((key, child) -> {
                if (key.equals("keyId") && child.isArray()) {
                    child.asArray().forEach(id -> ids.add(id.asBinary().asUuid()));
                } else {
                    ids.addAll(keyIdsIn(child));
                }
            });
        } else if (value.isArray()) {
            value.asArray().forEach(element -> ids.addAll(keyIdsIn(element)));
        }
        return ids;
    }
}
