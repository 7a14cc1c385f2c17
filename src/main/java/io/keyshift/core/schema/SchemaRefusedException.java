package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;

/**
 * A check refused the write, so nothing was written: the rules changed since the preview, the
 * preview is not the reviewed one, or the proposed rules name a data key the key vault does not hold.
 */
public class SchemaRefusedException extends KeyShiftException {

    public SchemaRefusedException(String message) {
        super(message);
    }
}
