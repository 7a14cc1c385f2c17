package io.keyshift.ui.target;

import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
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
class TargetViewModelTest {

    private final MigrationDraft draft = new MigrationDraft();
    private final AwsKmsCheck awsCheck = new AwsKmsCheck();
    private final TargetViewModel viewModel = new TargetViewModel(draft, FxThread.DIRECT, new Failures(),
            target -> awsCheck.run(AwsTarget.of(target)));
    private final AwsTargetForm awsForm = viewModel.aws();

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
}
