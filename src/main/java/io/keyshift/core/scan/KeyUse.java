package io.keyshift.core.scan;

/**
 * One place a data key is used: a field of a collection, seen in the data (with the number of
 * values) or named by the schema map.
 */
public record KeyUse(String namespace, String path, Source source, long values) {

    public enum Source { DATA, SCHEMA }

    @Override
    public String toString() {
        String where = namespace + " " + (path.isEmpty() ? "(whole document)" : path);
        return source == Source.DATA ? where + " (" + values + " values)" : where + " (schema)";
    }
}
