package io.keyshift.ui.keyvault;

import java.util.Locale;

/**
 * One line of the Health view's table: a data key, or a finding.
 *
 * @param category what the line is, and which summary item selects it
 * @param provider for a key row its provider (the "keys by provider" items select by it); "" otherwise
 * @param subject  the data key or the field concerned
 * @param where    its master key, or its collection
 * @param count    values seen (keys, dangling, drift) or data keys wrapped (KMS)
 * @param detail   a sentence: age, what the schema says, the KMS problem
 */
public record HealthRow(Category category, String provider, String subject, String where, long count,
                        String detail) {

    /** The summary strip's items; a key row is also {@link #UNUSED} when nothing uses it. */
    public enum Category { KEY, UNUSED, DANGLING, DRIFT, KMS }

    boolean matches(String search) {
        String text = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        return text.isEmpty() || (subject + " " + where + " " + provider + " " + detail)
                .toLowerCase(Locale.ROOT).contains(text);
    }
}
