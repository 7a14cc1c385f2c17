package io.keyshift.core.keyvault;

/**
 * The unique index on {@code keyAltNames} with the partial filter
 * {@code {keyAltNames: {$exists: true}}} that the driver's documentation asks for, which keeps two
 * data keys from sharing an alternate name.
 */
public enum AltNamesIndex {
    PRESENT("present"),
    /** An index on keyAltNames exists but is not unique, or not partial. */
    INCOMPLETE("present but not unique and partial"),
    MISSING("missing"),
    /** The server cannot build partial indexes (FerretDB). */
    NOT_SUPPORTED("not supported by this server"),
    UNKNOWN("unknown");

    private final String label;

    AltNamesIndex(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
