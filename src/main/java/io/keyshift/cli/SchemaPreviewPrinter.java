package io.keyshift.cli;

import io.keyshift.core.schema.QueryableEncryptionUse;
import io.keyshift.core.schema.SchemaPreview;
import io.keyshift.core.schema.SchemaPreview.Change;
import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;
import io.keyshift.core.schema.SchemaRewrite;
import io.keyshift.core.schema.SchemaRewrite.PointerKeyId;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Prints a schema preview as a unified diff, side by side, or as JSON for scripts. */
final class SchemaPreviewPrinter {

    private static final int CONTEXT_ROWS = 3;

    private final PrintWriter out;
    private final String keyVaultNamespace;

    SchemaPreviewPrinter(PrintWriter out, String keyVaultNamespace) {
        this.out = out;
        this.keyVaultNamespace = keyVaultNamespace;
    }

    void printUnified(SchemaPreview preview) {
        printHeader(preview);
        printChanges(preview);
        preview.unifiedDiff().forEach(out::println);
        printFindings(preview);
    }

    /** Changed rows with a few rows of context, like {@code diff -y}: | changed, < removed, > added. */
    void printSideBySide(SchemaPreview preview) {
        printHeader(preview);
        printChanges(preview);
        List<SideBySideRow> rows = preview.sideBySide();
        // As wide as the longest line: no line is cut.
        int width = Math.max(1, rows.stream().mapToInt(row -> row.oldLine().length()).max().orElse(1));
        boolean[] shown = new boolean[rows.size()];
        IntStream.range(0, rows.size()).filter(i -> rows.get(i).change() != Change.EQUAL).forEach(i ->
                IntStream.rangeClosed(Math.max(0, i - CONTEXT_ROWS), Math.min(rows.size() - 1, i + CONTEXT_ROWS))
                        .forEach(near -> shown[near] = true));
        for (int i = 0; i < rows.size(); i++) {
            if (shown[i]) {
                SideBySideRow row = rows.get(i);
                out.println(String.format("%-" + width + "s", row.oldLine()) + " " + marker(row.change()) + " " + row.newLine());
            } else if (i > 0 && shown[i - 1]) {
                out.println("…");
            }
        }
        printFindings(preview);
    }

    void printJson(SchemaPreview preview) {
        SchemaRewrite rewrite = preview.rewrite();
        Document json = new Document("source", preview.source().description())
                .append("changes", preview.changesSomething())
                .append("summary", preview.summaries().stream().map(summary -> new Document("namespace", summary.namespace())
                        .append("keyIdsReplaced", summary.keyIdsReplaced())
                        .append("pointersKept", summary.pointersKept())
                        .append("unknownKeyIds", summary.unknownKeyIds())
                        .append("encryptBlocksRemoved", summary.encryptBlocksRemoved())).toList())
                .append("replaced", preview.changes().stream().filter(change -> !change.removesEncryption())
                        .map(change -> new Document("namespace", change.namespace())
                                .append("path", change.fieldPath())
                                .append("old", change.oldKey().orElseThrow().id().toString())
                                .append("oldAltNames", change.oldKey().orElseThrow().altNames())
                                .append("new", change.newKey().orElseThrow().id().toString())
                                .append("newAltNames", change.newKey().orElseThrow().altNames())).toList())
                .append("pointers", rewrite.pointers().stream().map(pointer -> new Document("namespace", pointer.namespace())
                        .append("path", pointer.path())
                        .append("pointer", pointer.pointer())
                        .append("resolution", pointer.resolution().name())).toList())
                .append("vaultChecked", rewrite.vaultChecked())
                .append("unknown", rewrite.unknown().stream().map(unknown -> new Document("namespace", unknown.namespace())
                        .append("path", unknown.path())
                        .append("keyId", unknown.keyId().toString())).toList())
                .append("removed", rewrite.removed().stream().map(removed -> new Document("namespace", removed.namespace())
                        .append("path", removed.path())).toList())
                .append("queryableEncryption", preview.source().queryableEncryption().stream()
                        .map(use -> new Document("namespace", use.namespace())
                                .append("fields", use.fieldPaths())
                                .append("keyIds", use.keyIds().stream().map(UUID::toString).toList())).toList())
                .append("unifiedDiff", String.join("\n", preview.unifiedDiff()))
                .append("previewHash", preview.previewHash());
        out.println(json.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build()));
    }

    private void printHeader(SchemaPreview preview) {
        out.println("Rules: " + preview.source().description() + " (" + count(preview.summaries().size(), "namespace") + ")");
        if (!preview.changesSomething()) {
            out.println("Nothing to change: no rule names a DEK of the mapping or a field to decrypt.");
        }
    }

    /** Each change on its own line: namespace, field path, old key → new key with their alt names. */
    private void printChanges(SchemaPreview preview) {
        if (preview.changes().isEmpty()) {
            return;
        }
        out.println("Changes (namespace, field, old key → new key):");
        preview.changes().forEach(change -> out.println("  " + change.text()));
        out.println();
    }

    private void printFindings(SchemaPreview preview) {
        SchemaRewrite rewrite = preview.rewrite();
        out.println();
        out.println("Summary:");
        for (NamespaceSummary summary : preview.summaries()) {
            out.println("  " + summary.namespace() + ": " + count(summary.keyIdsReplaced(), "keyId") + " replaced, "
                    + count(summary.pointersKept(), "pointer keyId") + " kept, "
                    + count(summary.unknownKeyIds(), "unknown keyId")
                    + (summary.encryptBlocksRemoved() > 0
                       ? ", " + count(summary.encryptBlocksRemoved(), "encrypt block") + " removed" : ""));
        }
        if (!rewrite.pointers().isEmpty()) {
            out.println("Pointer keyIds (kept as they are; the DEK is found by the alt name in each document):");
            rewrite.pointers().forEach(pointer -> out.println("  " + pointer.namespace() + " " + pointer.path() + " → "
                    + pointer.pointer() + ": " + resolution(pointer)));
        }
        if (!rewrite.vaultChecked()) {
            out.println("keyIds were not checked against the key vault: give --uri to check them.");
        } else if (!rewrite.unknown().isEmpty()) {
            out.println("keyIds naming no DEK in the key vault " + keyVaultNamespace + " (encryption with these rules"
                    + " would fail):");
            rewrite.unknown().forEach(unknown ->
                    out.println("  " + unknown.namespace() + " " + unknown.path() + ": " + unknown.keyId()));
        }
        for (QueryableEncryptionUse use : preview.source().queryableEncryption()) {
            out.println("Queryable Encryption on " + use.namespace() + " (fields " + String.join(", ", use.fieldPaths())
                    + "): reported only, KeyShift never rewrites encryptedFields.");
        }
        out.println();
        if (preview.changesSomething() && preview.missingKeys().isEmpty()) {
            out.println("Preview hash: " + preview.previewHash());
            out.println("To write exactly this, run `keyshift schema apply` with the same options and --preview-hash "
                    + preview.previewHash());
        }
    }

    private static String resolution(PointerKeyId pointer) {
        return switch (pointer.resolution()) {
            case NEW_DEK -> "the alt names move to the new DEKs, so it will find the new DEK";
            case OLD_DEK -> "the alt names stay on the old DEKs, so new values would still use the old DEK";
            case UNCHANGED -> "unchanged";
        };
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static char marker(Change change) {
        return switch (change) {
            case EQUAL -> ' ';
            case CHANGED -> '|';
            case REMOVED -> '<';
            case ADDED -> '>';
        };
    }
}
