package io.keyshift.core.schema;

import java.util.Map;
import java.util.UUID;

/**
 * Which new DEK replaces which old one after a REKEY.
 *
 * @param altNamesMoved true if the migration moved each old DEK's keyAltNames to its new DEK
 */
public record DekMapping(Map<UUID, UUID> oldToNew, boolean altNamesMoved) {

    public DekMapping {
        oldToNew = Map.copyOf(oldToNew);
    }
}
