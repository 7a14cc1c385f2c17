package io.keyshift.core.secret;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that is about to leave the process (a log line, copyable error details):
 * the exact secrets of the {@link SecretRegistry}, and anything that looks like a secret even if
 * nobody registered it.
 */
public final class Redaction {

    public static final String MASK = "****";

    /**
     * {@code mongodb://user:PASSWORD@host}: the password runs to the last '@' of the URI, so a password
     * with an unescaped '@', '/' or '?' (which the driver rejects, quoting the URI) is masked whole.
     */
    private static final Pattern URI_PASSWORD = Pattern.compile("(mongodb(?:\\+srv)?://[^:@/\\s]*:)\\S*(@)");

    /** {@code key=value}, {@code key: value} and JSON {@code "key": "value"} pairs whose value is secret. */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)((?:aws_)?secret_?access_?key|(?:aws_)?session_?token|x-amz-security-token|password|passwd)"
            + "(\"?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"']+)");

    /**
     * An AWS secret access key on its own: exactly 40 base64 characters mixing upper case, lower case
     * and digits (which spares hex digests and words).
     */
    private static final Pattern AWS_SECRET_KEY = Pattern.compile(
            "(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])"
            + "[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

    /** STS session tokens, recognised by the base64 of their fixed leading bytes. */
    private static final Pattern SESSION_TOKEN = Pattern.compile(
            "(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]+");

    private Redaction() {
    }

    /** Returns {@code text} with every secret it holds replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = SecretRegistry.maskRegistered(text, MASK);
        result = URI_PASSWORD.matcher(result).replaceAll("$1" + MASK + "$2");
        result = SECRET_PAIR.matcher(result).replaceAll(Redaction::maskPairValue);
        for (Pattern pattern : List.of(SESSION_TOKEN, AWS_SECRET_KEY)) {
            result = pattern.matcher(result).replaceAll(MASK);
        }
        return result;
    }

    /** Keeps the key and the quotes around the value, so the line still reads as what it was. */
    private static String maskPairValue(MatchResult pair) {
        String value = pair.group(3);
        char first = value.charAt(0);
        String masked = first == '"' || first == '\'' ? first + MASK + first : MASK;
        return Matcher.quoteReplacement(pair.group(1) + pair.group(2) + masked);
    }
}
