package io.keyshift.sandbox;

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
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.PemTrust;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the sandbox is made of real servers: real ciphertext, real KMS signatures, real IAM policies,
 * a real KMIP server that wants a client certificate.
 */
@ExtendWith(StackExtension.class)
class SandboxStackTest {

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";

    @Test
    void keyVaultHoldsTheSeededDataKeysUnderTheLocalProvider(TestStack stack) {
        try (MongoClient client = client(stack)) {
            List<BsonDocument> keys = keyVault(client).find().into(new java.util.ArrayList<>());

            assertThat(keys).hasSize(SandboxDataKeys.SPECS.size());
            assertThat(keys).extracting(key -> key.getBinary("_id").asUuid())
                    .containsExactlyInAnyOrderElementsOf(SandboxDataKeys.ids(Sandbox.Options.DEFAULT_SEED));
            assertThat(keys).allSatisfy(key ->
                    assertThat(key.getDocument("masterKey").getString("provider").getValue()).isEqualTo("local"));
        }
    }

    @Test
    void seededValuesAreCiphertextThatDecryptsWithTheLocalKey(TestStack stack) throws Exception {
        try (MongoClient client = client(stack); ClientEncryption encryption = localEncryption(stack)) {
            BsonDocument employee = client.getDatabase("hr").getCollection("employees", BsonDocument.class)
                    .find(Filters.eq("_id", 0)).first();

            BsonBinary ssn = employee.getBinary("ssn");
            assertThat(ssn.getType()).isEqualTo(BsonBinarySubType.ENCRYPTED.getValue());
            assertThat(ssn.getData()[0]).as("deterministic algorithm marker").isEqualTo((byte) 1);
            assertThat(encryption.decrypt(ssn).asString().getValue()).matches("\\d{3}-\\d{2}-\\d{4}");
            assertThat(employee.getString("name").getValue()).isEqualTo("Employee 0");
            BsonBinary phone = employee.getArray("phones").get(0).asBinary();
            assertThat(phone.getType()).isEqualTo(BsonBinarySubType.ENCRYPTED.getValue());
        }
    }

    @Test
    void encryptedValueRoundTripsAndIsStoredAsBinarySubtype6(TestStack stack) throws Exception {
        UUID keyId = stack.sandbox().dataKeyIds().get(SandboxDataKeys.SPARE);
        try (MongoClient client = client(stack); ClientEncryption encryption = localEncryption(stack)) {
            BsonBinary ciphertext = encryption.encrypt(new BsonString("4111 1111 1111 1111"),
                    new EncryptOptions(DETERMINISTIC).keyId(new BsonBinary(keyId)));
            MongoCollection<BsonDocument> scratch = client.getDatabase("scratch").getCollection("roundTrip", BsonDocument.class);
            scratch.insertOne(new BsonDocument("_id", new BsonString("card")).append("pan", ciphertext));

            BsonValue stored = scratch.find(Filters.eq("_id", "card")).first().get("pan");
            // The stack is shared by the whole run: leave no ciphertext behind for other tests to find.
            scratch.drop();

            assertThat(stored.isBinary()).isTrue();
            assertThat(stored.asBinary().getType()).isEqualTo(BsonBinarySubType.ENCRYPTED.getValue());
            assertThat(encryption.decrypt(stored.asBinary()).asString().getValue()).isEqualTo("4111 1111 1111 1111");
        }
    }

    @Test
    void dataKeyCreatedUnderTheSandboxCmkWithTheAwsProvider(TestStack stack) {
        SandboxInfo.Aws aws = stack.info().aws();
        try (MongoClient client = client(stack);
             ClientEncryption encryption = awsEncryption(stack, aws.migrator().secretAccessKey())) {
            BsonBinary id = encryption.createDataKey("aws", new DataKeyOptions().masterKey(awsMasterKey(stack)));

            BsonDocument key = keyVault(client).find(Filters.eq("_id", id)).first();
            assertThat(key.getDocument("masterKey").getString("provider").getValue()).isEqualTo("aws");
            assertThat(key.getDocument("masterKey").getString("key").getValue()).isEqualTo(aws.cmkArn());
            BsonBinary ciphertext = encryption.encrypt(new BsonString("through AWS"),
                    new EncryptOptions(DETERMINISTIC).keyId(id));
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("through AWS");
            keyVault(client).deleteOne(Filters.eq("_id", id));
        }
    }

