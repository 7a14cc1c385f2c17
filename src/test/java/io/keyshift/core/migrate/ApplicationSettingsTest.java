package io.keyshift.core.migrate;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationSettingsTest {

    private static final String CMK = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final MigrationRecord.Target AWS = new MigrationRecord.Target("eu-west-1", CMK, "kms.internal:4443");
    private static final MigrationRecord.Target AZURE = new MigrationRecord.Target("azure",
            new BsonDocument("keyVaultEndpoint", new BsonString("prod.vault.azure.net"))
                    .append("keyName", new BsonString("customer-data")), null);
    private static final MigrationRecord.Target GCP = new MigrationRecord.Target("gcp",
            new BsonDocument("projectId", new BsonString("shop-prod")).append("location", new BsonString("europe-west1"))
                    .append("keyRing", new BsonString("csfle")).append("keyName", new BsonString("customer-data"))
                    .append("keyVersion", new BsonString("3")), null);
    private static final MigrationRecord.Target KMIP = new MigrationRecord.Target("kmip",
            new BsonDocument("keyId", new BsonString("12")).append("delegated", BsonBoolean.TRUE), null);

    @Test
    void eachLanguageNamesTheRegionTheCmkAndTheEndpointAndNoSecret() {
        String all = ApplicationSettings.of(AWS, Optional.empty()).all();

        assertThat(all).contains("// Java", "// Node.js", "# Python");
        assertThat(ApplicationSettings.of(AWS, Optional.empty()).java())
                .contains("\"region\", new BsonString(\"eu-west-1\")").contains(CMK).contains("kms.internal:4443")
                .contains("System.getenv(\"AWS_SECRET_ACCESS_KEY\")");
        MigrationRecord.Target noEndpoint = new MigrationRecord.Target("eu-west-1", CMK, null);
        assertThat(ApplicationSettings.of(noEndpoint, Optional.empty()).node())
                .contains("region: 'eu-west-1'").contains("key: '" + CMK + "'").doesNotContain("endpoint");
        assertThat(ApplicationSettings.of(noEndpoint, Optional.empty()).python())
                .contains("\"key\": \"" + CMK + "\"").contains("kms_providers = {\"aws\": {}}");
        assertThat(all).doesNotContainPattern("secretAccessKey\"?\\s*[:=]\\s*\"[A-Za-z0-9/+]{20,}");
    }

    @Test
    void targetOnlySettingsNameNoLocalProviderAndBothProviderSettingsReadTheKeyFileFromTheEnvironment() {
        assertThat(ApplicationSettings.of(AWS, Optional.empty()).all()).doesNotContain("local", "LOCAL_MASTER_KEY_FILE");

        String both = ApplicationSettings.of(AWS, Optional.of("local")).all();

        assertThat(ApplicationSettings.of(AWS, Optional.of("local")).java())
                .contains("\"local\", Map.of(\"key\", Files.readAllBytes(Path.of(System.getenv(\"LOCAL_MASTER_KEY_FILE\"))))")
                .contains("\"aws\", Map.of(");
        assertThat(ApplicationSettings.of(AWS, Optional.of("local")).node())
                .startsWith("const kmsProviders = { 'local': { key: fs.readFileSync(process.env.LOCAL_MASTER_KEY_FILE) },"
                        + " 'aws': {} };");
        assertThat(ApplicationSettings.of(AWS, Optional.of("local:old")).python())
                .startsWith("kms_providers = {\"local:old\": {\"key\": open(os.environ[\"LOCAL_MASTER_KEY_FILE\"], \"rb\").read()},"
                        + " \"aws\": {}}");
        assertThat(both).doesNotContainPattern("key\"?\\s*[:=,]\\s*\"[A-Za-z0-9/+]{40,}");
    }

    @Test
    void anAzureTargetNamesItsVaultAndKeyAndReadsTheServicePrincipalFromTheEnvironment() {
        ApplicationSettings settings = ApplicationSettings.of(AZURE, Optional.of("local"));

        assertThat(settings.java())
                .contains("\"azure\", Map.of(", "System.getenv(\"AZURE_TENANT_ID\")", "System.getenv(\"AZURE_CLIENT_SECRET\")")
                .contains("new BsonDocument(\"keyVaultEndpoint\", new BsonString(\"prod.vault.azure.net\"))")
                .contains(".append(\"keyName\", new BsonString(\"customer-data\"))");
        assertThat(settings.node()).contains("'azure': { clientId: process.env.AZURE_CLIENT_ID,"
                + " clientSecret: process.env.AZURE_CLIENT_SECRET, tenantId: process.env.AZURE_TENANT_ID }")
                .contains("const masterKey = { keyVaultEndpoint: 'prod.vault.azure.net', keyName: 'customer-data' };");
        assertThat(settings.python()).startsWith("kms_providers = {\"local\": ")
                .contains("master_key = {\"keyVaultEndpoint\": \"prod.vault.azure.net\", \"keyName\": \"customer-data\"}");
        assertThat(settings.all()).doesNotContain("aws");
    }

    @Test
    void aGcpTargetNamesItsKeyWithTheKeyVersionAndReadsTheServiceAccountFromTheEnvironment() {
        ApplicationSettings settings = ApplicationSettings.of(GCP, Optional.empty());

        assertThat(settings.python()).startsWith("kms_providers = {\"gcp\": {\"email\": os.environ[\"GCP_SERVICE_ACCOUNT_EMAIL\"],"
                        + " \"privateKey\": os.environ[\"GCP_PRIVATE_KEY\"]}}\n"
                        + "# GCP_SERVICE_ACCOUNT_EMAIL and GCP_PRIVATE_KEY: client_email and private_key of the service"
                        + " account's JSON key file, the key as base64 without its BEGIN/END lines\n")
                .contains("master_key = {\"projectId\": \"shop-prod\", \"location\": \"europe-west1\", \"keyRing\": \"csfle\","
                        + " \"keyName\": \"customer-data\", \"keyVersion\": \"3\"}");
        assertThat(settings.java()).contains("System.getenv(\"GCP_PRIVATE_KEY\")", ".append(\"keyVersion\", new BsonString(\"3\"))");
        assertThat(settings.node()).contains("keyRing: 'csfle'");
    }

    @Test
    void aKmipTargetGetsTheTlsOptionsOfItsClientCertificate() {
        ApplicationSettings settings = ApplicationSettings.of(KMIP, Optional.of("gcp"));

        assertThat(settings.node()).contains("'gcp': { email: ", "'kmip': { endpoint: process.env.KMIP_ENDPOINT }",
                "const tlsOptions = { 'kmip': { tlsCAFile: process.env.KMIP_CA_FILE,"
                        + " tlsCertificateKeyFile: process.env.KMIP_CLIENT_CERT_FILE } };",
                "const masterKey = { keyId: '12', delegated: true };");
        assertThat(settings.python()).contains("kms_tls_options = {\"kmip\": {", "\"delegated\": True");
        assertThat(settings.java()).contains(".kmsProviderSslContextMap(", ".append(\"delegated\", BsonBoolean.valueOf(true))");
    }

    @Test
    void aRotationToANewLocalKeyFileKeepingAnotherLocalProviderReadsEachFileFromItsOwnVariable() {
        MigrationRecord.Target newFile = new MigrationRecord.Target("local", new BsonDocument(), null);

        assertThat(ApplicationSettings.of(newFile, Optional.of("local:old")).python())
                .contains("\"local:old\": {\"key\": open(os.environ[\"LOCAL_MASTER_KEY_FILE\"]")
                .contains("\"local\": {\"key\": open(os.environ[\"NEW_LOCAL_MASTER_KEY_FILE\"]")
                .contains("master_key = {}");
        assertThat(ApplicationSettings.of(newFile, Optional.of("local")).python())
                .as("one name cannot be configured twice: only the new key file is deployed")
                .startsWith("kms_providers = {\"local\": {\"key\": open(os.environ[\"LOCAL_MASTER_KEY_FILE\"], \"rb\").read()}}");
    }
}
