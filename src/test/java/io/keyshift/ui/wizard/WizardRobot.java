package io.keyshift.ui.wizard;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import org.testfx.api.FxRobot;
import org.testfx.service.query.EmptyNodeQueryException;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Finding controls on the page that shows, and waiting for the background work a page starts. */
final class WizardRobot {

    private WizardRobot() {
    }

    /**
     * Waits for a condition on controls that may not be on screen yet: the wizard moves to a
     * step before its page is shown, so a control missing from the page means "not yet".
     */
    static void waitUntil(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
            try {
                return condition.call();
            } catch (EmptyNodeQueryException notShownYet) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Looks up within the page on show, since every page has its own Next button. */
    static <T extends Node> T onPage(FxRobot robot, String query, Class<T> type) {
        return robot.lookup(".page").match(Node::isVisible).lookup(query).queryAs(type);
    }

    static boolean visible(FxRobot robot, String query) {
        return onPage(robot, query, Node.class).isVisible();
    }

    static TextField field(FxRobot robot, String query) {
        return onPage(robot, query, TextField.class);
    }

    static Label label(FxRobot robot, String query) {
        return onPage(robot, query, Label.class);
    }

    static Button button(FxRobot robot, String query) {
        return onPage(robot, query, Button.class);
    }

    /**
     * Every label, button or check box on screen whose text is cut short ("Resume it" shown as "…"):
     * what its skin draws differs from its text. Table and list cells are left out: they hold data,
     * which a DBA reads whole in the detail beside the table or by widening the column.
     */
    static List<String> elided(FxRobot robot, Scene scene) {
        WaitForAsyncUtils.waitForFxEvents();
        List<String> elided = new ArrayList<>();
        robot.interact(() -> collectElided(scene.getRoot(), elided));
        return elided;
    }

    private static void collectElided(Node node, List<String> elided) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled && !(node instanceof IndexedCell) && labeled.getText() != null
                && !labeled.getText().isEmpty()) {
            String expected = labeled.isMnemonicParsing() ? labeled.getText().replaceFirst("_", "") : labeled.getText();
            labeled.getChildrenUnmodifiable().stream().filter(Text.class::isInstance).map(text -> ((Text) text).getText())
                    .filter(shown -> !shown.equals(expected)).findFirst()
                    .ifPresent(shown -> elided.add(labeled.getClass().getSimpleName()
                            + (labeled.getId() == null ? "" : " #" + labeled.getId()) + " shows \"" + shown + "\" for \""
                            + expected + "\" (" + Math.round(labeled.getWidth()) + " px wide)"));
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collectElided(child, elided));
        }
    }

    @SuppressWarnings("unchecked")
    static <T> TableView<T> table(FxRobot robot, String query) {
        return onPage(robot, query, TableView.class);
    }
}
