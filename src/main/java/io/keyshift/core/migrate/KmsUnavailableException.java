package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;

/**
 * The KMS did not answer through the whole retry policy, so a check could not be made: this says
 * nothing about the keys or values, and the same check can be run again once the KMS answers.
 */
public class KmsUnavailableException extends KeyShiftException {

    public KmsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
