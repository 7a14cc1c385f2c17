package io.keyshift.ui.aws;

import io.keyshift.core.kms.KmsCheck;

/**
 * One line of the AWS checklist.
 *
 * @param status null while the check has not reported yet
 */
public record CheckRow(KmsCheck.Name name, KmsCheck.Status status, String message) {

    public static CheckRow pending(KmsCheck.Name name) {
        return new CheckRow(name, null, "Checking…");
    }

    public static CheckRow of(KmsCheck check) {
        return new CheckRow(check.name(), check.status(), check.message());
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
