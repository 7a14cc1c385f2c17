package io.keyshift.sandbox.emulator;

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
import io.keyshift.core.kms.PemTrust;
import io.keyshift.testing.CloudKmsEmulators;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real Java driver, knowing only the emulated provider, creates a data key, encrypts and decrypts
 * through each emulator; wrong credentials and a missing permission fail as they would in the cloud.
 */
@ExtendWith(StackExtension.class)
class KmsEmulatorsTest {

    private static final String RANDOM_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";
    private static final AzureKeyVaultEmulator.Client MIGRATOR = CloudKmsEmulators.AZURE_MIGRATOR;
    private static final AzureKeyVaultEmulator.Client READER = CloudKmsEmulators.AZURE_READER;

    private static CloudKmsEmulators emulators;
    private static SSLContext trustSandboxCa;

    @BeforeAll
    static void startEmulators(@TempDir Path dir) {
        emulators = CloudKmsEmulators.start(dir);
        trustSandboxCa = PemTrust.sslContext(emulators.caFile());
    }

    @AfterAll
    static void stopEmulators() {
        emulators.close();
    }

    @Test
    void azureDataKeyIsCreatedAndUsedThroughTheEmulator(TestStack stack) {
        Map<String, Object> credentials = azureCredentials(MIGRATOR.clientId(), MIGRATOR.clientSecret());
        BsonBinary keyId;
        BsonBinary ciphertext;
        try (ClientEncryption encryption = encryption(stack, "azure", credentials)) {
            keyId = encryption.createDataKey("azure", new DataKeyOptions().masterKey(azureMasterKey()));
            ciphertext = encryption.encrypt(new BsonString("through Azure"), new EncryptOptions(RANDOM_ALGORITHM).keyId(keyId));
        }
        // A new client has no cached data key: it must unwrap through the emulator again.
        try (ClientEncryption encryption = encryption(stack, "azure", credentials); MongoClient client = client(stack)) {
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("through Azure");
            BsonDocument masterKey = keyVault(client).find(Filters.eq("_id", keyId)).first().getDocument("masterKey");
            assertThat(masterKey.getString("provider").getValue()).isEqualTo("azure");
            assertThat(masterKey.getString("keyName").getValue()).isEqualTo(CloudKmsEmulators.AZURE_KEY);
            keyVault(client).deleteOne(Filters.eq("_id", keyId));
        }
    }

    @Test
    void azureRefusesAWrongClientSecret(TestStack stack) {
        try (ClientEncryption encryption = encryption(stack, "azure", azureCredentials(MIGRATOR.clientId(), "not-the-secret"))) {
            assertThatThrownBy(() -> encryption.createDataKey("azure", new DataKeyOptions().masterKey(azureMasterKey())))
                    .hasMessageContaining("HTTP status=401")
                    .hasMessageContaining("invalid_client");
        }
    }

    @Test
    void azureRefusesATokenItDidNotIssue(TestStack stack) {
        try (ClientEncryption encryption = encryption(stack, "azure", Map.of("accessToken", "made-up-token"))) {
            assertThatThrownBy(() -> encryption.createDataKey("azure", new DataKeyOptions().masterKey(azureMasterKey())))
                    .hasMessageContaining("HTTP status=401")
                    .hasMessageContaining("Unauthorized");
        }
    }

    @Test
    void azureDeniesWrapKeyToAClientWithoutThePermission(TestStack stack) {
        try (ClientEncryption encryption = encryption(stack, "azure", azureCredentials(READER.clientId(), READER.clientSecret()))) {
            assertThatThrownBy(() -> encryption.createDataKey("azure", new DataKeyOptions().masterKey(azureMasterKey())))
                    .hasMessageContaining("HTTP status=403")
                    .hasMessageContaining("does not have keys wrapKey permission");
        }
    }

