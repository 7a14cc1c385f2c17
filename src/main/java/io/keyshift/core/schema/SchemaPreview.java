package io.keyshift.core.schema;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a DBA sees before anything is written, and the proof of it: the preview hash covers the
 * exact bytes read and the exact result proposed, so a write can refuse anything else.
 *
 * @param before      the source as canonical pretty Extended JSON
 * @param after       the proposed result in the same form; for a file, the exact text to be written
 * @param unifiedDiff the lines of a unified diff from {@code before} to {@code after}, empty if equal; keyIds
 *                    shown as UUIDs with their alt names, each hunk header naming its namespace
 * @param sideBySide  every line of both texts, paired, keyIds shown as in {@code unifiedDiff}
 * @param changes     every keyId replaced and encrypt block removed, with its namespace and field path
 * @param previewHash lowercase hex SHA-256 of the source bytes and the proposed result
 */
public record SchemaPreview(SchemaSnapshot source,
                            SchemaRewrite rewrite,
                            String before,
                            String after,
                            List<String> unifiedDiff,
                            List<SideBySideRow> sideBySide,
                            List<NamespaceSummary> summaries,
                            List<RuleChange> changes,
                            String previewHash) {

    /** One row of a side-by-side view; a line absent on one side is empty there. */
    public record SideBySideRow(Change change, String oldLine, String newLine) {
    }

    public enum Change { EQUAL, CHANGED, REMOVED, ADDED }

    /** What the rewrite does to one namespace's rules. */
    public record NamespaceSummary(String namespace, int keyIdsReplaced, int pointersKept, int unknownKeyIds,
                                   int encryptBlocksRemoved) {
    }

    public SchemaPreview {
        unifiedDiff = List.copyOf(unifiedDiff);
        sideBySide = List.copyOf(sideBySide);
        summaries = List.copyOf(summaries);
        changes = List.copyOf(changes);
    }

    /**
     * Refuses anything but the preview that was reviewed. The error never tells the hash to use: a
     * DBA copying it would skip the review it stands for.
     *
     * @throws SchemaChangedException if {@code reviewedHash} is not this preview's hash
     */
    public void requireReviewed(String reviewedHash) {
        if (!previewHash.equalsIgnoreCase(reviewedHash.strip())) {
            throw new SchemaChangedException("The preview hash given is not the one of the rules and mapping as they"
                    + " are now: they changed since the preview, or the hash is not the one that was reviewed. Nothing"
                    + " was written. Run `keyshift schema diff` again, review the new diff, and apply with the hash it"
                    + " prints.");
        }
    }

    /**
     * One sentence per keyId the proposed rules would name that the key vault does not hold: applications
     * could not encrypt with such rules. Empty when the key vault was not read.
     */
    public List<String> missingKeys() {
        return rewrite.unknown().stream()
                .map(unknown -> unknown.namespace() + " " + unknown.path() + " would name data key " + unknown.keyId()
                        + ", which is not in the key vault.")
                .toList();
    }

    /**
     * @throws SchemaRefusedException if the proposed rules name a data key the key vault does not hold
     */
    public void requireKnownKeys() {
        List<String> missing = missingKeys();
        if (!missing.isEmpty()) {
            throw new SchemaRefusedException(String.join(" ", missing) + " Applications could not encrypt with these"
                    + " rules, so nothing was written. Check the mapping (or the key vault given), then run"
                    + " `keyshift schema diff` again.");
        }
    }

    /** The exact bytes the write proposes. */
    public byte[] proposedBytes() {
        return after.getBytes(StandardCharsets.UTF_8);
    }

    public boolean changesSomething() {
        return rewrite.changesSomething();
    }

    /** The namespaces whose rules the write would change, in source order. */
    public List<String> changedNamespaces() {
        return summaries.stream()
                .filter(summary -> summary.keyIdsReplaced() > 0 || summary.encryptBlocksRemoved() > 0)
                .map(NamespaceSummary::namespace)
                .toList();
    }
}
