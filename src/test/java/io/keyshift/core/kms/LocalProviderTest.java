package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalProviderTest {

    @TempDir
    Path dir;

    private Path keyFile() throws Exception {
        byte[] key = new byte[96];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 5 + 1);
        }
        return Files.write(dir.resolve("master.key"), key);
    }

    @Test
    void aNamedCopyOutlivesTheProviderItWasMadeFrom() throws Exception {
        Path file = keyFile();
        LocalProvider local = LocalProvider.load(file);
        try (LocalProvider renamed = local.named("local:new")) {
            local.close();

            assertThat(renamed.name()).isEqualTo("local:new");
            assertThat(renamed.kmsProviderEntry().get("key")).isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void kmsProvidersWipeTheCopyTheyWereGivenWhenClosed() throws Exception {
        try (LocalProvider local = LocalProvider.load(keyFile())) {
            KmsProviders providers = new KmsProviders().with(local);
            Map<String, Object> entry = providers.properties().get("local");

            providers.close();

            assertThat((byte[]) entry.get("key")).containsOnly(0);
            assertThat(local.masterKey().isDestroyed()).isFalse();
        }
    }

    @Test
    void describesTheFileAndTargetsAnEmptyMasterKey() throws Exception {
        Path file = keyFile();
        try (LocalProvider local = LocalProvider.load(file)) {
            KmsTarget target = KmsTarget.local(local);

            assertThat(target.describe()).isEqualTo("local (key file " + file + ")");
            assertThat(target.masterKey()).isEqualTo(new BsonDocument());
            assertThat(local.credentials()).isEmpty();
            assertThat(local.sslContext()).isEmpty();
        }
    }

    @Test
    void refusesANameOfAnotherType() throws Exception {
        try (LocalProvider local = LocalProvider.load(keyFile())) {
            assertThatThrownBy(() -> local.named("aws:new"))
                    .isInstanceOf(KeyShiftException.class)
                    .hasMessage("\"aws:new\" is not a name for the local key file provider: use local or local:NAME,"
                            + " where NAME is letters, digits and underscores (such as local:new).");
        }
    }
}
