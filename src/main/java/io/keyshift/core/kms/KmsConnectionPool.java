package io.keyshift.core.kms;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Idle KMS connections of one TLS context, per endpoint ({@code host:port}), most recently used first.
 * A connection idle for longer than {@link #MAX_IDLE_NANOS} is closed rather than reused: a KMS closes idle
 * connections on its side, and a reused connection found closed costs a second attempt.
 */
final class KmsConnectionPool {

    static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** More than a run's KMS concurrency (at most 32) needs; extra connections are closed. */
    static final int MAX_IDLE_PER_ENDPOINT = 32;

    private record Idle(SSLSocket socket, long since) {
        boolean stale(long now) {
            return now - since > MAX_IDLE_NANOS || socket.isClosed();
        }
    }

    private final Map<String, Deque<Idle>> idle = new ConcurrentHashMap<>();

    /** A live idle connection to {@code endpoint}, taken out of the pool; null when there is none. */
    SSLSocket take(String endpoint) {
        Deque<Idle> connections = idle.get(endpoint);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Idle connection = connections.pollFirst(); connection != null; connection = connections.pollFirst()) {
            if (!connection.stale(now)) {
                return connection.socket();
            }
            closeQuietly(connection.socket());
        }
        return null;
    }

    /** Keeps {@code socket}, whose last exchange is complete, for the next call to {@code endpoint}. */
    void give(String endpoint, SSLSocket socket) {
        Deque<Idle> connections = idle.computeIfAbsent(endpoint, unused -> new ConcurrentLinkedDeque<>());
        long now = System.nanoTime();
        connections.offerFirst(new Idle(socket, now));
        for (Idle oldest = connections.peekLast(); oldest != null
                && (oldest.stale(now) || connections.size() > MAX_IDLE_PER_ENDPOINT); oldest = connections.peekLast()) {
            if (connections.removeLastOccurrence(oldest)) {
                closeQuietly(oldest.socket());
            }
        }
    }

    static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // A connection that fails to close is gone either way.
        }
    }
}
