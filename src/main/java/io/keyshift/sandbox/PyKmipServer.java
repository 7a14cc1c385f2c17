package io.keyshift.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * PyKMIP's server, the KMIP server MongoDB's drivers test against: TLS 1.2 on a loopback port, with a
 * certificate from the sandbox CA, requiring a client certificate issued by the same CA. It is run by a
 * launcher of our own with a configuration file written here; PyKMIP needs absolute paths for its
 * log and its database, relative ones fail at start.
 */
final class PyKmipServer {

    /** The common name of KeyShift's client certificate: PyKMIP's identity for the objects it creates. */
    static final String CLIENT_NAME = "keyshift";

    private static final String LAUNCHER = "pykmip_server.py";

    private PyKmipServer() {
    }

    /**
     * Writes the configuration and launcher into {@code workDir} and starts the server on the given port; the
     * caller awaits it ({@link ManagedProcess#awaitListening}), so the server can get ready while the other
     * servers are seeded.
     */
    static ManagedProcess launch(Path python, int port, Path workDir, Path certificate, Path privateKey, Path caFile,
                                Path logs) throws IOException {
        Path dir = Files.createDirectories(workDir.toAbsolutePath());
        Path config = dir.resolve("server.conf");
        Files.writeString(config, String.join("\n",
                "[server]",
                "hostname=127.0.0.1",
                "port=" + port,
                "certificate_path=" + certificate.toAbsolutePath(),
                "key_path=" + privateKey.toAbsolutePath(),
                "ca_path=" + caFile.toAbsolutePath(),
                "auth_suite=TLS1.2",
                "enable_tls_client_auth=True",
                "logging_level=INFO",
                "database_path=" + dir.resolve("pykmip.db"),
                ""));
        Path launcher = dir.resolve(LAUNCHER);
        ToolInstaller.copyResource(LAUNCHER, launcher);
        List<String> command = List.of(python.toString(), launcher.toString(), config.toString(),
                logs.toAbsolutePath().resolve("pykmip-server.log").toString());
        return ManagedProcess.start("PyKMIP", port, command, Map.of(), logs.resolve("pykmip.log"));
    }
}
