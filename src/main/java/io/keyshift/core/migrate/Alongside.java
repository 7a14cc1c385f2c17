package io.keyshift.core.migrate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Two read-only steps of one stage run at the same time, each waiting for its own server: a target's
 * KMS checks (whose first AWS SDK client takes a second to start) beside the key vault's reads.
 */
final class Alongside {

    private Alongside() {
    }

    /**
     * Runs {@code other} on a thread of its own while {@code here} runs on this one, and combines their
     * results. {@code other} is always waited for, even when {@code here} fails (what it uses may be
     * closed by the caller next); the first failure, {@code here}'s before {@code other}'s, is thrown as it was.
     */
    static <A, B, R> R run(Supplier<A> other, Supplier<B> here, BiFunction<A, B, R> combine) {
        CompletableFuture<A> started = CompletableFuture.supplyAsync(other, runnable -> {
            Thread thread = new Thread(runnable, "keyshift-alongside");
            thread.setDaemon(true);
            thread.start();
        });
        B mine;
        try {
            mine = here.get();
        } catch (RuntimeException | Error e) {
            started.handle((result, failure) -> null).join();
            throw e;
        }
        A theirs;
        try {
            theirs = started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
        return combine.apply(theirs, mine);
    }
}
