package io.keyshift.testing;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Secrets for tests that prove secrets never leave the process: an AWS secret key and a local master key. */
public final class TestSecrets {

    /** A well-formed AWS secret access key (40 base64 characters). */
    public static final String AWS_SECRET = "q8Zt3R/vKx0pLm7Yw2Nc5Hd9Jf4Gb6Tr1Ea+SkUo";

    private TestSecrets() {
    }

    /** A 96-byte local master key, the same on every call. */
    public static byte[] localKey() {
        byte[] key = new byte[96];
        new Random(96).nextBytes(key);
        return key;
    }

    /** The ways a mistake could print the local key: base64, URL-safe base64, hex in both cases. */
    public static List<String> localKeyRenderings() {
        byte[] key = localKey();
        return List.of(Base64.getEncoder().encodeToString(key),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key),
                HexFormat.of().formatHex(key),
                HexFormat.of().withUpperCase().formatHex(key));
    }
}
