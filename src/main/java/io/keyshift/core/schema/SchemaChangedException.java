package io.keyshift.core.schema;

/**
 * The rules, or the mapping, are no longer what the preview showed, so nothing was written: the
 * user must look at a new diff before anything is applied.
 */
public class SchemaChangedException extends SchemaRefusedException {

    public SchemaChangedException(String message) {
        super(message);
    }
}
