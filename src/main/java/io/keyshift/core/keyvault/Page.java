package io.keyshift.core.keyvault;

import java.util.UUID;

/**
 * A window on the key vault in {@code _id} order: the keys after {@code after} (from the start when
 * null), at most {@code size} of them. Paging by id keeps every page as cheap as the first.
 */
public record Page(UUID after, int size) {

    public Page {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be at least 1, was " + size);
        }
    }

    public static Page first(int size) {
        return new Page(null, size);
    }
}
