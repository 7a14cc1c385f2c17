package io.keyshift.core.migrate;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CutoverTest {

    private static final MigrationRecord.Target AZURE = new MigrationRecord.Target("azure",
            new BsonDocument("keyVaultEndpoint", new BsonString("prod.vault.azure.net"))
                    .append("keyName", new BsonString("customer-data")), null);
    private static final MigrationRecord.Target GCP = new MigrationRecord.Target("gcp",
            new BsonDocument("projectId", new BsonString("shop-prod")).append("location", new BsonString("global"))
                    .append("keyRing", new BsonString("csfle")).append("keyName", new BsonString("customer-data")), null);

    @Test
    void theSettingsBeforeARewrapToAzureKeepTheLocalKeyBesideAzureAndNameTheKeyToCreateNewDataKeysUnder() {
        String settings = Cutover.bothProviders(Strategy.REWRAP, "local", AZURE);

        assertThat(settings).contains("\"local\": { \"key\": <the 96-byte local master key the application uses today> }")
                .contains("\"azure\": { \"tenantId\": <AZURE_TENANT_ID>, \"clientId\": <AZURE_CLIENT_ID>, \"clientSecret\":"
                        + " <AZURE_CLIENT_SECRET> }")
                .endsWith("\"masterKey\": {\"keyVaultEndpoint\": \"prod.vault.azure.net\", \"keyName\": \"customer-data\"}");
    }

    @Test
    void thePlanOfARekeyFromAzureToGcpSaysWhichProvidersToDeployAndWhichKeyTheNewOnesAreUnder() {
        assertThat(Cutover.describe(Strategy.REKEY, "azure", GCP))
                .contains("  Both providers, to deploy in every application before the run:")
                .anySatisfy(line -> assertThat(line).contains("\"azure\": { \"tenantId\": <AZURE_TENANT_ID>"))
                .anySatisfy(line -> assertThat(line).contains("\"gcp\": { \"email\": <the service account's email>,"
                        + " \"privateKey\": <its private key> }"))
                .anySatisfy(line -> assertThat(line).contains("\"masterKey\": {\"projectId\": \"shop-prod\""))
                .anySatisfy(line -> assertThat(line).contains("verifies with only the gcp provider"));
    }

    @Test
    void decryptNeedsNoNewProvider() {
        assertThat(Cutover.bothProviders(Strategy.DECRYPT, "gcp", AZURE)).isEmpty();
    }
}
