package io.keyshift.ui.run;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One row of the Run page: a collection (REKEY, DECRYPT) or a chunk of keys (REWRAP). FX thread only. */
public final class ProgressRow {

    private final String name;
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final StringProperty done = new SimpleStringProperty("");
    private final StringProperty detail = new SimpleStringProperty("");

    ProgressRow(String name, String done) {
        this.name = name;
        this.done.set(done);
    }

    public String name() {
        return name;
    }

    /** 0 to 1. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** "120 / 300 documents". */
    public StringProperty doneProperty() {
        return done;
    }

    /** Values converted, conflicts, failures, rate and time left. */
    public StringProperty detailProperty() {
        return detail;
    }
}
