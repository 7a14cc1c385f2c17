package io.keyshift.ui.source;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.keyvault.MasterKeyRef;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.AzureTokens;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class SourceKeysViewModelTest {

    @TempDir
    Path dir;

    @Test
    void sandboxKeyPassesEveryDataKeyAndIsHandedToTheDraft(TestStack stack) throws Exception {
        MigrationDraft draft = Drafts.withAllKeysSelected(stack.info());
        SourceKeysViewModel viewModel = new SourceKeysViewModel(draft, FxThread.DIRECT, new Failures());

        FxThread.run(() -> {
            viewModel.enter();
            viewModel.useKeyFile(stack.info().localKeyFile());
        });

        assertThat(viewModel.rows()).hasSize(6).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo(KeyCheck.Outcome.OK);
            assertThat(row.mark()).isEqualTo("✓");
            assertThat(row.sentence()).isEqualTo("opens under local");
        });
        assertThat(viewModel.summaryProperty().get()).isEqualTo("6 of 6 selected data keys open under their source providers.");
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.sources()).singleElement().extracting(KmsProvider::name).isEqualTo("local");
        draft.close();
        assertThat(draft.sources()).isEmpty();
    }

    @Test
    void wrongKeyOfTheRightLengthFailsEveryDataKeyWithTheReason(TestStack stack) throws Exception {
        MigrationDraft draft = Drafts.withAllKeysSelected(stack.info());
        SourceKeysViewModel viewModel = new SourceKeysViewModel(draft, FxThread.DIRECT, new Failures());
        byte[] wrong = new byte[96];
        new SecureRandom().nextBytes(wrong);
        Path file = Files.write(dir.resolve("wrong.key"), wrong);

        FxThread.run(() -> {
            viewModel.enter();
            viewModel.useKeyFile(file);
        });

        assertThat(viewModel.rows()).hasSize(6).allSatisfy(row -> {
            assertThat(row.mark()).isEqualTo("✗");
            assertThat(row.sentence()).startsWith("does not decrypt under this local master key (HMAC check failed)");
        });
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(viewModel.summaryProperty().get()).startsWith("0 of 6 selected data keys open under their source providers.");
        assertThat(draft.sources()).as("a failing key is wiped, not kept").isEmpty();
    }

    @Test
    void fileThatIsNotAKeyIsExplainedNextToTheField(TestStack stack) throws Exception {
        SourceKeysViewModel viewModel = new SourceKeysViewModel(Drafts.withAllKeysSelected(stack.info()), FxThread.DIRECT, new Failures());
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a key!");

        FxThread.run(() -> {
            viewModel.enter();
            viewModel.useKeyFile(file);
        });

        assertThat(viewModel.keyErrorProperty().get()).isEqualTo("The local master key file " + file
                + " is 10 bytes, expected 96 raw bytes or their base64 text.");
        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.rows()).allMatch(row -> row.outcome() == null);
        assertThat(viewModel.valid().get()).isFalse();

        FxThread.run(() -> {
            viewModel.keyFileProperty().set("");
            viewModel.check();
        });
        assertThat(viewModel.keyErrorProperty().get()).startsWith("Choose the local master key file");
    }

    @Test
    void aSectionShowsForEachKindOfProviderAmongTheSelectedKeys() throws Exception {
        MigrationDraft draft = new MigrationDraft();
        draft.selectKeys(List.of(keyUnder("local"), keyUnder("aws:prod"), keyUnder("azure")));
        SourceKeysViewModel viewModel = new SourceKeysViewModel(draft, FxThread.DIRECT, new Failures(), Map.of());

        FxThread.run(viewModel::enter);

        assertThat(viewModel.needsLocalProperty().get()).isTrue();
        assertThat(viewModel.needsAwsProperty().get()).as("a named aws provider is aws too").isTrue();
        assertThat(viewModel.needsKmipProperty().get()).isFalse();
        assertThat(viewModel.needsAzureProperty().get()).isTrue();
        assertThat(viewModel.needsGcpProperty().get()).isFalse();
        assertThat(viewModel.rows()).hasSize(3).allMatch(row -> row.outcome() == null);
        assertThat(viewModel.valid().get()).isFalse();
    }

    @Test
    void cloudCredentialsStartFromTheEnvironment() {
        SourceKeysViewModel viewModel = new SourceKeysViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures(),
                Map.of("AZURE_TENANT_ID", "contoso.onmicrosoft.com", "AZURE_CLIENT_ID", "app", "AZURE_CLIENT_SECRET", "s3cret",
                        "GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json"));

        assertThat(viewModel.azureTenantIdProperty().get()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(viewModel.azureClientIdProperty().get()).isEqualTo("app");
        assertThat(viewModel.azureClientSecretProperty().get()).isEqualTo("s3cret");
        assertThat(viewModel.gcpCredentialsFileProperty().get()).isEqualTo("/keys/sa.json");
    }

    @Test
    void azureAndGcpKeysOpenWithTheSandboxPrincipalAndServiceAccount(TestStack stack) throws Exception {
        try (CloudKeys keys = CloudKeys.create(stack.info())) {
            SandboxInfo.Azure azure = stack.info().azure();
            SourceKeysViewModel viewModel = keys.entered(page -> page.prefillAzure(azure.tenantId(), azure.clientId(),
                    azure.clientSecret(), azure.identityPlatformEndpoint(), azure.caFile()));

            assertThat(viewModel.needsAzureProperty().get()).isTrue();
            assertThat(viewModel.needsGcpProperty().get()).isTrue();
            assertThat(viewModel.errorProperty().get()).isEmpty();
            assertThat(viewModel.rows()).hasSize(2).allSatisfy(row -> assertThat(row.mark()).isEqualTo("✓"))
                    .extracting(PreflightRow::sentence).containsExactlyInAnyOrder("opens under azure", "opens under gcp");
            assertThat(viewModel.valid().get()).isTrue();
            assertThat(keys.draft().sources()).extracting(KmsProvider::name).containsExactlyInAnyOrder("azure", "gcp");
        }
    }

    @Test
    void aWrongAzureClientSecretBlocksItsKeyWithTheReason(TestStack stack) throws Exception {
        try (CloudKeys keys = CloudKeys.create(stack.info())) {
            SandboxInfo.Azure azure = stack.info().azure();
            SourceKeysViewModel viewModel = keys.entered(page -> page.prefillAzure(azure.tenantId(), azure.clientId(),
                    "not-the-secret", azure.identityPlatformEndpoint(), azure.caFile()));

            PreflightRow azureRow = viewModel.rows().stream().filter(row -> row.key().masterKey().provider().equals("azure"))
                    .findFirst().orElseThrow();
            assertThat(azureRow.mark()).isEqualTo("✗");
            assertThat(azureRow.sentence()).startsWith("Azure Key Vault did not accept the credentials of provider azure (HTTP 401)")
                    .doesNotContain("not-the-secret");
            assertThat(viewModel.valid().get()).isFalse();
            assertThat(keys.draft().sources()).isEmpty();
        }
    }

    @Test
    void anAzureAccessTokenOpensTheKeysWithoutAPrincipal(TestStack stack) throws Exception {
        try (CloudKeys keys = CloudKeys.create(stack.info())) {
            SandboxInfo.Azure azure = stack.info().azure();
            String token = AzureTokens.accessToken(azure);
            SourceKeysViewModel viewModel = keys.entered(page -> {
                page.prefillAzure("", "", "", azure.identityPlatformEndpoint(), azure.caFile());
                page.azureAccessTokenProperty().set(token);
            });

            assertThat(viewModel.errorProperty().get()).isEmpty();
            assertThat(viewModel.rows()).hasSize(2).allSatisfy(row -> assertThat(row.mark()).isEqualTo("✓"));
            assertThat(viewModel.valid().get()).isTrue();

            FxThread.run(viewModel::clearSecrets);
            assertThat(viewModel.azureAccessTokenProperty().get()).isEmpty();
        }
    }

    /** One data key under the sandbox's Azure key and one under its GCP key, in a key vault of their own. */
    private record CloudKeys(SandboxInfo info, MigrationDraft draft, MongoClient client, MongoNamespace vault)
            implements AutoCloseable {

        static CloudKeys create(SandboxInfo info) {
            MigrationDraft draft = Drafts.connected(info);
            MongoNamespace vault = new MongoNamespace("wizardcloudsources", "__keyVault");
            draft.keyVaultProperty().set(vault);
            MongoClient client = MongoClients.create(draft.connectionProperty().get().clientSettings());
            SandboxInfo.Azure azure = info.azure();
            SandboxInfo.Gcp gcp = info.gcp();
            try (AzureProvider azureProvider = AzureProvider.of(azure.tenantId(), azure.clientId(), azure.clientSecret(),
                         azure.identityPlatformEndpoint(), azure.caFile());
                 GcpProvider gcpProvider = GcpProvider.fromCredentialsFile(gcp.credentialsFile(), gcp.endpoint(), gcp.caFile());
                 KmsProviders both = new KmsProviders().with(azureProvider).with(gcpProvider);
                 ClientEncryption encryption = ClientEncryptions.create(draft.connectionProperty().get().clientSettings(), vault, both)) {
                encryption.createDataKey("azure", new DataKeyOptions().masterKey(
                        azureProvider.target(azure.keyVaultEndpoint(), azure.keyName(), null).masterKey()));
                encryption.createDataKey("gcp", new DataKeyOptions().masterKey(gcpProvider.target(gcp.projectId(), gcp.location(),
                        gcp.keyRing(), gcp.keyName(), null, gcp.endpoint()).masterKey()));
            }
            draft.selectKeys(KeyVault.open(client, vault).listAll(new BsonDocument(), 100));
            return new CloudKeys(info, draft, client, vault);
        }

        SourceKeysViewModel page(Map<String, String> environment) {
            return new SourceKeysViewModel(draft, FxThread.DIRECT, new Failures(), environment);
        }

        /** The page entered with the sandbox's service-account key file and the Azure section as {@code azure} fills it. */
        SourceKeysViewModel entered(Consumer<SourceKeysViewModel> azure) throws Exception {
            SourceKeysViewModel viewModel = page(Map.of());
            SandboxInfo.Gcp gcp = info.gcp();
            FxThread.run(() -> {
                azure.accept(viewModel);
                viewModel.prefillGcp(gcp.credentialsFile(), gcp.endpoint(), gcp.caFile());
                viewModel.enter();
            });
            return viewModel;
        }

        @Override
        public void close() {
            client.getDatabase(vault.getDatabaseName()).drop();
            client.close();
            draft.close();
        }
    }

    private static DataKey keyUnder(String provider) {
        return new DataKey(UUID.randomUUID(), List.of(), new MasterKeyRef(provider, Map.of()), null, null, 0);
    }
}
