package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A server process KeyShift started and must stop: its output goes to a log file in the sandbox
 * dir, and {@link #close()} ends it and everything it spawned, so no process is left behind.
 */
final class ManagedProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

    /** How often a server is started again on another port when something took its port before it bound it. */
    private static final int PORT_ATTEMPTS = 3;
    /** Below the kernel's ephemeral ports, so neither an outgoing connection nor a port-0 listener can take ours. */
    private static final int LOWEST_PORT = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** Starts a server listening on the given loopback port, without waiting for it. */
    @FunctionalInterface
    interface Launcher {
        ManagedProcess launch(int port) throws IOException;
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int port;

    private ManagedProcess(String name, Process process, Path logFile, int port) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
    }

    /** Launches a server on a free port and waits until it listens (see {@link #awaitListening}). */
    static ManagedProcess startListening(Launcher launcher, Duration timeout) throws IOException {
        return launchOnFreePort(launcher).awaitListening(launcher, timeout);
    }

    /** Launches a server on a free port without waiting for it. */
    static ManagedProcess launchOnFreePort(Launcher launcher) throws IOException {
        return launcher.launch(freePort());
    }

    static ManagedProcess start(String name, int port, List<String> command, Map<String, String> environment,
                                Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(environment);
        try {
            LOG.info("Starting {}: {}", name, command);
            return new ManagedProcess(name, builder.start(), logFile, port);
        } catch (IOException e) {
            throw new KeyShiftException("Could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    /**
     * Waits until this server listens. A free port can be taken by another process between the moment it was
     * found and the moment the server binds it; the server then exits, and is launched again on another port.
     */
    ManagedProcess awaitListening(Launcher relaunch, Duration timeout) throws IOException {
        ManagedProcess server = this;
        for (int attempt = 1; ; attempt++) {
            try {
                return server.awaitPort(timeout);
            } catch (PortTakenException e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("{} could not bind port {}, which another process took; starting it on another port",
                        name, server.port);
                server = relaunch.launch(freePort());
            }
        }
    }

    /** Waits until the process accepts TCP connections on its port, or fails with its last log lines. */
    private ManagedProcess awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tailOfLog();
                String message = name + " exited with code " + process.exitValue()
                        + " while starting. Its log " + logFile + " ends with:\n" + tail;
                throw tail.toLowerCase(Locale.ROOT).contains("address already in use")
                        ? new PortTakenException(message) : new KeyShiftException(message);
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

    /**
     * A loopback port nothing listens on right now, chosen below the kernel's ephemeral range where there is
     * room: a port from that range can be handed to an outgoing connection or a port-0 listener before the server
     * started on it binds it.
     */
    private static int freePort() {
        int below = ephemeralPortsStart();
        for (int tries = 0; below - LOWEST_PORT >= 1_000 && tries < 50; tries++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST_PORT, below);
            if (bindable(candidate)) {
                return candidate;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new KeyShiftException("Could not find a free loopback port: " + e.getMessage(), e);
        }
    }

    /** Linux says where its ephemeral ports start; macOS and Windows start them at 49152. */
    private static int ephemeralPortsStart() {
        try {
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 49_152;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The server exited because its port was taken. */
    private static final class PortTakenException extends KeyShiftException {
        PortTakenException(String message) {
            super(message);
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
