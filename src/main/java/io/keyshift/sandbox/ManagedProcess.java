package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process KeyShift started and must stop: its output goes to a log file in the sandbox
 * dir, and {@link #close()} ends it and everything it spawned, so no process is left behind.
 */
final class ManagedProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(environment);
        try {
            LOG.info("Starting {}: {}", name, command);
            return new ManagedProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new KeyShiftException("Could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Waits until the process accepts TCP connections on the port, or fails with its last log lines. */
    ManagedProcess awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new KeyShiftException(name + " exited with code " + process.exitValue()
                        + " while starting. Its log " + logFile + " ends with:\n" + tailOfLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                sleepQuietly(100);
            }
        }
        close();
        throw new KeyShiftException(name + " did not open port " + port + " within " + timeout.toSeconds()
                + " s. Its log " + logFile + " ends with:\n" + tailOfLog());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Stopped {}", name);
    }

    /** A loopback port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new KeyShiftException("Could not find a free loopback port: " + e.getMessage(), e);
        }
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyShiftException("Interrupted while waiting for a server to start.", e);
        }
    }
}
