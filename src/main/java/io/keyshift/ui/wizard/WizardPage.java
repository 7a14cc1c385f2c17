package io.keyshift.ui.wizard;

import javafx.beans.binding.BooleanExpression;

/**
 * What the window asks of every step's view model. The window calls {@link #enter()} each time the step
 * shows, and the page's Next button follows {@link #valid()}. FX thread only.
 */
public interface WizardPage {

    /** Brings the page up to date with what the steps before it settled in the draft; a page that reads none keeps this. */
    default void enter() {
    }

    /** True when the page has settled its part of the draft and the wizard may move on. */
    BooleanExpression valid();
}
