package io.keyshift.core.kms;

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
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What AwsTarget derives for the driver is enough, on its own, for the driver to use the CMK. */
@ExtendWith(StackExtension.class)
class AwsTargetDriverTest {

    /** A key vault of its own, so the seeded one stays as the other tests expect it. */
    private static final String KEY_VAULT_DB = "keyshift_aws_target_test";
    private static final String KEY_VAULT = KEY_VAULT_DB + ".__keyVault";

    private TestStack stack;

    @AfterEach
    void dropKeyVault() {
        if (stack != null) {
            try (MongoClient client = MongoClients.create(clientSettings(stack))) {
                client.getDatabase(KEY_VAULT_DB).drop();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"key ARN", "alias ARN", "alias name"})
    void driverCreatesAndUsesADataKeyWithOnlyWhatAwsTargetDerives(String cmkForm, TestStack stack) {
        this.stack = stack;
        SandboxInfo.Aws aws = stack.info().aws();
        String cmk = switch (cmkForm) {
            case "key ARN" -> aws.cmkArn();
            case "alias ARN" -> aws.aliasArn();
            default -> "alias/keyshift-sandbox";
        };
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered(aws.migrator().accessKeyId(),
                aws.migrator().secretAccessKey().toCharArray(), null);
        try (AwsTarget target = new AwsTarget(keys, aws.region(), cmk, aws.endpoint(), aws.caFile());
             ClientEncryption encryption = ClientEncryptions.create(ClientEncryptionSettings.builder()
                     .keyVaultMongoClientSettings(clientSettings(stack))
                     .keyVaultNamespace(KEY_VAULT)
                     .kmsProviders(Map.of(AwsTarget.KMS_PROVIDER, target.provider().kmsProviderEntry()))
                     .kmsProviderPropertySuppliers(Map.of(AwsTarget.KMS_PROVIDER, target.provider().credentials().orElseThrow()))
                     .kmsProviderSslContextMap(Map.of(AwsTarget.KMS_PROVIDER, target.provider().sslContext().orElseThrow()))
                     .build());
             MongoClient client = MongoClients.create(clientSettings(stack))) {
            BsonBinary id = encryption.createDataKey(AwsTarget.KMS_PROVIDER, new DataKeyOptions().masterKey(target.masterKey()));
            BsonBinary ciphertext = encryption.encrypt(new BsonString("4111 1111 1111 1111"),
                    new EncryptOptions("AEAD_AES_256_CBC_HMAC_SHA_512-Random").keyId(id));

            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("4111 1111 1111 1111");
            MongoCollection<BsonDocument> keyVault = client.getDatabase(KEY_VAULT_DB).getCollection("__keyVault", BsonDocument.class);
            BsonDocument stored = keyVault.find(Filters.eq("_id", id)).first().getDocument("masterKey");
            assertThat(stored).isEqualTo(new BsonDocument("provider", new BsonString("aws")).append("region",
                    new BsonString(aws.region())).append("key", new BsonString(cmk))
                    .append("endpoint", new BsonString(aws.endpoint())));
        } finally {
            keys.destroy();
        }
    }

    private static MongoClientSettings clientSettings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }
}
