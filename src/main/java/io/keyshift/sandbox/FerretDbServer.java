package io.keyshift.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * FerretDB on its SQLite backend, answering {@code hello} as a one-member replica set {@code rs0}
 * so clients behave as they do against a production replica set.
 */
final class FerretDbServer {

    static final String REPLICA_SET = "rs0";

    private FerretDbServer() {
    }

    /** Starts FerretDB on a free port and waits until it listens. */
    static ManagedProcess start(Path binary, Path dataDir, Path logFile) throws IOException {
        Files.createDirectories(dataDir);
        return ManagedProcess.startListening(port -> launch(binary, port, dataDir, logFile), Duration.ofSeconds(60));
    }

    private static ManagedProcess launch(Path binary, int port, Path dataDir, Path logFile) {
        List<String> command = List.of(binary.toString(),
                "--handler=sqlite",
                // SQLite's default syncs the disk on every commit, and FerretDB commits every updated document
                // on its own: updates then waited on the disk. MongoDB groups its journal writes; in WAL mode
                // "normal" keeps every commit safe from a crash of the server process, which is what a sandbox needs.
                "--sqlite-url=file:" + dataDir.toAbsolutePath() + "/?_pragma=synchronous(normal)",
                "--listen-addr=127.0.0.1:" + port,
                "--repl-set-name=" + REPLICA_SET,
                "--state-dir=" + dataDir.toAbsolutePath(),
                "--telemetry=disable",
                // The debug listener defaults to a fixed port: two sandboxes would collide on it.
                "--debug-addr=-",
                "--log-level=warn");
        return ManagedProcess.start("FerretDB", port, command, Map.of(), logFile);
    }

    static String uri(int port) {
        return "mongodb://127.0.0.1:" + port + "/?replicaSet=" + REPLICA_SET;
    }
}
