package io.keyshift.ui.common;

import io.keyshift.core.KeyShiftException;

/**
 * The one sentence a page shows for a failure. The engine's own failures already say what failed and
 * what to do; anything else is unexpected, so the sentence names it and points to the log, where
 * {@link Tasks} wrote the stack trace.
 */
public final class ErrorSentences {

    private ErrorSentences() {
    }

    public static String of(Throwable failure) {
        if (failure instanceof KeyShiftException) {
            return failure.getMessage();
        }
        return "Something unexpected failed (" + failure.getClass().getSimpleName()
                + "): try again; the details are in the log file.";
    }
}
