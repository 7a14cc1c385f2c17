package io.keyshift.ui.common;

import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextInputControl;

/** Buttons that start background work (Test connection, Check). FX thread only. */
public final class BusyButtons {

    private BusyButtons() {
    }

    /**
     * Disables {@code button} while {@code busy}. A disabled button loses the focus to the next one (often
     * Back, so Space would go back a page); if the button had it, it gets it back when the work ends,
     * unless the user has gone on typing in a field meanwhile.
     */
    public static void disableWhile(Button button, ObservableBooleanValue busy) {
        boolean[] focusTakenByBusy = {false};
        button.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused && busy.get()) {
                focusTakenByBusy[0] = true;
            }
        });
        busy.addListener((obs, was, now) -> {
            if (!now && focusTakenByBusy[0]) {
                focusTakenByBusy[0] = false;
                Scene scene = button.getScene();
                if (scene != null && !(scene.getFocusOwner() instanceof TextInputControl)) {
                    button.requestFocus();
                }
            }
        });
        button.disableProperty().bind(busy);
    }
}
