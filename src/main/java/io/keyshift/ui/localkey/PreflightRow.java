package io.keyshift.ui.localkey;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck;

/**
 * One selected data key and its preflight verdict.
 *
 * @param outcome null until the preflight has run
 */
public record PreflightRow(DataKey key, KeyCheck.Outcome outcome, String reason) {

    public static PreflightRow pending(DataKey key) {
        return new PreflightRow(key, null, "");
    }

    /** ✓ for a key that decrypts, ✗ for one that does not, – for one the check does not apply to. */
    public String mark() {
        if (outcome == null) {
            return "…";
        }
        return switch (outcome) {
            case OK -> "✓";
            case FAILS -> "✗";
            case SKIPPED -> "–";
        };
    }

    public String name() {
        return key.keyAltNames().isEmpty() ? key.id().toString() : key.keyAltNames().get(0) + "  " + key.id();
    }

    /** The reason shown next to the mark; a passing key says so in words. */
    public String sentence() {
        if (outcome == KeyCheck.Outcome.OK) {
            return "decrypts under this local master key";
        }
        return reason;
    }
}
