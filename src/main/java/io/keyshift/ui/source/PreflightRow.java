package io.keyshift.ui.source;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.ui.common.FxmlLoaderFactory;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * One selected data key and its preflight verdict.
 *
 * @param outcome null until the preflight has run
 */
public record PreflightRow(DataKey key, KeyCheck.Outcome outcome, String reason) {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();

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
            return MessageFormat.format(MESSAGES.getString("source.row.ok"), key.masterKey().provider());
        }
        return reason;
    }
}
