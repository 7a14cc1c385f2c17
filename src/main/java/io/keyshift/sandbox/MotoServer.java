package io.keyshift.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * moto, the AWS emulator, serving KMS, STS and IAM over TLS on a loopback port. A launcher of our own
 * serves it with cheroot rather than moto_server's werkzeug, so connections are kept alive between
 * requests as AWS KMS keeps them; a client that sends {@code Connection: close} has its connection closed.
 */
final class MotoServer {

    /**
     * How many requests moto serves before it starts checking signatures and IAM policies. Seeding
     * needs fewer; {@link AwsSeeder#enforceAuthentication()} spends the rest.
     */
    static final int UNAUTHENTICATED_CALLS = 40;

    private static final String LAUNCHER = "moto_server.py";

    private MotoServer() {
    }

    /** Writes the launcher into {@code workDir}, starts the server on a free port and waits until it listens. */
    static ManagedProcess start(Path python, Path workDir, Path certificate, Path privateKey, Path logFile)
            throws IOException {
        Path launcher = Files.createDirectories(workDir.toAbsolutePath()).resolve(LAUNCHER);
        ToolInstaller.copyResource(LAUNCHER, launcher);
        return ManagedProcess.startListening(port -> launch(python, port, launcher, certificate, privateKey, logFile),
                Duration.ofSeconds(60));
    }

    private static ManagedProcess launch(Path python, int port, Path launcher, Path certificate, Path privateKey,
                                         Path logFile) {
        List<String> command = List.of(python.toString(), launcher.toString(), "-H", "127.0.0.1",
                "-p", String.valueOf(port), "-c", certificate.toString(), "-k", privateKey.toString());
        return ManagedProcess.start("moto server", port, command,
                Map.of("INITIAL_NO_AUTH_ACTION_COUNT", String.valueOf(UNAUTHENTICATED_CALLS)), logFile);
    }
}
