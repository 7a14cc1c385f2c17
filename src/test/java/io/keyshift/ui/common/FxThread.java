package io.keyshift.ui.common;

import javafx.application.Platform;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs view-model code on the FX thread, as the app does, without any window. With {@link #DIRECT}
 * as the view model's executor, background work runs inline; its callbacks, which a Task always posts
 * to the FX thread, have run when {@link #call} returns.
 */
public final class FxThread {

    /** Runs a task where it is started: on the FX thread in these tests. */
    public static final Executor DIRECT = Runnable::run;

    private FxThread() {
    }

    public static <T> T call(Callable<T> work) throws Exception {
        start();
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        T result = task.get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }

    public static void run(Runnable work) throws Exception {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Starts the toolkit the way TestFX does, so the TestFX tests of the same run still own their stage. */
    private static void start() throws TimeoutException {
        FxToolkit.registerPrimaryStage();
    }
}
