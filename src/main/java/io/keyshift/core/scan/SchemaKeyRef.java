package io.keyshift.core.scan;

import java.util.UUID;

/**
 * A key a schema map names for a field: a data key id, or (when {@code keyId} is null) a JSON
 * pointer to a field holding a keyAltName, resolved per document by the driver.
 *
 * @param path the field path the rule applies to ({@code ""} for an {@code encryptMetadata} at the
 *             top of the collection's schema); array items are written {@code $}
 */
public record SchemaKeyRef(String namespace, String path, UUID keyId, String altNamePointer) {
}
