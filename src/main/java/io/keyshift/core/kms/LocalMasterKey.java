package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import io.keyshift.core.secret.SecretRegistry;

import javax.security.auth.Destroyable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The 96-byte master key of the {@code local} KMS provider. Its bytes never leave this object except
 * as a copy handed to the driver; they are never logged, printed or put in a message, and
 * {@link #destroy()} overwrites them.
 */
public final class LocalMasterKey implements Destroyable, AutoCloseable {

    public static final int LENGTH = 96;

    private final byte[] key;
    /** While the key is alive, the log layer masks it in any form it might be printed in. */
    private final SecretRegistry.Registration registration;
    private boolean destroyed;

    private LocalMasterKey(byte[] key) {
        this.key = key;
        this.registration = SecretRegistry.register(key);
    }

    /** Loads a key file holding either 96 raw bytes or their base64 text (whitespace tolerated). */
    public static LocalMasterKey load(Path file) {
        byte[] content = readFile(file);
        if (content.length == LENGTH) {
            return new LocalMasterKey(content);
        }
        try {
            return fromBase64(file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** Takes ownership of {@code key}: it is wiped when this master key is destroyed. */
    public static LocalMasterKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new KeyShiftException("The local master key is " + key.length + " bytes, expected " + LENGTH + ".");
        }
        return new LocalMasterKey(key);
    }

    /**
     * Writes a new master key of {@value #LENGTH} random bytes to {@code file}, readable by its owner
     * only. Never replaces a file: the one already there may be the key existing data keys are under.
     */
    public static void generate(Path file) {
        byte[] key = new byte[LENGTH];
        try {
            new SecureRandom().nextBytes(key);
            OwnerOnlyFiles.create(file, key);
        } catch (FileAlreadyExistsException e) {
            throw new KeyShiftException("The file " + file + " already exists and was left as it is: it may be a master key"
                    + " that data keys are under. Give a path where no file exists yet.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not write the new local master key to " + file + " (" + e.getMessage()
                    + "): check that the folder exists or can be created and that you may write there.", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyShiftException("The local master key file " + file + " does not exist: check the path.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the local master key file " + file + " (" + e.getMessage()
                    + "): check that it exists and that you may read it.", e);
        }
    }

    private static LocalMasterKey fromBase64(Path file, byte[] content) {
        byte[] text = withoutWhitespace(content);
        try {
            // Base64 of random bytes made only of hex digits is too unlikely to matter: such text is hex.
            if (text.length > 0 && isHexText(text)) {
                throw new KeyShiftException("The local master key file " + file + " holds hex text (" + text.length
                        + " hex digits), which is not a key file format: the file must hold the " + LENGTH
                        + " raw bytes of the key, or their base64 text. Convert it, e.g. `xxd -r -p " + file
                        + " | base64 -w0 > master.b64`, and give that file.");
            }
            if (text.length == 0 || !isBase64Text(text)) {
                throw new KeyShiftException("The local master key file " + file + " is " + content.length
                        + " bytes, expected " + LENGTH + " raw bytes or their base64 text.");
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new KeyShiftException("The local master key file " + file
                        + " is not valid base64 text (" + e.getMessage() + "): expected " + LENGTH
                        + " raw bytes or their base64 text.");
            }
            if (decoded.length != LENGTH) {
                int length = decoded.length;
                Arrays.fill(decoded, (byte) 0);
                throw new KeyShiftException("The local master key file " + file + " holds base64 text of "
                        + length + " bytes, expected " + LENGTH + ".");
            }
            return new LocalMasterKey(decoded);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    private static byte[] withoutWhitespace(byte[] content) {
        byte[] text = new byte[content.length];
        int length = 0;
        for (byte b : content) {
            if (!Character.isWhitespace(b)) {
                text[length++] = b;
            }
        }
        byte[] trimmed = Arrays.copyOf(text, length);
        Arrays.fill(text, (byte) 0);
        return trimmed;
    }

    private static boolean isHexText(byte[] text) {
        for (byte b : text) {
            boolean hexDigit = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            if (!hexDigit) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Text(byte[] text) {
        for (byte b : text) {
            boolean alphabet = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                    || b == '+' || b == '/' || b == '=';
            if (!alphabet) {
                return false;
            }
        }
        return true;
    }

    /**
     * The driver's provider properties for this key ({@code {"key": bytes}}), holding a copy that
     * {@link #wipe(Map)} clears once the driver has taken what it needs.
     */
    public Map<String, Object> kmsProviderProperties() {
        if (destroyed) {
            throw new IllegalStateException("the local master key was already wiped");
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("key", key.clone());
        return properties;
    }

    /** Overwrites the key copy inside properties made by {@link #kmsProviderProperties()}. */
    public static void wipe(Map<String, Object> properties) {
        if (properties.get("key") instanceof byte[] copy) {
            Arrays.fill(copy, (byte) 0);
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        registration.close();
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "LocalMasterKey[****]";
    }
}
