package io.keyshift.core.scan;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;

import java.util.Set;
import java.util.UUID;

/**
 * Encrypted values under one data key at one field path of a collection. Array positions in the
 * path are written {@code $} ({@code items.$.card}).
 */
public record FieldUsage(String path, UUID keyId, long values, Set<Algorithm> algorithms) {

    public FieldUsage {
        algorithms = Set.copyOf(algorithms);
    }
}
