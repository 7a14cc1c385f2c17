package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure and GCP keys as migration sources: the per-key preflight opens them through the sandbox's emulators. */
@ExtendWith(StackExtension.class)
class CloudSourcePreflightStackTest {

    private static final MongoNamespace VAULT = new MongoNamespace("cloudpreflightvault", "__keyVault");

    private MongoClientSettings settings;
    private MongoClient client;
    private SandboxInfo.Azure azureInfo;
    private SandboxInfo.Gcp gcpInfo;
    private AzureProvider azure;
    private GcpProvider gcp;

    @BeforeEach
    void createOneKeyPerCloud(TestStack stack) {
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build();
        client = MongoClients.create(settings);
        azureInfo = stack.info().azure();
        gcpInfo = stack.info().gcp();
        azure = AzureProvider.of(azureInfo.tenantId(), azureInfo.clientId(), azureInfo.clientSecret(),
                azureInfo.identityPlatformEndpoint(), azureInfo.caFile());
        gcp = GcpProvider.fromCredentialsFile(gcpInfo.credentialsFile(), null, gcpInfo.caFile());
        KmsTarget azureKey = azure.target(azureInfo.keyVaultEndpoint(), azureInfo.keyName(), null);
        KmsTarget gcpKey = gcp.target(gcpInfo.projectId(), gcpInfo.location(), gcpInfo.keyRing(), gcpInfo.keyName(), null,
                gcpInfo.endpoint());
        try (KmsProviders both = new KmsProviders().with(azure).with(gcp);
             ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, both)) {
            encryption.createDataKey("azure", new DataKeyOptions().masterKey(azureKey.masterKey()));
            encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpKey.masterKey()));
        }
    }

    @AfterEach
    void dropVault() {
        client.getDatabase(VAULT.getDatabaseName()).drop();
        client.close();
        azure.close();
        gcp.close();
    }

    @Test
    void everyCloudKeyOpensUnderItsProvider() {
        try (SourceProviders sources = SourceProviders.forKeys(keys(), List.of(azure, gcp))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            assertThat(report.passed()).isTrue();
            assertThat(report.checks()).extracting(KeyCheck::provider).containsExactlyInAnyOrder("azure", "gcp");
        }
    }

    @Test
    void principalsThatMayNotUnwrapBlockTheMigrationWithTheirReason() {
        try (AzureProvider reader = AzureProvider.of(azureInfo.tenantId(), azureInfo.readOnlyClientId(),
                azureInfo.readOnlyClientSecret(), azureInfo.identityPlatformEndpoint(), azureInfo.caFile());
             GcpProvider viewer = GcpProvider.fromCredentialsFile(gcpInfo.readOnlyCredentialsFile(), null, gcpInfo.caFile());
             SourceProviders sources = SourceProviders.forKeys(keys(), List.of(reader, viewer))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            assertThat(report.passed()).isFalse();
            assertThat(report.failures()).extracting(KeyCheck::provider).containsExactlyInAnyOrder("azure", "gcp");
            assertThat(report.failures()).extracting(KeyCheck::reason).allSatisfy(reason -> assertThat(reason).contains("refused to unwrap").contains("(HTTP 403)").contains("grant the credentials"));
        }
    }

    private List<DataKey> keys() {
        return KeyVault.open(client, VAULT).listAll(new BsonDocument(), 100);
    }
}
