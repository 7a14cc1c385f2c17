package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sandbox server whose free port another process took before it could bind it is started again on another
 * port (as PyKMIP once was not, failing a whole test run); any other failure to start is reported, not retried.
 */
class ManagedProcessTest {

    /** A Python server that binds the port it is given, as FerretDB, moto and PyKMIP do. */
    private static ManagedProcess pythonServer(int port, Path logFile) {
        String program = "import socket, time\n"
                + "s = socket.socket()\n"
                + "s.bind(('127.0.0.1', " + port + "))\n"
                + "s.listen()\n"
                + "time.sleep(120)\n";
        return ManagedProcess.start("test server", port, List.of("python3", "-c", program), Map.of(), logFile);
    }

    @Test
    void aServerWhosePortWasTakenIsStartedAgainOnAnotherPort(@TempDir Path dir) throws Exception {
        List<Integer> launchedOn = new ArrayList<>();
        // Bound, not listening: as an outgoing connection holds the local port the kernel gave it.
        try (Socket squatter = new Socket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = squatter.getLocalPort();
            ManagedProcess.Launcher launcher = port -> {
                // The first launch gets the port the squatter holds, as if it had taken it a moment earlier.
                int bound = launchedOn.isEmpty() ? taken : port;
                launchedOn.add(bound);
                return pythonServer(bound, dir.resolve("server-" + launchedOn.size() + ".log"));
            };

            try (ManagedProcess server = ManagedProcess.startListening(launcher, Duration.ofSeconds(30))) {
                assertThat(launchedOn).hasSize(2).startsWith(taken);
                assertThat(server.port()).isEqualTo(launchedOn.get(1)).isNotEqualTo(taken);
                assertThat(server.isAlive()).isTrue();
                assertThat(Files.readString(dir.resolve("server-1.log"))).contains("Address already in use");
            }
        }
    }

    @Test
    void aServerThatFailsForAnotherReasonIsNotStartedAgain(@TempDir Path dir) {
        List<Integer> launchedOn = new ArrayList<>();
        ManagedProcess.Launcher launcher = port -> {
            launchedOn.add(port);
            return ManagedProcess.start("test server", port,
                    List.of("python3", "-c", "import sys; sys.exit('no such configuration file')"), Map.of(),
                    dir.resolve("server.log"));
        };

        assertThatThrownBy(() -> ManagedProcess.startListening(launcher, Duration.ofSeconds(30)))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("test server exited with code 1 while starting")
                .hasMessageContaining("no such configuration file");
        assertThat(launchedOn).hasSize(1);
    }

    @Test
    void serversGetPortsBelowTheKernelsEphemeralRange(@TempDir Path dir) throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = Files.isReadable(range)
                ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 49_152;
        assumeTrue(ephemeralStart >= 11_000, "this kernel's ephemeral ports leave no room below them");
        try (ManagedProcess server = ManagedProcess.startListening(
                port -> pythonServer(port, dir.resolve("server.log")), Duration.ofSeconds(30))) {
            assertThat(server.port()).isBetween(10_000, ephemeralStart - 1);
        }
    }
}
