package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Access tokens obtained elsewhere ({@code az}, {@code gcloud}), checked offline before a KMS sees them:
 * libmongocrypt puts a token into an Authorization header as it is.
 */
public final class AccessTokens {

    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");
    /** Far above any real token (Azure's are about 2 KB): a larger file is not a token. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private AccessTokens() {
    }

    /**
     * The token without surrounding white space.
     *
     * @param what        what it is, e.g. "Azure access token"
     * @param howToGetOne a clause saying where a good one comes from
     */
    static char[] check(String token, String what, String howToGetOne) {
        if (token == null || token.isBlank()) {
            throw new KeyShiftException("The " + what + " is empty: give " + howToGetOne + ".");
        }
        String stripped = token.strip();
        if (!TOKEN.matcher(stripped).matches()) {
            throw new KeyShiftException("The " + what + " holds a space, a line break or a character outside ASCII,"
                    + " which no token has: give the token alone, " + howToGetOne + ".");
        }
        return stripped.toCharArray();
    }

    /**
     * The text of a file holding a token, as {@code … > FILE} writes it; checked by the provider it is given to.
     * A file given is never taken for no token: an empty one is refused.
     */
    public static String read(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new KeyShiftException("The " + what + " file " + file + " does not exist or is not a file.");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new KeyShiftException("The " + what + " file " + file + " holds " + size
                        + " bytes, far more than a token: give a file holding the token alone.");
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            if (text.isBlank()) {
                throw new KeyShiftException("The " + what + " file " + file + " is empty: write the token into it.");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new KeyShiftException("The " + what + " file " + file + " is not text, so it holds no token: give a"
                    + " file holding the token alone.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the " + what + " file " + file + ": " + e.getMessage() + ".", e);
        }
    }
}
