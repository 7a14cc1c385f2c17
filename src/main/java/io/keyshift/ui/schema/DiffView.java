package io.keyshift.ui.schema;

/** The ways the Schema page shows the rules found and their proposed change. */
public enum DiffView {
    /** One row per keyId replaced or encrypt block removed: namespace, field, old key → new key. */
    CHANGES,
    SIDE_BY_SIDE,
    UNIFIED,
    /** Per namespace: where its rules live and how many keyIds and blocks change. */
    NAMESPACES
}
