package io.keyshift.ui.source;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
        assertThat(draft.localKeyProperty().get()).isNotNull();
        draft.close();
        assertThat(draft.localKeyProperty().get()).isNull();
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
        assertThat(draft.localKeyProperty().get()).as("a failing key is wiped, not kept").isNull();
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
        SourceKeysViewModel viewModel = new SourceKeysViewModel(draft, FxThread.DIRECT, new Failures());

        FxThread.run(viewModel::enter);

        assertThat(viewModel.needsLocalProperty().get()).isTrue();
        assertThat(viewModel.needsAwsProperty().get()).as("a named aws provider is aws too").isTrue();
        assertThat(viewModel.needsKmipProperty().get()).isFalse();
        assertThat(viewModel.unsupportedProperty().get()).isEqualTo("Azure Key Vault");
        assertThat(viewModel.rows()).hasSize(3).allMatch(row -> row.outcome() == null);
        assertThat(viewModel.valid().get()).isFalse();
    }

    private static DataKey keyUnder(String provider) {
        return new DataKey(UUID.randomUUID(), List.of(), new MasterKeyRef(provider, Map.of()), null, null, 0);
    }
}
