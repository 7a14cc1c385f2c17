package io.keyshift.core.kms;

import java.util.List;

/** The verdict per data key of a preflight ({@link KeyPreflight}, or its local-only form). */
public record PreflightReport(List<KeyCheck> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    public List<KeyCheck> failures() {
        return checks.stream().filter(check -> check.outcome() == KeyCheck.Outcome.FAILS).toList();
    }

    /** True when no checked key fails; skipped keys don't block. */
    public boolean passed() {
        return failures().isEmpty();
    }

    public long count(KeyCheck.Outcome outcome) {
        return checks.stream().filter(check -> check.outcome() == outcome).count();
    }
}
