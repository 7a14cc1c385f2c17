package io.keyshift.core;

/**
 * A failure whose message is a sentence a DBA can act on: what failed and what to do. The UI and
 * the CLI show the message as it is; the cause goes to the log.
 */
public class KeyShiftException extends RuntimeException {

    public KeyShiftException(String message) {
        super(message);
    }

    public KeyShiftException(String message, Throwable cause) {
        super(message, cause);
    }
}
