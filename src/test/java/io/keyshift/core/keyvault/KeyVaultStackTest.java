package io.keyshift.core.keyvault;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(StackExtension.class)
class KeyVaultStackTest {

    private static final MongoNamespace SANDBOX_VAULT = new MongoNamespace(SandboxDataKeys.KEY_VAULT_NAMESPACE);

    /** A data key document as drivers store it; the key material is filler, never decrypted here. */
    static BsonDocument dataKeyDocument(UUID id, BsonDocument masterKey) {
        return new BsonDocument("_id", new BsonBinary(id))
                .append("keyMaterial", new BsonBinary(new byte[160]))
                .append("creationDate", new BsonDateTime(1_700_000_000_000L))
                .append("updateDate", new BsonDateTime(1_700_000_000_000L))
                .append("status", new BsonInt32(0))
                .append("masterKey", masterKey);
    }

    @Test
    void listsTheSeededKeysWithoutTheirKeyMaterial(TestStack stack) {
        try (MongoClient client = MongoClients.create(stack.info().mongodbUri())) {
            List<DataKey> keys = KeyVault.open(client, SANDBOX_VAULT).listAll(new BsonDocument(), 1000);

            assertThat(keys).extracting(DataKey::id)
                    .containsExactlyInAnyOrderElementsOf(stack.sandbox().dataKeyIds());
            assertThat(keys).allSatisfy(key -> {
                assertThat(key.masterKey().provider()).isEqualTo("local");
                assertThat(key.creationDate()).isNotNull();
                assertThat(key.status()).isZero();
            });
        }
    }

    @Test
    void pagesThroughTheVaultInIdOrderWithoutRepeatsOrGaps(TestStack stack) {
        MongoNamespace namespace = new MongoNamespace("pagingvault", "__keyVault");
        try (MongoClient client = MongoClients.create(stack.info().mongodbUri())) {
            MongoCollection<BsonDocument> collection = client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class);
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                collection.insertOne(dataKeyDocument(id, new BsonDocument("provider", new BsonString("aws:prod"))
                        .append("region", new BsonString("eu-west-1"))
                        .append("key", new BsonString("arn:aws:kms:eu-west-1:111122223333:key/k" + i))));
            }
            try {
                KeyVault vault = KeyVault.open(client, namespace);
                List<DataKey> seen = new ArrayList<>();
                KeyPage page = vault.list(new BsonDocument(), Page.first(10));
                int pages = 1;
                seen.addAll(page.keys());
                while (page.next().isPresent()) {
                    page = vault.list(new BsonDocument(), page.next().get());
                    seen.addAll(page.keys());
                    pages++;
                }

                assertThat(pages).isEqualTo(3);
                assertThat(seen).extracting(DataKey::id).containsExactlyInAnyOrderElementsOf(ids)
                        .doesNotHaveDuplicates();
                assertThat(new HashSet<>(seen.stream().map(key -> key.masterKey().providerType()).toList()))
                        .containsExactly("aws");
                assertThat(seen.get(0).masterKey().region()).contains("eu-west-1");
                assertThat(vault.list(Filters.eq("masterKey.key", "arn:aws:kms:eu-west-1:111122223333:key/k7"),
                        Page.first(10)).keys()).singleElement().extracting(DataKey::id).isEqualTo(ids.get(7));
            } finally {
                collection.drop();
            }
        }
    }

    @Test
    void reportsTheKeyAltNamesIndexAsTheServerAllows(TestStack stack) {
        try (MongoClient client = MongoClients.create(stack.info().mongodbUri())) {
            KeyVault vault = KeyVault.open(client, SANDBOX_VAULT);

            assertThat(vault.altNamesIndex(stack.supportsServerSideSchema()))
                    .isEqualTo(stack.supportsServerSideSchema() ? AltNamesIndex.PRESENT : AltNamesIndex.NOT_SUPPORTED);
        }
    }

    @Test
    void refusesAMistypedNamespace(TestStack stack) {
        try (MongoClient client = MongoClients.create(stack.info().mongodbUri())) {
            assertThatThrownBy(() -> KeyVault.open(client, new MongoNamespace("encryption", "__keyvault")))
                    .isInstanceOf(KeyShiftException.class)
                    .hasMessageStartingWith("There is no collection encryption.__keyvault on this cluster");
        }
    }
}
