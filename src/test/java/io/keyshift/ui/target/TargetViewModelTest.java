package io.keyshift.ui.target;

import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.AzureTokens;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class TargetViewModelTest {

    private MigrationDraft draft;
    private TargetViewModel viewModel;
    private AwsTargetForm awsForm;

    @TempDir
    Path dir;

    @BeforeEach
    void connect(TestStack stack) {
        draft = Drafts.connected(stack.info());
        viewModel = new TargetViewModel(draft, FxThread.DIRECT, new Failures());
        awsForm = viewModel.aws();
    }

    private void prefill(SandboxInfo.Aws aws, SandboxInfo.Credentials credentials) throws Exception {
        FxThread.run(() -> awsForm.prefill(aws.region(), aws.cmkArn(), aws.endpoint(), aws.caFile(),
                credentials.accessKeyId(), credentials.secretAccessKey()));
    }

    @Test
    void cmkIsValidatedAsItIsTyped() {
        assertThat(AwsTargetForm.cmkSentence("")).isEmpty();
        assertThat(AwsTargetForm.cmkSentence("alias/keyshift-sandbox")).isEmpty();
        assertThat(AwsTargetForm.cmkSentence("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).isEmpty();
        assertThat(AwsTargetForm.cmkSentence("arn:aws:s3:::bucket")).startsWith("The ARN arn:aws:s3:::bucket is for the service \"s3\", not KMS");
        assertThat(AwsTargetForm.cmkSentence("1234abcd-12ab-34cd-56ef-1234567890ab")).contains("is a bare key id");
    }

    @Test
    void migratorPassesEveryCheckAndTheTargetGoesToTheDraft(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().migrator());

        FxThread.run(viewModel::check);

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).hasSize(AwsKmsCheck.CHECKS.size())
                .noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.checks()).extracting(CheckRow::label).containsExactlyElementsOf(AwsKmsCheck.CHECKS.stream()
                .map(KmsCheck.Name::label).toList());
        assertThat(viewModel.checks()).filteredOn(row -> row.label().equals(AwsKmsCheck.ROUND_TRIP.label()))
                .extracting(CheckRow::mark).containsExactly("✓");
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.targetProperty().get().describe()).contains(stack.info().aws().cmkArn());

        FxThread.run(() -> awsForm.regionProperty().set("eu-west-1"));
        assertThat(viewModel.valid().get()).as("checks only vouch for the settings they ran with").isFalse();
        assertThat(viewModel.checks()).isEmpty();
    }

    @Test
    void readOnlyUserFailsTheEncryptWithTheReason(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().readOnly());

        FxThread.run(viewModel::check);

        CheckRow roundTrip = viewModel.checks().stream().filter(row -> row.label().equals(AwsKmsCheck.ROUND_TRIP.label()))
                .findFirst().orElseThrow();
        assertThat(roundTrip.mark()).isEqualTo("✗");
        assertThat(roundTrip.message()).contains("is not allowed kms:Encrypt on the key");
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(draft.targetProperty().get()).isNull();
    }

    @Test
    void missingRegionIsRefusedInOneSentence(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().migrator());
        FxThread.run(() -> {
            awsForm.regionProperty().set("");
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).isEqualTo("No AWS region was given: give the region of the CMK, such as us-east-1.");
        assertThat(viewModel.checks()).isEmpty();
    }

    @Test
    void typedSecretNeverAppearsInWhatThePageShows(TestStack stack) throws Exception {
        SandboxInfo.Credentials migrator = stack.info().aws().migrator();
        prefill(stack.info().aws(), migrator);

        FxThread.run(viewModel::check);

        assertThat(viewModel.checks()).extracting(CheckRow::message)
                .allSatisfy(message -> assertThat(message).doesNotContain(migrator.secretAccessKey()));
        assertThat(viewModel.reportProperty().get().toJson()).doesNotContain(migrator.secretAccessKey());
    }

    @Test
    void profilesComeFromTheUsersAwsFilesAndOneCanBeChecked(TestStack stack) throws Exception {
        SandboxInfo.Credentials migrator = stack.info().aws().migrator();
        Path credentials = Files.writeString(dir.resolve("credentials"), "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                + "aws_secret_access_key = not-this-one\n\n[sandbox]\naws_access_key_id = " + migrator.accessKeyId()
                + "\naws_secret_access_key = " + migrator.secretAccessKey() + "\n");
        Path config = Files.writeString(dir.resolve("config"), "[profile from-config]\nregion = eu-west-1\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", config.toString());
        try {
            prefill(stack.info().aws(), migrator);
            FxThread.run(viewModel::enter);
            assertThat(awsForm.profiles()).containsExactly("default", "from-config", "sandbox");
            assertThat(awsForm.profileProperty().get()).isEqualTo("default");

            FxThread.run(() -> {
                awsForm.modeProperty().set(AwsTargetForm.CredentialMode.PROFILE);
                awsForm.profileProperty().set("sandbox");
                viewModel.check();
            });

            assertThat(viewModel.valid().get()).isTrue();
            assertThat(viewModel.reportProperty().get().detail("credentialSource").orElseThrow()).isEqualTo("profile \"sandbox\"");
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
        }
    }

    @Test
    void aNewLocalKeyFileIsCreatedOwnerOnlyAndPassesItsChecks() throws Exception {
        Path file = dir.resolve("new-master-key.bin");
        LocalTargetForm local = viewModel.local();

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.LOCAL);
            local.createKeyFile(file);
        });
        assertThat(Files.size(file)).isEqualTo(96);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(local.keyFileProperty().get()).isEqualTo(file.toString());
        assertThat(local.createdProperty().get()).startsWith("A new master key was written to " + file);

        FxThread.run(viewModel::check);

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).isNotEmpty().noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.targetProperty().get().type()).isEqualTo(ProviderType.LOCAL);

        FxThread.run(() -> local.createKeyFile(file));
        assertThat(local.createdProperty().get()).as("an existing file is never replaced")
                .contains("already exists and was left as it is");
    }

    @Test
    void theSourceKeyFileIsRefusedAsTheNewOne(TestStack stack) throws Exception {
        draft.sources(List.of(LocalProvider.load(stack.info().localKeyFile())));

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.LOCAL);
            viewModel.local().keyFileProperty().set(stack.info().localKeyFile().toString());
            viewModel.check();
        });

        assertThat(viewModel.checks()).anyMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(draft.targetProperty().get()).isNull();
    }

    @Test
    void theSandboxKmipServerPassesWithItsClientCertificate(TestStack stack) throws Exception {
        SandboxInfo.Kmip kmip = stack.info().kmip();

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.KMIP);
            viewModel.kmip().prefill(kmip.endpoint(), kmip.caFile(), kmip.clientCertFile());
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).isNotEmpty().noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.targetProperty().get().describe()).contains(kmip.endpoint());
    }

    @Test
    void choosingAnotherProviderVoidsTheChecks(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().migrator());
        FxThread.run(viewModel::check);
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(() -> viewModel.providerProperty().set(ProviderType.KMIP));

        assertThat(viewModel.valid().get()).isFalse();
        assertThat(viewModel.checks()).isEmpty();
    }

    @Test
    void theSandboxAzureKeyPassesWithTheMigratorPrincipal(TestStack stack) throws Exception {
        SandboxInfo.Azure azure = stack.info().azure();

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.AZURE);
            prefillAzure(azure, azure.clientSecret());
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).isNotEmpty().noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.checks()).extracting(CheckRow::message)
                .allSatisfy(message -> assertThat(message).doesNotContain(azure.clientSecret()));
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.targetProperty().get().type()).isEqualTo(ProviderType.AZURE);
        assertThat(draft.targetProperty().get().describe()).contains(azure.keyName());
    }

    @Test
    void aWrongAzureClientSecretFailsTheSignInWithWhatToFix(TestStack stack) throws Exception {
        SandboxInfo.Azure azure = stack.info().azure();

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.AZURE);
            prefillAzure(azure, "not-the-secret");
            viewModel.check();
        });

        CheckRow signIn = viewModel.checks().get(0);
        assertThat(signIn.mark()).isEqualTo("✗");
        assertThat(signIn.message()).startsWith("The identity platform refused the client secret of")
                .contains("or add a new secret if this one expired");
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(draft.targetProperty().get()).isNull();
    }

    @Test
    void anAzureAccessTokenIsUsedInsteadOfThePrincipal(TestStack stack) throws Exception {
        SandboxInfo.Azure azure = stack.info().azure();
        String token = AzureTokens.accessToken(azure);

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.AZURE);
            prefillAzure(azure, "not-the-secret"); // the principal would fail: the token is what signs in
            viewModel.azure().accessTokenProperty().set(token);
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).isNotEmpty().noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.checks()).extracting(CheckRow::message)
                .allSatisfy(message -> assertThat(message).doesNotContain(token));
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(viewModel::clearSecrets);
        assertThat(viewModel.azure().accessTokenProperty().get()).isEmpty();
    }

    @Test
    void aPastedGcpTokenStandsInForTheKeyFileAndIsCheckedOffline() throws Exception {
        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.GCP);
            viewModel.gcp().credentialsFileProperty().set("");
            viewModel.gcp().accessTokenProperty().set("ya29.first line\nsecond line");
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).startsWith("The Google Cloud access token holds a space, a line"
                + " break or a character outside ASCII");
        assertThat(viewModel.checks()).isEmpty();
        assertThat(viewModel.valid().get()).isFalse();
    }

    private void prefillAzure(SandboxInfo.Azure azure, String secret) {
        viewModel.azure().prefill(azure.keyVaultEndpoint(), azure.keyName(), azure.identityPlatformEndpoint(), azure.caFile(),
                azure.tenantId(), azure.clientId(), secret);
    }

    @Test
    void azureCredentialsStartFromTheEnvironment() {
        AzureTargetForm form = new AzureTargetForm(Map.of("AZURE_TENANT_ID", "contoso.onmicrosoft.com",
                "AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001", "AZURE_CLIENT_SECRET", "s3cret"));

        assertThat(form.tenantIdProperty().get()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(form.clientIdProperty().get()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(form.clientSecretProperty().get()).isEqualTo("s3cret");
    }

    @Test
    void theSandboxGcpKeyPassesWithTheServiceAccountKeyFile(TestStack stack) throws Exception {
        SandboxInfo.Gcp gcp = stack.info().gcp();

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.GCP);
            viewModel.gcp().prefill(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.keyName(), gcp.endpoint(), gcp.caFile(),
                    gcp.credentialsFile());
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).isNotEmpty().noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.targetProperty().get().type()).isEqualTo(ProviderType.GCP);
        assertThat(draft.targetProperty().get().describe()).contains(gcp.keyName());
    }

    @Test
    void gcpWithoutAKeyFileNamesWhatToGive() throws Exception {
        GcpTargetForm form = new GcpTargetForm(Map.of());
        assertThat(form.credentialsFileProperty().get()).isEmpty();
        assertThat(new GcpTargetForm(Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json")).credentialsFileProperty().get())
                .isEqualTo("/keys/sa.json");

        FxThread.run(() -> {
            viewModel.providerProperty().set(ProviderType.GCP);
            viewModel.gcp().credentialsFileProperty().set("");
            viewModel.check();
        });

        assertThat(viewModel.errorProperty().get()).startsWith("Choose the service account's JSON key file");
        assertThat(viewModel.checks()).isEmpty();
    }
}
