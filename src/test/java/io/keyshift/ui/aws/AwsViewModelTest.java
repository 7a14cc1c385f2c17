package io.keyshift.ui.aws;

import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class AwsViewModelTest {

    private final MigrationDraft draft = new MigrationDraft();
    private final AwsViewModel viewModel = new AwsViewModel(draft, FxThread.DIRECT, new Failures(), new AwsKmsCheck());

    private void prefill(SandboxInfo.Aws aws, SandboxInfo.Credentials credentials) throws Exception {
        FxThread.run(() -> viewModel.prefill(aws.region(), aws.cmkArn(), aws.endpoint(), aws.caFile(),
                credentials.accessKeyId(), credentials.secretAccessKey()));
    }

    @Test
    void cmkIsValidatedAsItIsTyped() {
        assertThat(AwsViewModel.cmkSentence("")).isEmpty();
        assertThat(AwsViewModel.cmkSentence("alias/keyshift-sandbox")).isEmpty();
        assertThat(AwsViewModel.cmkSentence("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).isEmpty();
        assertThat(AwsViewModel.cmkSentence("arn:aws:s3:::bucket")).startsWith("The ARN arn:aws:s3:::bucket is for the service \"s3\", not KMS");
        assertThat(AwsViewModel.cmkSentence("1234abcd-12ab-34cd-56ef-1234567890ab")).contains("is a bare key id");
    }

    @Test
    void migratorPassesEveryCheckAndTheTargetGoesToTheDraft(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().migrator());

        FxThread.run(viewModel::check);

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.checks()).hasSize(KmsCheck.Name.values().length)
                .noneMatch(row -> row.status() == KmsCheck.Status.FAIL);
        assertThat(viewModel.checks()).filteredOn(row -> row.name() == KmsCheck.Name.ROUND_TRIP)
                .extracting(CheckRow::mark).containsExactly("✓");
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(draft.awsTargetProperty().get().cmk().text()).isEqualTo(stack.info().aws().cmkArn());

        FxThread.run(() -> viewModel.regionProperty().set("eu-west-1"));
        assertThat(viewModel.valid().get()).as("checks only vouch for the settings they ran with").isFalse();
        assertThat(viewModel.checks()).isEmpty();
    }

    @Test
    void readOnlyUserFailsTheEncryptWithTheReason(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().readOnly());

        FxThread.run(viewModel::check);

        CheckRow roundTrip = viewModel.checks().stream().filter(row -> row.name() == KmsCheck.Name.ROUND_TRIP)
                .findFirst().orElseThrow();
        assertThat(roundTrip.mark()).isEqualTo("✗");
        assertThat(roundTrip.message()).contains("is not allowed kms:Encrypt on the key");
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(draft.awsTargetProperty().get()).isNull();
    }

    @Test
    void missingRegionIsRefusedInOneSentence(TestStack stack) throws Exception {
        prefill(stack.info().aws(), stack.info().aws().migrator());
        FxThread.run(() -> {
            viewModel.regionProperty().set("");
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
    void profilesComeFromTheUsersAwsFilesAndOneCanBeChecked(TestStack stack, @TempDir Path dir) throws Exception {
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
            assertThat(viewModel.profiles()).containsExactly("default", "from-config", "sandbox");
            assertThat(viewModel.profileProperty().get()).isEqualTo("default");

            FxThread.run(() -> {
                viewModel.modeProperty().set(AwsViewModel.CredentialMode.PROFILE);
                viewModel.profileProperty().set("sandbox");
                viewModel.check();
            });

            assertThat(viewModel.valid().get()).isTrue();
            assertThat(viewModel.reportProperty().get().credentialSource()).isEqualTo("profile \"sandbox\"");
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
        }
    }
}
