package io.keyshift.ui.schema;

/** The three ways the Schema page shows a proposed change. */
public enum DiffView {
    /** One row per keyId replaced or encrypt block removed: namespace, field, old key → new key. */
    CHANGES,
    SIDE_BY_SIDE,
    UNIFIED
}
