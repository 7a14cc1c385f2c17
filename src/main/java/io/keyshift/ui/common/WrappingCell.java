package io.keyshift.ui.common;

import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.text.Text;

/** A table cell whose text wraps to the column's width, so a long sentence grows the row instead of being cut. */
public final class WrappingCell<S> extends TableCell<S, String> {

    /** Cell padding on both sides, so the wrapped text never touches the next column. */
    private static final double PADDING = 16;

    private final Text text = new Text();

    public WrappingCell(TableColumn<S, String> column) {
        // A Text reports the height of all its lines for a wrapping width, which is what lets the row grow.
        text.wrappingWidthProperty().bind(column.widthProperty().subtract(PADDING));
        text.getStyleClass().add("wrapping-cell-text");
        getStyleClass().add("wrapping-cell");
    }

    @Override
    protected void updateItem(String value, boolean empty) {
        super.updateItem(value, empty);
        text.setText(empty ? null : value);
        setGraphic(empty ? null : text);
    }
}
