package io.keyshift.ui.schema;

/** One line of the unified diff and what it is, so the page can colour it. */
public record UnifiedLine(Kind kind, String text) {

    public enum Kind { FILE_HEADER, HUNK_HEADER, CONTEXT, REMOVED, ADDED }

    static UnifiedLine of(String text) {
        Kind kind;
        if (text.startsWith("---") || text.startsWith("+++")) {
            kind = Kind.FILE_HEADER;
        } else if (text.startsWith("@@")) {
            kind = Kind.HUNK_HEADER;
        } else if (text.startsWith("-")) {
            kind = Kind.REMOVED;
        } else if (text.startsWith("+")) {
            kind = Kind.ADDED;
        } else {
            kind = Kind.CONTEXT;
        }
        return new UnifiedLine(kind, text);
    }
}
