package io.keyshift.ui.common;

import javafx.concurrent.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs work off the FX thread with typed callbacks that run on the FX thread. Nothing that touches
 * the network or the disk runs on the FX thread.
 */
public final class Tasks {

    /** Work that may report progress lines while it runs. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Consumer<String> progress) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    private Tasks() {
    }

    /** A daemon executor for background work, so an unfinished task never keeps the app alive. */
    public static ExecutorService newExecutor(String name) {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the work on the executor; its progress lines become the task's message (JavaFX
     * coalesces them into at most one FX-thread update per pulse).
     */
    public static <T> Task<T> start(Executor executor, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.run(this::updateMessage);
            }
        };
        task.setOnSucceeded(event -> onSuccess.accept(task.getValue()));
        task.setOnFailed(event -> {
            LOG.error("Background task failed", task.getException());
            onFailure.accept(task.getException());
        });
        executor.execute(task);
        return task;
    }
}
