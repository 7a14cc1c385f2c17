package io.keyshift.core.schema;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import io.keyshift.core.schema.SchemaPreview.Change;
import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Turns a source and its rewrite into the preview a DBA accepts or rejects. Pure. */
public final class SchemaDiff {

    private static final int CONTEXT_LINES = 3;

    private SchemaDiff() {
    }

    /** A preview whose keys are shown by UUID only: the key vault was not read. */
    public static SchemaPreview preview(SchemaSnapshot source, SchemaRewrite rewrite) {
        return preview(source, rewrite, Map.of());
    }

    /**
     * The diffs show every keyId as a UUID followed by its alt names (from {@code altNames}, the key
     * vault's) and every hunk with its namespace; the exact text to be written stays canonical.
     */
    public static SchemaPreview preview(SchemaSnapshot source, SchemaRewrite rewrite, Map<UUID, List<String>> altNames) {
        String before = source.render(source.rules());
        String after = source.render(rewrite.rules());
        List<String> beforeLines = ReadableJson.lines(before, altNames);
        List<String> afterLines = ReadableJson.lines(after, altNames);
        Patch<String> patch = DiffUtils.diff(beforeLines, afterLines);
        List<String> unified = patch.getDeltas().isEmpty() ? List.of()
                : ReadableJson.nameHunks(UnifiedDiffUtils.generateUnifiedDiff("before", "after", beforeLines, patch,
                        CONTEXT_LINES), beforeLines);
        String hash = previewHash(source.sourceBytes(), after.getBytes(StandardCharsets.UTF_8));
        return new SchemaPreview(source, rewrite, before, after, unified, sideBySide(beforeLines, afterLines),
                summaries(source, rewrite), changes(rewrite, altNames), hash);
    }

    /** Every keyId replaced and every encrypt block removed, in document order, keys named as the vault knows them. */
    static List<RuleChange> changes(SchemaRewrite rewrite, Map<UUID, List<String>> altNames) {
        List<RuleChange> changes = new ArrayList<>();
        rewrite.replaced().forEach(replaced -> changes.add(new RuleChange(replaced.namespace(), replaced.path(),
                Optional.of(keyName(replaced.oldId(), altNames)), Optional.of(keyName(replaced.newId(), altNames)))));
        rewrite.removed().forEach(removed -> changes.add(new RuleChange(removed.namespace(), removed.path(),
                Optional.empty(), Optional.empty())));
        return changes;
    }

    private static RuleChange.KeyName keyName(UUID id, Map<UUID, List<String>> altNames) {
        return new RuleChange.KeyName(id, altNames.getOrDefault(id, List.of()));
    }

    /**
     * SHA-256 over the source bytes and the proposed bytes, each prefixed by its length so that no
     * two different pairs hash alike.
     */
    static String previewHash(byte[] sourceBytes, byte[] proposedBytes) {
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(sourceBytes.length).array());
        digest.update(sourceBytes);
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(proposedBytes.length).array());
        digest.update(proposedBytes);
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static List<SideBySideRow> sideBySide(List<String> beforeLines, List<String> afterLines) {
        // The identity normalizer keeps the JSON as it is (the default escapes it for HTML).
        DiffRowGenerator generator = DiffRowGenerator.create()
                .showInlineDiffs(false)
                .lineNormalizer(Function.identity())
                .build();
        return generator.generateDiffRows(beforeLines, afterLines).stream()
                .map(row -> new SideBySideRow(change(row.getTag()), row.getOldLine(), row.getNewLine()))
                .toList();
    }

    private static Change change(DiffRow.Tag tag) {
        return switch (tag) {
            case EQUAL -> Change.EQUAL;
            case CHANGE -> Change.CHANGED;
            case DELETE -> Change.REMOVED;
            case INSERT -> Change.ADDED;
        };
    }

    private static List<NamespaceSummary> summaries(SchemaSnapshot source, SchemaRewrite rewrite) {
        return source.rules().keySet().stream()
                .map(namespace -> new NamespaceSummary(namespace,
                        count(rewrite.replaced(), SchemaRewrite.ReplacedKeyId::namespace, namespace),
                        count(rewrite.pointers(), SchemaRewrite.PointerKeyId::namespace, namespace),
                        count(rewrite.unknown(), SchemaRewrite.UnknownKeyId::namespace, namespace),
                        count(rewrite.removed(), SchemaRewrite.RemovedBlock::namespace, namespace)))
                .toList();
    }

    private static <T> int count(List<T> findings, Function<T, String> namespaceOf, String namespace) {
        return (int) findings.stream().filter(finding -> namespaceOf.apply(finding).equals(namespace)).count();
    }
}
