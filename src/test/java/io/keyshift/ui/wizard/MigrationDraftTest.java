package io.keyshift.ui.wizard;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationDraftTest {

    private static final String CMK = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void defaultKeyVaultIsEncryptionKeyVault() {
        assertThat(new MigrationDraft().keyVaultProperty().get().getFullName()).isEqualTo("encryption.__keyVault");
    }

    @Test
    void replacingTheSourcesWipesThePreviousLocalKey() {
        MigrationDraft draft = new MigrationDraft();
        LocalProvider first = LocalProvider.of("local", LocalMasterKey.of(new byte[96]), Path.of("first.key"));
        LocalProvider second = LocalProvider.of("local", LocalMasterKey.of(new byte[96]), Path.of("second.key"));

        draft.sources(List.of(first));
        draft.sources(List.of(second));

        assertThat(first.masterKey().isDestroyed()).isTrue();
        assertThat(second.masterKey().isDestroyed()).isFalse();
        assertThat(draft.sources()).containsExactly(second);
    }

    @Test
    void closingWipesTheLocalKeyAndTheEnteredAwsSecret() {
        MigrationDraft draft = new MigrationDraft();
        LocalProvider local = LocalProvider.of("local", LocalMasterKey.of(new byte[96]), Path.of("old.key"));
        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered("AKIAIOSFODNN7EXAMPLE", "secret".toCharArray(), null);
        draft.sources(List.of(local));
        draft.target(new AwsTarget(keys, "us-east-1", CMK, null, null).kmsTarget(), null);

        draft.close();

        assertThat(local.masterKey().isDestroyed()).isTrue();
        assertThat(keys.isDestroyed()).isTrue();
        assertThat(draft.sources()).isEmpty();
        assertThat(draft.targetProperty().get()).isNull();
    }

    @Test
    void theRouteNamesTheSourceProvidersAndTheCheckedTarget() {
        MigrationDraft draft = new MigrationDraft();
        draft.selectKeys(List.of(keyUnder("local"), keyUnder("local:old"), keyUnder("local")));
        assertThat(draft.route()).isEqualTo("local, local:old → no target checked yet");

        AwsCredentialSource.EnteredKeys keys = AwsCredentialSource.entered("AKIAIOSFODNN7EXAMPLE", "secret".toCharArray(), null);
        draft.target(new AwsTarget(keys, "us-east-1", CMK, null, null).kmsTarget(), null);

        assertThat(draft.route()).startsWith("local, local:old → aws (").endsWith(", key " + CMK + " in us-east-1")
                .doesNotContain("secret");
        draft.close();
    }

    private static DataKey keyUnder(String provider) {
        return new DataKey(UUID.randomUUID(), List.of(), new MasterKeyRef(provider, Map.of()), null, null, 0);
    }
}
