package io.keyshift.ui.common;

import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Node;

/** Shows a node, and lets it take space in its layout, only while a condition holds. */
public final class Visibility {

    private Visibility() {
    }

    public static void showWhen(Node node, ObservableBooleanValue condition) {
        node.visibleProperty().bind(condition);
        node.managedProperty().bind(condition);
    }
}
