package io.keyshift.ui.common;

import javafx.application.Platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches the FX thread for work that belongs on a background thread: a database command, a KMS call,
 * libmongocrypt. It looks at the FX thread's stack every few milliseconds; what it reports was seen
 * there, so it never fails a run that is right, however loaded the machine (a wrong run may go
 * unseen if its call is very short, and is caught by the next run).
 */
public final class FxThreadWatch implements AutoCloseable {

    /** Frames that only a call to a server or a KMS, or libmongocrypt, puts on a stack. */
    private static final List<String> IO_FRAMES = List.of("com.mongodb.internal.connection.", "com.mongodb.internal.operation.",
            "com.mongodb.client.internal.", "com.mongodb.internal.crypt.", "software.amazon.awssdk.core.internal.http.");

    private final Thread fxThread;
    private final Thread watcher;
    private final List<String> seen = new ArrayList<>();
    private volatile boolean watching = true;

    private FxThreadWatch(Thread fxThread) {
        this.fxThread = fxThread;
        this.watcher = new Thread(this::watch, "fx-thread-watch");
        watcher.setDaemon(true);
    }

    /** Starts watching; the FX toolkit must be running. */
    public static FxThreadWatch start() throws Exception {
        CompletableFuture<Thread> fx = new CompletableFuture<>();
        Platform.runLater(() -> fx.complete(Thread.currentThread()));
        FxThreadWatch watch = new FxThreadWatch(fx.get(60, TimeUnit.SECONDS));
        watch.watcher.start();
        return watch;
    }

    private void watch() {
        while (watching) {
            StackTraceElement[] stack = fxThread.getStackTrace();
            if (Arrays.stream(stack).anyMatch(frame -> IO_FRAMES.stream().anyMatch(frame.getClassName()::startsWith))) {
                synchronized (seen) {
                    if (seen.size() < 5) {
                        seen.add(describe(stack));
                    }
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The FX thread's stacks caught in a database or KMS call (the first few); empty when none was seen. */
    public List<String> ioSeenOnFxThread() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() throws InterruptedException {
        watching = false;
        watcher.join(10_000);
    }

    private static String describe(StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder("FX thread in:");
        Arrays.stream(stack).limit(40).forEach(frame -> text.append("\n  at ").append(frame));
        return text.toString();
    }
}
