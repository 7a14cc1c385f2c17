package io.keyshift.ui.wizard;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Optional;

/**
 * Which page the wizard shows: the welcome page (no step yet) or one of the {@link WizardStep}s.
 * Pages move through it with Back and Next; the window follows it. FX thread only.
 */
public final class WizardNavigation {

    private final ObjectProperty<WizardStep> current = new SimpleObjectProperty<>();

    /** The current step; null while the welcome page shows. */
    public ReadOnlyObjectProperty<WizardStep> currentProperty() {
        return current;
    }

    public Optional<WizardStep> current() {
        return Optional.ofNullable(current.get());
    }

    public void goTo(WizardStep step) {
        current.set(step);
    }

    /** The step before the current one; from the first step, back to the welcome page. */
    public void back() {
        WizardStep step = current.get();
        current.set(step == null || step.ordinal() == 0 ? null : WizardStep.values()[step.ordinal() - 1]);
    }

    public void next() {
        WizardStep step = current.get();
        if (step == null) {
            current.set(WizardStep.values()[0]);
        } else if (step.ordinal() + 1 < WizardStep.values().length) {
            current.set(WizardStep.values()[step.ordinal() + 1]);
        }
    }
}
