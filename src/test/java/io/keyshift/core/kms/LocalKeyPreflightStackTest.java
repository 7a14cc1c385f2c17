package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.KeyCheck.Outcome;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The preflight on a vault mixing a named local provider, the plain one, and an AWS key. */
@ExtendWith(StackExtension.class)
class LocalKeyPreflightStackTest {

    private static final MongoNamespace VAULT = new MongoNamespace("preflightvault", "__keyVault");

    @Test
    void namedLocalProvidersAreCheckedWithTheSameKeyAndAwsKeysAreSkipped(TestStack stack) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build();
        UUID awsKey = UUID.randomUUID();
        try (MongoClient client = MongoClients.create(settings);
             LocalMasterKey masterKey = LocalMasterKey.load(stack.info().localKeyFile())) {
            UUID named;
            UUID plain;
            try (LocalProvider local = LocalProvider.of("local", masterKey, stack.info().localKeyFile());
                 LocalProvider old = local.named("local:old");
                 KmsProviders providers = new KmsProviders().with(old).with(local);
                 ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, providers)) {
                named = encryption.createDataKey("local:old").asUuid();
                plain = encryption.createDataKey("local").asUuid();
            }
            client.getDatabase(VAULT.getDatabaseName()).getCollection(VAULT.getCollectionName(), BsonDocument.class)
                    .insertOne(new BsonDocument("_id", new BsonBinary(awsKey))
                            .append("keyMaterial", new BsonBinary(new byte[160]))
                            .append("creationDate", new BsonDateTime(0))
                            .append("updateDate", new BsonDateTime(0))
                            .append("status", new BsonInt32(0))
                            .append("masterKey", new BsonDocument("provider", new BsonString("aws"))
                                    .append("region", new BsonString("us-east-1"))
                                    .append("key", new BsonString(stack.info().aws().cmkArn()))));
            try {
                List<DataKey> keys = KeyVault.open(client, VAULT).listAll(new BsonDocument(), 100);

                PreflightReport report = new LocalKeyPreflight(settings, VAULT).check(masterKey, keys);

                assertThat(report.checks()).extracting(KeyCheck::keyId, KeyCheck::provider, KeyCheck::outcome)
                        .containsExactlyInAnyOrder(
                                tuple(named, "local:old", Outcome.OK),
                                tuple(plain, "local", Outcome.OK),
                                tuple(awsKey, "aws", Outcome.SKIPPED));
                assertThat(report.passed()).isTrue();
            } finally {
                client.getDatabase(VAULT.getDatabaseName()).drop();
            }
        }
    }

    @Test
    void aKeyWithDamagedMaterialIsBlamedOnItsMaterialWhenTheFileOpensTheOthers(TestStack stack) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build();
        try (MongoClient client = MongoClients.create(settings);
             LocalMasterKey masterKey = LocalMasterKey.load(stack.info().localKeyFile())) {
            UUID healthy;
            UUID damaged;
            try (LocalProvider local = LocalProvider.of("local", masterKey, stack.info().localKeyFile());
                 KmsProviders providers = new KmsProviders().with(local);
                 ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, providers)) {
                healthy = encryption.createDataKey("local").asUuid();
                damaged = encryption.createDataKey("local").asUuid();
            }
            MongoCollection<BsonDocument> vault = client.getDatabase(VAULT.getDatabaseName())
                    .getCollection(VAULT.getCollectionName(), BsonDocument.class);
            Bson damagedKey = Filters.eq("_id", new BsonBinary(damaged));
            byte[] material = vault.find(damagedKey).first().getBinary("keyMaterial").getData();
            material[material.length / 2] ^= 1;
            vault.updateOne(damagedKey, Updates.set("keyMaterial", new BsonBinary(material)));
            try {
                List<DataKey> keys = KeyVault.open(client, VAULT).listAll(new BsonDocument(), 100);

                PreflightReport report = new LocalKeyPreflight(settings, VAULT).check(masterKey, keys);

                assertThat(report.checks()).extracting(KeyCheck::keyId, KeyCheck::outcome)
                        .containsExactlyInAnyOrder(tuple(healthy, Outcome.OK), tuple(damaged, Outcome.FAILS));
                assertThat(report.failures().get(0).reason())
                        .contains("the same key file opens 1 other key(s) of provider local")
                        .contains("this key's material looks damaged")
                        .doesNotContain("the key file is not the one");
            } finally {
                client.getDatabase(VAULT.getDatabaseName()).drop();
            }
        }
    }
}
