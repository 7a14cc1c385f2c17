package io.keyshift.core.migrate;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds up the time the database spends on commands, so a rewrap can say how much of its time went
 * to the database and how much to KMS calls and cryptography.
 */
final class CommandTimer implements CommandListener {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        nanos.addAndGet(event.getElapsedTime(TimeUnit.NANOSECONDS));
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        nanos.addAndGet(event.getElapsedTime(TimeUnit.NANOSECONDS));
    }

    long totalNanos() {
        return nanos.get();
    }
}
