package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.testing.CloudKmsEmulators;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The Azure and GCP providers, built by their factories, drive the real driver through the emulators. */
@ExtendWith(StackExtension.class)
class CloudProvidersDriverTest {

    private static final String RANDOM_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    private static CloudKmsEmulators emulators;

    @BeforeAll
    static void startEmulators(@TempDir Path dir) {
        emulators = CloudKmsEmulators.start(dir);
    }

    @AfterAll
    static void stopEmulators() {
        emulators.close();
    }

    @Test
    void azureProviderFromClientCredentialsCreatesAndOpensADataKey(TestStack stack) {
        try (AzureProvider provider = azure()) {
            assertRoundTrip(stack, provider.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, null));
        }
    }

    @Test
    void namedAzureProviderPinnedToAVersionWorksToo(TestStack stack) {
        try (AzureProvider provider = azure(); AzureProvider named = provider.named("azure:next")) {
            String version = emulators.azure().keyVersion(CloudKmsEmulators.AZURE_KEY);
            assertRoundTrip(stack, named.target(emulators.azure().endpoint(), CloudKmsEmulators.AZURE_KEY, version));
        }
    }

    @Test
    void rotatingAnAzureKeyStrandsDataKeysWithoutAVersionButNotPinnedOnes(TestStack stack) {
        String key = CloudKmsEmulators.AZURE_ROTATING_KEY;
        try (AzureProvider provider = azure()) {
            KmsTarget unpinned = provider.target(emulators.azure().endpoint(), key, null);
            KmsTarget pinned = provider.target(emulators.azure().endpoint(), key, emulators.azure().keyVersion(key));
            BsonBinary unpinnedKey = createKey(stack, unpinned);
            BsonBinary pinnedKey = createKey(stack, pinned);

            emulators.azure().rotateKey(key);

            try (KmsProviders providers = new KmsProviders().with(provider);
                 ClientEncryption encryption = ClientEncryptions.create(settings(stack), keyVault(stack), providers)) {
                assertThat(catchThrowable(() -> encryption.encrypt(new BsonString("x"),
                        new EncryptOptions(RANDOM_ALGORITHM).keyId(unpinnedKey))))
                        .hasMessageContaining("Unwrap failed");
                assertThat(encryption.encrypt(new BsonString("x"), new EncryptOptions(RANDOM_ALGORITHM).keyId(pinnedKey))
                        .getType()).isEqualTo((byte) 6);
                encryption.deleteKey(unpinnedKey);
                encryption.deleteKey(pinnedKey);
            }
        }
    }

    @Test
    void gcpProviderFromAServiceAccountKeyFileCreatesAndOpensADataKey(TestStack stack) {
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(emulators.encrypterFile(), emulators.gcp().endpoint(),
                emulators.caFile())) {
            assertRoundTrip(stack, provider.target(CloudKmsEmulators.PROJECT, CloudKmsEmulators.LOCATION,
                    CloudKmsEmulators.KEY_RING, CloudKmsEmulators.GCP_ROTATED_KEY, "1", emulators.gcp().endpoint()));
        }
    }

    private static AzureProvider azure() {
        return AzureProvider.of(CloudKmsEmulators.TENANT, CloudKmsEmulators.AZURE_MIGRATOR.clientId(),
                CloudKmsEmulators.AZURE_MIGRATOR.clientSecret(), emulators.azure().endpoint(), emulators.caFile());
    }

    private static BsonBinary createKey(TestStack stack, KmsTarget target) {
        try (KmsProviders providers = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings(stack), keyVault(stack), providers)) {
            return encryption.createDataKey(target.provider().name(), new DataKeyOptions().masterKey(target.masterKey()));
        }
    }

    private static MongoClientSettings settings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }

    private static MongoNamespace keyVault(TestStack stack) {
        return new MongoNamespace(stack.info().keyVaultNamespace());
    }

    /** A data key under the target, a value encrypted with it, and a fresh client knowing only the target reading it. */
    private static void assertRoundTrip(TestStack stack, KmsTarget target) {
        MongoClientSettings settings = settings(stack);
        MongoNamespace keyVault = keyVault(stack);
        String name = target.provider().name();
        BsonBinary keyId;
        BsonBinary ciphertext;
        try (KmsProviders providers = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings, keyVault, providers)) {
            keyId = encryption.createDataKey(name, new DataKeyOptions().masterKey(target.masterKey()));
            ciphertext = encryption.encrypt(new BsonString(target.describe()), new EncryptOptions(RANDOM_ALGORITHM).keyId(keyId));
        }
        try (KmsProviders providers = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings, keyVault, providers)) {
            assertThat(encryption.getKey(keyId).getDocument("masterKey").getString("provider").getValue()).isEqualTo(name);
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo(target.describe());
            encryption.deleteKey(keyId);
        }
    }
}
