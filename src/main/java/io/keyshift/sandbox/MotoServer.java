package io.keyshift.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** moto server, the AWS emulator, serving KMS, STS and IAM over TLS on a loopback port. */
final class MotoServer {

    /**
     * How many requests moto serves before it starts checking signatures and IAM policies. Seeding
     * needs fewer; {@link AwsSeeder#enforceAuthentication()} spends the rest.
     */
    static final int UNAUTHENTICATED_CALLS = 40;

    private MotoServer() {
    }

    static ManagedProcess start(Path script, int port, Path certificate, Path privateKey, Path logFile) {
        List<String> command = List.of(script.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port),
                "-c", certificate.toString(), "-k", privateKey.toString());
        return ManagedProcess.start("moto server", command,
                        Map.of("INITIAL_NO_AUTH_ACTION_COUNT", String.valueOf(UNAUTHENTICATED_CALLS)), logFile)
                .awaitPort(port, Duration.ofSeconds(60));
    }
}
