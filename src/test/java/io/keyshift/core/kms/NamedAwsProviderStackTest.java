package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same-type rotation through a named provider: keys under {@code aws} (CMK A) are rewrapped to
 * {@code aws:next} (CMK B), whose credentials travel in its kmsProviders entry, and the result reads back
 * through a target-only client; the target checks dispatch to the AWS checklist for such a target.
 */
@ExtendWith(StackExtension.class)
class NamedAwsProviderStackTest {

    private static final MongoNamespace VAULT = new MongoNamespace("namedawsvault", "__keyVault");

    @Test
    void keysRewrappedToANamedAwsProviderDecryptWithOnlyThatProvider(TestStack stack) {
        SandboxInfo.Aws info = stack.info().aws();
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build();
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered(info.migrator().accessKeyId(),
                info.migrator().secretAccessKey().toCharArray(), null);
        try (MongoClient client = MongoClients.create(settings);
             AwsProvider aws = AwsProvider.of(keys, info.endpoint(), info.caFile());
             AwsProvider next = aws.named("aws:next")) {
            KmsTarget from = KmsTarget.aws(aws, info.region(), info.cmkArn());
            KmsTarget to = KmsTarget.aws(next, info.region(), info.nextCmkArn());
            BsonBinary ciphertext;
            BsonBinary id;
            try (KmsProviders both = new KmsProviders().with(aws).with(next);
                 ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, both)) {
                id = encryption.createDataKey("aws", new DataKeyOptions().masterKey(from.masterKey()));
                ciphertext = encryption.encrypt(new BsonString("rotated"),
                        new EncryptOptions("AEAD_AES_256_CBC_HMAC_SHA_512-Random").keyId(id));
                encryption.rewrapManyDataKey(new BsonDocument(),
                        new RewrapManyDataKeyOptions().provider("aws:next").masterKey(to.masterKey()));
            }
            try (KmsProviders onlyNext = new KmsProviders().with(next);
                 ClientEncryption targetOnly = ClientEncryptions.create(settings, VAULT, onlyNext)) {
                assertThat(targetOnly.decrypt(ciphertext).asString().getValue()).isEqualTo("rotated");
            }
            BsonDocument masterKey = client.getDatabase(VAULT.getDatabaseName()).getCollection(VAULT.getCollectionName(),
                    BsonDocument.class).find(Filters.eq("_id", id)).first().getDocument("masterKey");
            assertThat(masterKey.getString("provider").getValue()).isEqualTo("aws:next");
            assertThat(masterKey.getString("key").getValue()).isEqualTo(info.nextCmkArn());

            KmsCheckReport report = new TargetChecks(settings, VAULT).run(to, List.of(aws));

            assertThat(report.provider()).isEqualTo("aws:next");
            assertThat(report.checks()).extracting(KmsCheck::name).containsExactlyElementsOf(AwsKmsCheck.CHECKS);
            assertThat(report.passed()).isTrue();
            assertThat(report.detail("cmk")).contains(info.nextCmkArn());
        } finally {
            keys.destroy();
            try (MongoClient client = MongoClients.create(settings)) {
                client.getDatabase(VAULT.getDatabaseName()).drop();
            }
        }
    }
}
