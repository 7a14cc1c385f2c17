package io.keyshift.ui.target;

import io.keyshift.core.kms.KmsCheck;

/**
 * One line of a target's checklist.
 *
 * @param status null while the checks have not reported yet
 */
public record CheckRow(String label, KmsCheck.Status status, String message) {

    static CheckRow pending(String message) {
        return new CheckRow("", null, message);
    }

    static CheckRow of(KmsCheck check) {
        return new CheckRow(check.name().label(), check.status(), check.message());
    }

    public String mark() {
        if (status == null) {
            return "…";
        }
        return switch (status) {
            case OK -> "✓";
            case WARN -> "⚠";
            case FAIL -> "✗";
            case SKIPPED -> "–";
        };
    }
}
