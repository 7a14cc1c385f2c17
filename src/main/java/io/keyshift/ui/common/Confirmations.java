package io.keyshift.ui.common;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.ResourceBundle;

/**
 * A confirmation before a write: it says what will be written, its button names the action, and
 * Cancel is the default button, so Enter never writes.
 */
public final class Confirmations {

    private Confirmations() {
    }

    /** True when the user chose {@code action}; Enter and Escape cancel. FX thread. */
    public static boolean confirm(Window owner, String header, String text, String action) {
        ResourceBundle messages = FxmlLoaderFactory.messages();
        ButtonType write = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(messages.getString("confirm.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text, cancel, write);
        alert.initOwner(owner);
        alert.setHeaderText(header);
        ((Button) alert.getDialogPane().lookupButton(write)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        alert.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        return alert.showAndWait().filter(write::equals).isPresent();
    }
}
