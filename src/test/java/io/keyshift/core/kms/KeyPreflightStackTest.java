package io.keyshift.core.kms;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.KeyCheck.Outcome;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The provider-neutral preflight on a vault mixing local (plain and named), aws and kmip keys. */
@ExtendWith(StackExtension.class)
class KeyPreflightStackTest {

    private static final MongoNamespace VAULT = new MongoNamespace("keypreflightvault", "__keyVault");

    private MongoClientSettings settings;
    private MongoClient client;
    private LocalProvider local;
    private AwsProvider aws;
    private KmipProvider kmip;
    private UUID localKey;
    private UUID namedLocalKey;
    private UUID awsKey;
    private UUID kmipKey;

    @BeforeEach
    void createOneKeyPerProvider(TestStack stack) {
        SandboxInfo info = stack.info();
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri())).build();
        client = MongoClients.create(settings);
        local = LocalProvider.load(info.localKeyFile());
        aws = AwsProvider.of(AwsCredentialSource.entered(info.aws().migrator().accessKeyId(),
                info.aws().migrator().secretAccessKey().toCharArray(), null), info.aws().endpoint(), info.aws().caFile());
        kmip = KmipProvider.of(info.kmip().endpoint(), info.kmip().caFile(), info.kmip().clientCertFile());
        KmsTarget cmk = KmsTarget.aws(aws, info.aws().region(), info.aws().cmkArn());
        try (LocalProvider old = local.named("local:old");
             KmsProviders all = new KmsProviders().with(local).with(old).with(aws).with(kmip);
             ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, all)) {
            localKey = encryption.createDataKey("local").asUuid();
            namedLocalKey = encryption.createDataKey("local:old").asUuid();
            awsKey = encryption.createDataKey("aws", new DataKeyOptions().masterKey(cmk.masterKey())).asUuid();
            kmipKey = encryption.createDataKey("kmip", new DataKeyOptions().masterKey(new BsonDocument())).asUuid();
        }
    }

    @AfterEach
    void dropVault() {
        client.getDatabase(VAULT.getDatabaseName()).drop();
        client.close();
        local.close();
        aws.close();
        kmip.close();
    }

    private List<DataKey> keys() {
        return KeyVault.open(client, VAULT).listAll(new BsonDocument(), 100);
    }

    @Test
    void everyKeyOpensUnderItsProviderAndANamedLocalOneUnderThePlainKeyFile() {
        try (SourceProviders sources = SourceProviders.forKeys(keys(), List.of(local, aws, kmip))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            assertThat(report.checks()).extracting(KeyCheck::keyId, KeyCheck::provider, KeyCheck::outcome)
                    .containsExactlyInAnyOrder(
                            tuple(localKey, "local", Outcome.OK),
                            tuple(namedLocalKey, "local:old", Outcome.OK),
                            tuple(awsKey, "aws", Outcome.OK),
                            tuple(kmipKey, "kmip", Outcome.OK));
            assertThat(report.passed()).isTrue();
        }
    }

    @Test
    void keysOfAProviderGivenNothingFailSayingWhatToGive() {
        try (SourceProviders sources = SourceProviders.forKeys(keys(), List.of(local))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            assertThat(report.checks()).extracting(KeyCheck::keyId, KeyCheck::outcome, KeyCheck::reason)
                    .containsExactlyInAnyOrder(
                            tuple(localKey, Outcome.OK, ""),
                            tuple(namedLocalKey, Outcome.OK, ""),
                            tuple(awsKey, Outcome.FAILS, "no AWS credentials were given for provider aws: give AWS"
                                    + " credentials (a profile, environment variables or access keys) that may use"
                                    + " kms:Decrypt on its CMK"),
                            tuple(kmipKey, Outcome.FAILS, "no KMIP server was given for provider kmip: give its"
                                    + " endpoint, the CA file that signed its certificate and KeyShift's client"
                                    + " certificate"));
        }
    }

    @Test
    void anAwsKeyFailsWithCredentialsNotAllowedToDecrypt(TestStack stack) {
        SandboxInfo.Aws info = stack.info().aws();
        try (AwsProvider readOnly = AwsProvider.of(AwsCredentialSource.entered(info.readOnly().accessKeyId(),
                     info.readOnly().secretAccessKey().toCharArray(), null), info.endpoint(), info.caFile());
             SourceProviders sources = SourceProviders.forKeys(keys(), List.of(local, readOnly, kmip))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            assertThat(report.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.keyId()).isEqualTo(awsKey);
                assertThat(failure.reason()).startsWith("AWS KMS did not unwrap it with " + info.cmkArn()
                                + " (AccessDenied, HTTP 403): ")
                        .endsWith("check that the credentials of provider aws may use kms:Decrypt on that key, and"
                                + " that the key is enabled");
            });
        }
    }

    @Test
    void keysOfAKmipServerThatCannotBeReachedFailAndOnlyTheFirstIsTried(TestStack stack) throws Exception {
        UUID secondKmipKey;
        try (KmsProviders onlyKmip = new KmsProviders().with(kmip);
             ClientEncryption encryption = ClientEncryptions.create(settings, VAULT, onlyKmip)) {
            secondKmipKey = encryption.createDataKey("kmip", new DataKeyOptions().masterKey(new BsonDocument())).asUuid();
        }
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        SandboxInfo.Kmip info = stack.info().kmip();
        try (KmipProvider away = KmipProvider.of("127.0.0.1:" + closedPort, info.caFile(), info.clientCertFile());
             SourceProviders sources = SourceProviders.forKeys(keys(), List.of(local, aws, away))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, keys());

            String unreachable = "the KMS of provider kmip could not be reached (Connection refused): check its"
                    + " endpoint, the network, and that the server is running";
            assertThat(report.failures()).extracting(KeyCheck::keyId)
                    .containsExactlyInAnyOrder(kmipKey, secondKmipKey);
            assertThat(report.failures()).extracting(KeyCheck::reason)
                    .containsExactlyInAnyOrder(unreachable, "not tried: " + unreachable);
        }
    }

    @Test
    void localKeysThatAnotherFileWrappedOrThatLeftTheVaultAreNamedWithTheReason() {
        List<DataKey> listed = keys();
        client.getDatabase(VAULT.getDatabaseName()).getCollection(VAULT.getCollectionName(), BsonDocument.class)
                .deleteOne(Filters.eq("_id", new BsonBinary(namedLocalKey)));
        byte[] otherFileBytes = new byte[LocalMasterKey.LENGTH];
        new SecureRandom().nextBytes(otherFileBytes);
        try (LocalMasterKey otherKey = LocalMasterKey.of(otherFileBytes);
             LocalProvider otherFile = LocalProvider.of("local", otherKey, null);
             SourceProviders sources = SourceProviders.forKeys(listed, List.of(otherFile, aws, kmip))) {
            PreflightReport report = new KeyPreflight(settings, VAULT).check(sources, listed);

            assertThat(report.failures()).extracting(KeyCheck::keyId, KeyCheck::reason).containsExactlyInAnyOrder(
                    tuple(localKey, "does not decrypt under this local master key (HMAC check failed): the key file is"
                            + " not the one this data key was made with"),
                    tuple(namedLocalKey, "the key vault has no data key with this id"));
            assertThat(report.checks()).filteredOn(check -> check.outcome() == Outcome.OK).extracting(KeyCheck::keyId)
                    .containsExactlyInAnyOrder(awsKey, kmipKey);
        }
    }
}
