package io.keyshift.cli;

/** Exit codes shared by every sub-command, as documented in the README. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Bad usage, or the cluster or KMS could not be reached. */
    public static final int USAGE_OR_CONNECTION = 1;
    /** A check failed: a preflight, an AWS check, a verification. */
    public static final int BLOCKED = 2;
    /** A migration stopped part-way and can be resumed. */
    public static final int INTERRUPTED = 3;

    private ExitCodes() {
    }
}
