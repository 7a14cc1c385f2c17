package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An access token typed or read from a file is refused, with where a good one comes from, unless it can be one. */
class AccessTokensTest {

    @Test
    void aTokenWithItsLineBreakIsTakenWithoutIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJo-_x.sig~1\n");

        try (AzureProvider provider = AzureProvider.withAccessToken(AccessTokens.read(file, AzureProvider.ACCESS_TOKEN),
                null)) {
            assertThat(provider.secret()).containsExactly("eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJo-_x.sig~1".toCharArray());
        }
    }

    @Test
    void emptyOrWhiteSpaceIsRefusedWithWhereATokenComesFrom() {
        assertThatThrownBy(() -> GcpProvider.withAccessToken(" \n", null)).isInstanceOf(KeyShiftException.class)
                .hasMessage("The Google Cloud access token is empty: give a token with the Cloud KMS scope, such as the"
                        + " one `gcloud auth print-access-token` prints.");
    }

    @Test
    void textThatCannotBeATokenIsRefused() {
        for (String notAToken : new String[] {"two words", "line one\nline two", "jeton-élevé"}) {
            assertThatThrownBy(() -> AzureProvider.withAccessToken(notAToken, null)).isInstanceOf(KeyShiftException.class)
                    .hasMessageStartingWith("The Azure access token holds a space, a line break or a character outside"
                            + " ASCII, which no token has: give the token alone, a token for https://vault.azure.net");
        }
    }

    @Test
    void aFileThatHoldsNoTokenIsNamedAndRefused(@TempDir Path dir) throws Exception {
        Path binary = Files.write(dir.resolve("key.bin"), new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF});
        Path huge = Files.write(dir.resolve("dump.txt"), new byte[70_000]);

        assertThatThrownBy(() -> AccessTokens.read(binary, GcpProvider.ACCESS_TOKEN))
                .hasMessage("The Google Cloud access token file " + binary + " is not text, so it holds no token: give a"
                        + " file holding the token alone.");
        assertThatThrownBy(() -> AccessTokens.read(huge, GcpProvider.ACCESS_TOKEN))
                .hasMessage("The Google Cloud access token file " + huge + " holds 70000 bytes, far more than a token:"
                        + " give a file holding the token alone.");
        assertThatThrownBy(() -> AccessTokens.read(dir.resolve("missing"), GcpProvider.ACCESS_TOKEN))
                .hasMessage("The Google Cloud access token file " + dir.resolve("missing") + " does not exist or is not"
                        + " a file.");
        assertThatThrownBy(() -> AccessTokens.read(dir, AzureProvider.ACCESS_TOKEN))
                .hasMessage("The Azure access token file " + dir + " does not exist or is not a file.");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> AccessTokens.read(empty, AzureProvider.ACCESS_TOKEN))
                .as("a file given is never taken for no token, which would sign in with the principal instead")
                .hasMessage("The Azure access token file " + empty + " is empty: write the token into it.");
    }
}
