package io.keyshift.ui.target;

import io.keyshift.core.kms.KmsTarget;
import javafx.beans.Observable;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;

/** One provider's form on the Target KMS page. FX thread, except what {@link #target()} returns. */
interface TargetForm {

    /**
     * What the fields say now, to be built on a background thread (building may read files). Secrets typed
     * in are copied out at once; a mistake that shows without building is refused here, as a KeyShiftException.
     */
    Building target();

    /** The fields whose change voids the checks: checks only vouch for the settings they ran with. */
    List<Observable> fields();

    /** Reads whatever the form offers from the user's machine (AWS profiles); background work only. */
    default void enter() {
    }

    /** The file an optional field names, or null when it is empty. */
    static Path pathOrNull(StringProperty field) {
        return field.get().isBlank() ? null : Path.of(field.get().strip());
    }

    /** A target being built: it validates its input offline and refuses with a sentence saying what to fix. */
    @FunctionalInterface
    interface Building {
        KmsTarget build();
    }
}
