package io.keyshift.sandbox;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.TargetChecks;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox's Azure and GCP emulators, reached only through what sandbox.json says. */
@ExtendWith(StackExtension.class)
class SandboxCloudKmsTest {

    private static final String RANDOM_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Random";

    @Test
    void sandboxJsonNamesBothEmulatorsAndTheirThrowawayCredentials(TestStack stack) {
        SandboxInfo reread = SandboxInfo.read(stack.dir().resolve(SandboxInfo.FILE_NAME));

        assertThat(reread.azure()).isEqualTo(stack.info().azure());
        assertThat(reread.gcp()).isEqualTo(stack.info().gcp());
        assertThat(reread.azure().keyVaultEndpoint()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(reread.azure().identityPlatformEndpoint()).isEqualTo(reread.azure().keyVaultEndpoint());
        assertThat(reread.gcp().credentialsFile()).isRegularFile();
        assertThat(reread.gcp().caFile()).isEqualTo(reread.aws().caFile());
        assertThat(reread.azure().toString()).doesNotContain(reread.azure().clientSecret());
    }

    @Test
    void azureKeyOfTheSandboxWrapsAndRewrapsToItsNextKey(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();
        try (AzureProvider provider = AzureProvider.of(azure.tenantId(), azure.clientId(), azure.clientSecret(),
                azure.identityPlatformEndpoint(), azure.caFile())) {
            assertCreatesRewrapsAndDecrypts(stack, provider.target(azure.keyVaultEndpoint(), azure.keyName(), null),
                    provider.target(azure.keyVaultEndpoint(), azure.nextKeyName(), null));
        }
    }

    @Test
    void gcpKeyOfTheSandboxEncryptsAndRewrapsToItsNextKey(TestStack stack) {
        SandboxInfo.Gcp gcp = stack.info().gcp();
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(gcp.credentialsFile(), gcp.endpoint(), gcp.caFile())) {
            assertCreatesRewrapsAndDecrypts(stack,
                    provider.target(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.keyName(), null, gcp.endpoint()),
                    provider.target(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.nextKeyName(), null, gcp.endpoint()));
        }
    }

    @Test
    void targetChecksPassOnTheSandboxKeys(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();
        SandboxInfo.Gcp gcp = stack.info().gcp();
        TargetChecks checks = new TargetChecks(settings(stack), keyVault(stack));
        try (AzureProvider azureProvider = AzureProvider.of(azure.tenantId(), azure.clientId(), azure.clientSecret(),
                azure.identityPlatformEndpoint(), azure.caFile());
             GcpProvider gcpProvider = GcpProvider.fromCredentialsFile(gcp.credentialsFile(), gcp.endpoint(), gcp.caFile())) {
            KmsCheckReport azureReport = checks.run(azureProvider.target(azure.keyVaultEndpoint(), azure.keyName(), null), List.of());
            KmsCheckReport gcpReport = checks.run(gcpProvider.target(gcp.projectId(), gcp.location(), gcp.keyRing(),
                    gcp.keyName(), null, gcp.endpoint()), List.of());

            assertThat(azureReport.passed()).isTrue();
            assertThat(azureReport.checks()).filteredOn(check -> check.status() != KmsCheck.Status.OK)
                    .extracting(check -> check.name().id()).containsExactly("key_version");
            assertThat(gcpReport.checks()).extracting(KmsCheck::status).containsOnly(KmsCheck.Status.OK);
            assertThat(azureReport.toJson()).doesNotContain(azure.clientSecret());
        }
    }

    @Test
    void readOnlyPrincipalsAreDeniedTheKeys(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();
        try (AzureProvider provider = AzureProvider.of(azure.tenantId(), azure.readOnlyClientId(), azure.readOnlyClientSecret(),
                azure.identityPlatformEndpoint(), azure.caFile())) {
            assertThatThrownBy(() -> createKey(stack, provider.target(azure.keyVaultEndpoint(), azure.keyName(), null)))
                    .hasMessageContaining("HTTP status=403");
        }
        SandboxInfo.Gcp gcp = stack.info().gcp();
        try (GcpProvider provider = GcpProvider.fromCredentialsFile(gcp.readOnlyCredentialsFile(), gcp.endpoint(), gcp.caFile())) {
            assertThatThrownBy(() -> createKey(stack, provider.target(gcp.projectId(), gcp.location(), gcp.keyRing(),
                    gcp.keyName(), null, gcp.endpoint())))
                    .hasMessageContaining("HTTP status=403");
        }
    }

    private static void createKey(TestStack stack, KmsTarget target) {
        try (KmsProviders providers = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings(stack), keyVault(stack), providers)) {
            encryption.createDataKey(target.provider().name(), new DataKeyOptions().masterKey(target.masterKey()));
        }
    }

    /** A data key under {@code first}, rewrapped to {@code next}, still decrypts what it encrypted before. */
    private static void assertCreatesRewrapsAndDecrypts(TestStack stack, KmsTarget first, KmsTarget next) {
        String provider = first.provider().name();
        BsonBinary keyId;
        BsonBinary ciphertext;
        try (KmsProviders providers = new KmsProviders().with(first.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings(stack), keyVault(stack), providers)) {
            keyId = encryption.createDataKey(provider, new DataKeyOptions().masterKey(first.masterKey()));
            ciphertext = encryption.encrypt(new BsonString("rehearsed"), new EncryptOptions(RANDOM_ALGORITHM).keyId(keyId));
            encryption.rewrapManyDataKey(new BsonDocument("_id", keyId),
                    new RewrapManyDataKeyOptions().provider(provider).masterKey(next.masterKey()));
        }
        // A new client has no cached data key: it unwraps the rewrapped one through the emulator.
        try (KmsProviders providers = new KmsProviders().with(first.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings(stack), keyVault(stack), providers)) {
            BsonDocument masterKey = encryption.getKey(keyId).getDocument("masterKey");
            assertThat(masterKey.getString("keyName")).isEqualTo(next.masterKey().getString("keyName"));
            assertThat(encryption.decrypt(ciphertext).asString().getValue()).isEqualTo("rehearsed");
            encryption.deleteKey(keyId);
        }
    }

    private static MongoClientSettings settings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }

    private static MongoNamespace keyVault(TestStack stack) {
        return new MongoNamespace(stack.info().keyVaultNamespace());
    }
}
