package io.keyshift.ui.error;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A failure KeyShift has no sentence for, as the error page shows it.
 *
 * @param code    stable for the same failure at the same place, so two reports of it can be matched
 * @param details the exception chain with its stack traces, for copying into a bug report
 */
public record UnexpectedError(String code, String message, String details) {

    public static UnexpectedError of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String place = Arrays.stream(failure.getStackTrace())
                .filter(frame -> frame.getClassName().startsWith("io.keyshift."))
                .findFirst()
                .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                .orElse("");
        String code = "KS-" + HexFormat.of().toHexDigits((root.getClass().getName() + "@" + place).hashCode())
                .substring(2).toUpperCase(Locale.ROOT);
        String message = "Something unexpected failed (" + root.getClass().getSimpleName() + "). KeyShift wrote nothing;"
                + " go back and try again, and if it happens again, report error " + code + " with the details below.";
        StringWriter details = new StringWriter();
        failure.printStackTrace(new PrintWriter(details));
        return new UnexpectedError(code, message, details.toString());
    }
}
