package io.keyshift.ui.wizard;

import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationDraftTest {

    private static final String CMK = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void defaultKeyVaultIsEncryptionKeyVault() {
        assertThat(new MigrationDraft().keyVaultProperty().get().getFullName()).isEqualTo("encryption.__keyVault");
    }

    @Test
    void replacingTheLocalKeyWipesThePreviousOne() {
        MigrationDraft draft = new MigrationDraft();
        LocalMasterKey first = LocalMasterKey.of(new byte[96]);
        LocalMasterKey second = LocalMasterKey.of(new byte[96]);

        draft.localKey(first);
        draft.localKey(second);

        assertThat(first.isDestroyed()).isTrue();
        assertThat(second.isDestroyed()).isFalse();
    }

    @Test
    void closingWipesTheLocalKeyAndTheEnteredAwsSecret() {
        MigrationDraft draft = new MigrationDraft();
        LocalMasterKey key = LocalMasterKey.of(new byte[96]);
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered("AKIAIOSFODNN7EXAMPLE", "secret".toCharArray(), null);
        draft.localKey(key);
        draft.target(new AwsTarget(keys, "us-east-1", CMK, null, null).kmsTarget(), null);

        draft.close();

        assertThat(key.isDestroyed()).isTrue();
        assertThat(keys.isDestroyed()).isTrue();
        assertThat(draft.localKeyProperty().get()).isNull();
        assertThat(draft.targetProperty().get()).isNull();
    }
}
