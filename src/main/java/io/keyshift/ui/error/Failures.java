package io.keyshift.ui.error;

import io.keyshift.core.KeyShiftException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Sorts a page's failures into the tiers of the house: the engine's own failures already say what
 * failed and what to do, so the page shows that sentence next to what the user did; anything else is
 * unexpected and opens the error page, with a code and copyable details. {@code Tasks} has logged the
 * stack trace once already. FX thread only.
 */
public final class Failures {

    private final ObjectProperty<UnexpectedError> unexpected = new SimpleObjectProperty<>();

    /** The sentence for the page to show inline; an unexpected failure also opens the error page. */
    public String sentence(Throwable failure) {
        if (failure instanceof KeyShiftException) {
            return failure.getMessage();
        }
        UnexpectedError error = UnexpectedError.of(failure);
        unexpected.set(error);
        return "Something unexpected failed (error " + error.code() + "): try again; the details are in the log file.";
    }

    /** The unexpected failure the error page shows; null while there is none. */
    public ReadOnlyObjectProperty<UnexpectedError> unexpectedProperty() {
        return unexpected;
    }

    /** Back from the error page to the page it interrupted. */
    public void dismiss() {
        unexpected.set(null);
    }
}
