package io.keyshift.core.kms;

/** One line of a target's checks: what was checked, how it went, and one sentence about it. */
public record KmsCheck(Name name, Status status, String message) {

    /**
     * What a check checks: a stable id for JSON and scripts ({@code round_trip}) and a label for people.
     * Each provider's checks list theirs in the order they run and are shown.
     */
    public record Name(String id, String label) {
    }

    /** {@code SKIPPED} marks a check that could not run because an earlier one failed. */
    public enum Status { OK, WARN, FAIL, SKIPPED }
}