    @Test
    void dataKeyCreatedOnTheKmipServerEncryptsAndDecrypts(TestStack stack) {
        try (MongoClient client = client(stack); ClientEncryption encryption = kmipEncryption(stack)) {
            BsonBinary id = encryption.createDataKey("kmip", new DataKeyOptions().masterKey(new BsonDocument()));

            BsonDocument masterKey = keyVault(client).find(Filters.eq("_id", id)).first().getDocument("masterKey");
            assertThat(masterKey.getString("provider").getValue()).isEqualTo("kmip");
            assertThat(masterKey.getString("keyId").getValue()).as("the object the KMIP server created").isNotBlank();
            BsonBinary ciphertext = encryption.encrypt(new BsonString("through KMIP"),
                    new EncryptOptions(DETERMINISTIC).keyId(id));
            keyVault(client).deleteOne(Filters.eq("_id", id));
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("through KMIP");
        }
    }

    @Test
    void kmipServerRefusesAClientWithoutTheSandboxClientCertificate(TestStack stack) {
        try (ClientEncryption encryption = ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(settings(stack))
                .keyVaultNamespace(stack.info().keyVaultNamespace())
                .kmsProviders(Map.of("kmip", Map.of("endpoint", stack.info().kmip().endpoint())))
                .kmsProviderSslContextMap(Map.of("kmip", PemTrust.sslContext(stack.info().kmip().caFile())))
                .build())) {
            assertThatThrownBy(() -> encryption.createDataKey("kmip", new DataKeyOptions().masterKey(new BsonDocument())))
                    .isInstanceOf(com.mongodb.MongoClientException.class)
                    .as("PyKMIP ends the TLS handshake of a client without a certificate")
                    .hasMessageContaining("Exception in encryption library");
        }
    }

    @Test
    void migratorMayUseTheNextCmkToo(TestStack stack) {
        SandboxInfo.Aws aws = stack.info().aws();
        try (MongoClient client = client(stack);
             ClientEncryption encryption = awsEncryption(stack, aws.migrator().secretAccessKey())) {
            BsonBinary id = encryption.createDataKey("aws", new DataKeyOptions().masterKey(awsMasterKey(stack)));

            encryption.rewrapManyDataKey(Filters.eq("_id", id), new com.mongodb.client.model.vault.RewrapManyDataKeyOptions()
                    .provider("aws").masterKey(awsMasterKey(stack).append("key", new BsonString(aws.nextCmkArn()))));

            BsonDocument key = keyVault(client).find(Filters.eq("_id", id)).first();
            keyVault(client).deleteOne(Filters.eq("_id", id));
            assertThat(key.getDocument("masterKey").getString("key").getValue()).isEqualTo(aws.nextCmkArn());
            assertThat(aws.nextCmkArn()).isNotEqualTo(aws.cmkArn());
        }
    }

    @Test
    void wrongSecretIsRefusedByTheSignatureCheck(TestStack stack) {
        try (ClientEncryption encryption = awsEncryption(stack, "not-the-secret-of-keyshift-migrator")) {
            assertThatThrownBy(() -> encryption.createDataKey("aws", new DataKeyOptions().masterKey(awsMasterKey(stack))))
                    .hasMessageContaining("SignatureDoesNotMatch");
        }
    }

    @Test
    void readOnlyUserIsDeniedEncrypt(TestStack stack) {
        SandboxInfo.Credentials readOnly = stack.info().aws().readOnly();
        try (ClientEncryption encryption = awsEncryption(stack, readOnly.accessKeyId(), readOnly.secretAccessKey())) {
            assertThatThrownBy(() -> encryption.createDataKey("aws", new DataKeyOptions().masterKey(awsMasterKey(stack))))
                    .hasMessageContaining("AccessDenied")
                    .hasMessageContaining("kms:Encrypt");
        }
    }

    @Test
    void sandboxJsonDescribesEverythingAClientNeeds(TestStack stack) throws Exception {
        SandboxInfo reread = SandboxInfo.read(stack.dir().resolve(SandboxInfo.FILE_NAME));

        assertThat(reread).isEqualTo(stack.info());
        assertThat(reread.keyVaultNamespace()).isEqualTo("encryption.__keyVault");
        assertThat(reread.localKeyFile()).isRegularFile();
        assertThat(reread.localKeyFile().toFile().length()).isEqualTo(96);
        assertThat(reread.schemaMapFile()).isRegularFile();
        assertThat(reread.aws().caFile()).isRegularFile();
        assertThat(reread.aws().cmkArn()).startsWith("arn:aws:kms:us-east-1:").contains(":key/");
        assertThat(reread.aws().aliasArn()).endsWith(":alias/keyshift-sandbox");
        assertThat(reread.aws().endpoint()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(reread.aws().nextCmkArn()).startsWith("arn:aws:kms:us-east-1:").contains(":key/");
        assertThat(reread.kmip().endpoint()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(reread.kmip().caFile()).isRegularFile();
        assertThat(reread.kmip().clientCertFile()).content()
                .contains("-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(reread.kmip().clientCertFile())))
                .as("the client certificate file holds a private key").isEqualTo("rw-------");
    }

    @Test
    void schemaMapNamesTheSeededDataKeysByKeyId(TestStack stack) throws Exception {
        BsonDocument schemaMap = BsonDocument.parse(Files.readString(stack.info().schemaMapFile()));
        List<UUID> ids = stack.sandbox().dataKeyIds();

        BsonDocument ssn = schemaMap.getDocument("hr.employees").getDocument("properties")
                .getDocument("ssn").getDocument("encrypt");
        assertThat(ssn.getArray("keyId").get(0).asBinary().asUuid()).isEqualTo(ids.get(SandboxDataKeys.HR_SSN));
        assertThat(schemaMap.keySet()).containsExactly("hr.employees", "clinic.patients", "clinic.visits");
    }

    static MongoClient client(TestStack stack) {
        return MongoClients.create(settings(stack));
    }

    private static MongoClientSettings settings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }

    private static MongoCollection<BsonDocument> keyVault(MongoClient client) {
        return client.getDatabase("encryption").getCollection("__keyVault", BsonDocument.class);
    }

    private static ClientEncryption localEncryption(TestStack stack) throws Exception {
        byte[] key = Files.readAllBytes(stack.info().localKeyFile());
        return ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(settings(stack))
                .keyVaultNamespace(stack.info().keyVaultNamespace())
                .kmsProviders(Map.of("local", Map.of("key", key)))
                .build());
    }

    private static ClientEncryption awsEncryption(TestStack stack, String secret) {
        return awsEncryption(stack, stack.info().aws().migrator().accessKeyId(), secret);
    }

    private static ClientEncryption awsEncryption(TestStack stack, String accessKeyId, String secret) {
        return ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(settings(stack))
                .keyVaultNamespace(stack.info().keyVaultNamespace())
                .kmsProviders(Map.of("aws", Map.of("accessKeyId", accessKeyId, "secretAccessKey", secret)))
                .kmsProviderSslContextMap(Map.of("aws", PemTrust.sslContext(stack.info().aws().caFile())))
                .build());
    }

    private static ClientEncryption kmipEncryption(TestStack stack) {
        return ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(settings(stack))
                .keyVaultNamespace(stack.info().keyVaultNamespace())
                .kmsProviders(Map.of("kmip", Map.of("endpoint", stack.info().kmip().endpoint())))
                .kmsProviderSslContextMap(Map.of("kmip", KmipProvider.of(stack.info().kmip().endpoint(),
                        stack.info().kmip().caFile(), stack.info().kmip().clientCertFile()).sslContext().orElseThrow()))
                .build());
    }

    private static BsonDocument awsMasterKey(TestStack stack) {
        SandboxInfo.Aws aws = stack.info().aws();
        return new BsonDocument("region", new BsonString(aws.region()))
                .append("key", new BsonString(aws.cmkArn()))
                .append("endpoint", new BsonString(aws.endpoint()));
    }
}
