package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalMasterKeyTest {

    @TempDir
    Path dir;

    private static byte[] key() {
        byte[] key = new byte[96];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return key;
    }

    private static byte[] bytesOf(LocalMasterKey key) {
        return (byte[]) key.kmsProviderProperties().get("key");
    }

    @Test
    void loadsNinetySixRawBytes() throws Exception {
        Path file = Files.write(dir.resolve("master.key"), key());

        try (LocalMasterKey key = LocalMasterKey.load(file)) {
            assertThat(bytesOf(key)).isEqualTo(key());
        }
    }

    @Test
    void loadsBase64TextWrappedOverLinesWithTrailingNewline() throws Exception {
        String text = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key()) + "\n";
        Path file = Files.writeString(dir.resolve("master.b64"), "  " + text);

        try (LocalMasterKey key = LocalMasterKey.load(file)) {
            assertThat(bytesOf(key)).isEqualTo(key());
        }
    }

    @Test
    void refusesNinetyFiveBytesSayingSo() throws Exception {
        Path file = Files.write(dir.resolve("short.key"), Arrays.copyOf(key(), 95));

        assertThatThrownBy(() -> LocalMasterKey.load(file))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("is 95 bytes, expected 96");
    }

    @Test
    void refusesBadBase64Text() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.b64"), "QUJD=RA" + "A".repeat(121));

        assertThatThrownBy(() -> LocalMasterKey.load(file))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("is not valid base64 text");
    }

    @Test
    void refusesBase64OfTheWrongLength() throws Exception {
        Path file = Files.writeString(dir.resolve("short.b64"), Base64.getEncoder().encodeToString(new byte[64]));

        assertThatThrownBy(() -> LocalMasterKey.load(file))
                .hasMessageContaining("base64 text of 64 bytes, expected 96");
    }

    @Test
    void recognisesHexTextAndSaysWhatTheFileMustHold() throws Exception {
        Path file = Files.writeString(dir.resolve("master.hex"), HexFormat.of().formatHex(key()) + "\n");

        assertThatThrownBy(() -> LocalMasterKey.load(file))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("holds hex text")
                .hasMessageContaining("96 raw bytes of the key, or their base64 text")
                .hasMessageNotContaining("base64 text of 144 bytes");
    }

    @Test
    void namesAMissingFile() {
        Path missing = dir.resolve("nowhere.key");

        assertThatThrownBy(() -> LocalMasterKey.load(missing))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void destroyWipesTheKeyAndRefusesFurtherUse() throws Exception {
        LocalMasterKey key = LocalMasterKey.load(Files.write(dir.resolve("master.key"), key()));

        key.destroy();

        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(key::kmsProviderProperties).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wipeClearsTheCopyHandedToTheDriver() throws Exception {
        try (LocalMasterKey key = LocalMasterKey.load(Files.write(dir.resolve("master.key"), key()))) {
            Map<String, Object> properties = key.kmsProviderProperties();
            byte[] copy = (byte[]) properties.get("key");

            LocalMasterKey.wipe(properties);

            assertThat(copy).containsOnly(0);
            assertThat(bytesOf(key)).as("the key itself is untouched").isEqualTo(key());
        }
    }

    @Test
    void neverShowsTheKeyAsText() throws Exception {
        try (LocalMasterKey key = LocalMasterKey.load(Files.write(dir.resolve("master.key"), key()))) {
            assertThat(key.toString()).isEqualTo("LocalMasterKey[****]");
        }
    }
}
