package io.keyshift.ui.wizard;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.testfx.api.FxRobot;
import org.testfx.service.query.EmptyNodeQueryException;
import org.testfx.util.WaitForAsyncUtils;

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

    @SuppressWarnings("unchecked")
    static <T> TableView<T> table(FxRobot robot, String query) {
        return onPage(robot, query, TableView.class);
    }
}
