package io.keyshift.core.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets alive in this process, so that {@link Redaction} can mask their exact text wherever it
 * turns up, even where no pattern would recognise it (a key in hex inside an exception message).
 *
 * <p>Whoever holds a secret (the AWS secret access key, the local master key) registers it when it is
 * loaded and closes the registration when it wipes the secret. The registry keeps each written form
 * of the secret as a {@code char[]} and wipes those arrays on close.
 */
public final class SecretRegistry {

    /** Forms shorter than this are not masked: masking a 3-character "secret" would garble every line. */
    static final int MIN_FORM_LENGTH = 8;

    private static final Set<Registration> LIVE = ConcurrentHashMap.newKeySet();

    private SecretRegistry() {
    }

    /**
     * Registers secret bytes (the 96-byte local master key) in every form a mistake could print them:
     * base64 (standard, URL-safe, MIME-wrapped lines), hex in both cases, {@code Arrays.toString}, and
     * the bytes read as text. The caller keeps ownership of {@code secret}.
     */
    public static Registration register(byte[] secret) {
        List<String> forms = new ArrayList<>();
        forms.add(Base64.getEncoder().encodeToString(secret));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(secret));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        forms.addAll(List.of(Base64.getMimeEncoder().encodeToString(secret).split("\r\n")));
        forms.add(HexFormat.of().formatHex(secret));
        forms.add(HexFormat.of().withUpperCase().formatHex(secret));
        forms.add(Arrays.toString(secret));
        forms.add(new String(secret, StandardCharsets.ISO_8859_1));
        return register(forms);
    }

    /**
     * Registers a secret text (the AWS secret access key, a session token) as it is and as base64 of
     * its UTF-8 bytes. The caller keeps ownership of {@code secret}.
     */
    public static Registration register(char[] secret) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        List<String> forms = List.of(new String(secret), Base64.getEncoder().encodeToString(bytes));
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(utf8.array(), (byte) 0);
        return register(forms);
    }

    private static Registration register(List<String> forms) {
        Registration registration = new Registration(forms.stream()
                .filter(form -> form.length() >= MIN_FORM_LENGTH)
                .distinct()
                .map(String::toCharArray)
                .toList());
        LIVE.add(registration);
        return registration;
    }

    /** Replaces every registered form found in {@code text} with {@code mask}. */
    static String maskRegistered(String text, String mask) {
        String result = text;
        for (Registration registration : LIVE) {
            result = registration.mask(result, mask);
        }
        return result;
    }

    /** One registered secret; closing it forgets and wipes its forms. */
    public static final class Registration implements AutoCloseable {

        private final List<char[]> forms;

        private Registration(List<char[]> forms) {
            this.forms = forms;
        }

        private String mask(String text, String mask) {
            String result = text;
            for (char[] form : forms) {
                result = replaceAll(result, form, mask);
            }
            return result;
        }

        @Override
        public void close() {
            LIVE.remove(this);
            forms.forEach(form -> Arrays.fill(form, '\0'));
        }
    }

    /** Like {@link String#replace} with a {@code char[]} target, so no String copy of the secret is made. */
    private static String replaceAll(String text, char[] target, String replacement) {
        int found = indexOf(text, target, 0);
        if (found < 0) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length());
        int copied = 0;
        while (found >= 0) {
            result.append(text, copied, found).append(replacement);
            copied = found + target.length;
            found = indexOf(text, target, copied);
        }
        return result.append(text, copied, text.length()).toString();
    }

    private static int indexOf(String text, char[] target, int from) {
        int last = text.length() - target.length;
        outer:
        for (int start = from; start <= last; start++) {
            for (int i = 0; i < target.length; i++) {
                if (text.charAt(start + i) != target[i]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }
}