    @Test
    void gcpDataKeyIsCreatedAndUsedThroughTheEmulator(TestStack stack) {
        Map<String, Object> credentials = gcpCredentials(emulators.encrypter().email(), emulators.encrypter());
        BsonBinary keyId;
        BsonBinary ciphertext;
        try (ClientEncryption encryption = encryption(stack, "gcp", credentials)) {
            keyId = encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpMasterKey()));
            ciphertext = encryption.encrypt(new BsonString("through GCP"), new EncryptOptions(RANDOM_ALGORITHM).keyId(keyId));
        }
        try (ClientEncryption encryption = encryption(stack, "gcp", credentials); MongoClient client = client(stack)) {
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("through GCP");
            BsonDocument masterKey = keyVault(client).find(Filters.eq("_id", keyId)).first().getDocument("masterKey");
            assertThat(masterKey.getString("provider").getValue()).isEqualTo("gcp");
            keyVault(client).deleteOne(Filters.eq("_id", keyId));
        }
    }

    @Test
    void gcpRefusesAnAssertionSignedWithAnotherKey(TestStack stack) {
        ServiceAccountKey impostor = ServiceAccountKey.generate(emulators.encrypter().email());
        try (ClientEncryption encryption = encryption(stack, "gcp", gcpCredentials(emulators.encrypter().email(), impostor))) {
            assertThatThrownBy(() -> encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpMasterKey())))
                    .hasMessageContaining("invalid_grant")
                    .hasMessageContaining("Invalid JWT Signature");
        }
    }

    @Test
    void gcpRefusesATokenItDidNotIssue(TestStack stack) {
        try (ClientEncryption encryption = encryption(stack, "gcp", Map.of("accessToken", "made-up-token"))) {
            assertThatThrownBy(() -> encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpMasterKey())))
                    .hasMessageContaining("HTTP status=401")
                    .hasMessageContaining("UNAUTHENTICATED");
        }
    }

    @Test
    void gcpDeniesEncryptToAnAccountWithoutThePermission(TestStack stack) {
        ServiceAccountKey viewer = emulators.viewer();
        try (ClientEncryption encryption = encryption(stack, "gcp", gcpCredentials(viewer.email(), viewer))) {
            assertThatThrownBy(() -> encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpMasterKey())))
                    .hasMessageContaining("HTTP status=403")
                    .hasMessageContaining("cloudkms.cryptoKeyVersions.useToEncrypt");
        }
    }

    private static Map<String, Object> azureCredentials(String clientId, String clientSecret) {
        return Map.of("tenantId", CloudKmsEmulators.TENANT, "clientId", clientId, "clientSecret", clientSecret,
                "identityPlatformEndpoint", emulators.azure().endpoint());
    }

    private static BsonDocument azureMasterKey() {
        return new BsonDocument("keyVaultEndpoint", new BsonString(emulators.azure().endpoint()))
                .append("keyName", new BsonString(CloudKmsEmulators.AZURE_KEY));
    }

    private static Map<String, Object> gcpCredentials(String email, ServiceAccountKey key) {
        return Map.of("email", email, "privateKey", key.keyPair().getPrivate().getEncoded(), "endpoint", emulators.gcp().endpoint());
    }

    private static BsonDocument gcpMasterKey() {
        return new BsonDocument("projectId", new BsonString(CloudKmsEmulators.PROJECT))
                .append("location", new BsonString("global"))
                .append("keyRing", new BsonString("keyshift-ring"))
                .append("keyName", new BsonString("keyshift-key"))
                .append("endpoint", new BsonString(emulators.gcp().endpoint()));
    }

    private static ClientEncryption encryption(TestStack stack, String provider, Map<String, Object> credentials) {
        return ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(settings(stack))
                .keyVaultNamespace(stack.info().keyVaultNamespace())
                .kmsProviders(Map.of(provider, credentials))
                .kmsProviderSslContextMap(Map.of(provider, trustSandboxCa))
                .build());
    }

    private static MongoClient client(TestStack stack) {
        return MongoClients.create(settings(stack));
    }

    private static MongoClientSettings settings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }

    private static MongoCollection<BsonDocument> keyVault(MongoClient client) {
        return client.getDatabase("encryption").getCollection("__keyVault", BsonDocument.class);
    }
}
