package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;

/**
 * A migration step refused by a rule of the engine, not by a failure: the keys are held by another
 * unfinished migration, or abandoning would lose values. Nothing was written; the message says what
 * to do instead. The CLI exits with "blocked by a check" on it.
 */
public class MigrationBlockedException extends KeyShiftException {

    public MigrationBlockedException(String message) {
        super(message);
    }
}
