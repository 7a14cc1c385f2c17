package io.keyshift.ui.common;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.text.Text;

import java.util.function.BiFunction;

/**
 * A list cell whose text wraps to the list's width, so a long sentence grows the cell instead of
 * being cut: a {@link Text} reports the height of all its lines for a wrapping width.
 */
public final class WrappingListCell<T> extends ListCell<T> {

    /** The list's scroll bar and the cell's padding. */
    private static final double MARGIN = 32;

    private final Text text = new Text();
    private final BiFunction<Integer, T, String> shown;

    /** @param shown the text of an item from its index and itself */
    public WrappingListCell(ListView<T> list, BiFunction<Integer, T, String> shown) {
        this.shown = shown;
        text.wrappingWidthProperty().bind(list.widthProperty().subtract(MARGIN));
        text.getStyleClass().add("wrapping-cell-text");
    }

    @Override
    protected void updateItem(T item, boolean empty) {
        super.updateItem(item, empty);
        text.setText(empty || item == null ? null : shown.apply(getIndex(), item));
        setGraphic(empty || item == null ? null : text);
    }
}
