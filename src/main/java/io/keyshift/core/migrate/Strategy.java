package io.keyshift.core.migrate;

/** The ways to leave the local master key; see DESIGN.md for what each changes. */
public enum Strategy {
    /** Re-encrypt each data key under the target master key; ids, key material, documents and schemas stay. */
    REWRAP,
    /** New data keys under the target master key; every value re-encrypted in place under them. */
    REKEY,
    /** Every value replaced by its plaintext; leaving client-side encryption. */
    DECRYPT
}
