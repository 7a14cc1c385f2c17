package io.keyshift.core.kms;

/** One line of the AWS checks: what was checked, how it went, and one sentence about it. */
public record KmsCheck(Name name, Status status, String message) {

    /** The checks, in the order they run and are shown. */
    public enum Name {
        CREDENTIALS("Credentials"),
        REGION("Region matches the key"),
        CALLER_IDENTITY("Caller identity"),
        KEY_FOUND("Key found"),
        KEY_ENABLED("Key enabled"),
        KEY_TYPE("Symmetric encrypt/decrypt key"),
        SAME_ACCOUNT("Same account"),
        ROUND_TRIP("Encrypt + Decrypt round trip");

        private final String label;

        Name(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** {@code SKIPPED} marks a check that could not run because an earlier one failed. */
    public enum Status { OK, WARN, FAIL, SKIPPED }
}
