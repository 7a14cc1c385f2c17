package io.keyshift.cli;

import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.inspect.InspectJson;
import io.keyshift.core.inspect.InspectReport;
import io.keyshift.core.inspect.InspectRequest;
import io.keyshift.core.inspect.Inspector;
import io.keyshift.core.kms.LocalMasterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code keyshift inspect}: a read-only look at a deployment — topology, data keys, which fields
 * use them, and (with {@code --local-key}) whether each local data key decrypts.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
                "Show the topology, the data keys of the key vault, which collections and fields use them, and with"
                        + " --local-key whether every local data key decrypts. Reads only; never writes.",
                "Exit code 0; 2 when the preflight finds a data key that does not decrypt; 1 for usage or connection errors."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--local-key", paramLabel = "FILE",
            description = "Local master key file (96 bytes or base64): preflight every local data key with it.")
    private Path localKey;

    @Option(names = "--schema-file", paramLabel = "FILE",
            description = "Automatic-encryption schema map (JSON) whose keyIds count as uses.")
    private Path schemaFile;

    @Mixin
    private ScanOptions scanning;

    @Option(names = "--json", description = "Print one JSON document (fields: docs/inspect-json.md).")
    private boolean json;

    /** Lets a test watch every command sent; null in normal use. */
    private final CommandListener commandListener;

    InspectCommand() {
        this(null);
    }

    InspectCommand(CommandListener commandListener) {
        this.commandListener = commandListener;
    }

    @Override
    public Integer call() {
        ConnectionProfile profile = cluster.profile();
        InspectRequest request = new InspectRequest(cluster.keyVaultNamespace(),
                scanning.collections(),
                scanning.mode(),
                Optional.ofNullable(schemaFile));
        MongoClientSettings settings = profile.clientSettings();
        if (commandListener != null) {
            settings = MongoClientSettings.builder(settings).addCommandListener(commandListener).build();
        }
        InspectReport report;
        try (LocalMasterKey key = localKey == null ? null : LocalMasterKey.load(localKey)) {
            report = new Inspector(settings).inspect(request, key);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(InspectJson.toJson(report));
            out.flush();
        } else {
            InspectText.print(report, out);
        }
        boolean blocked = report.preflight().map(preflight -> !preflight.passed()).orElse(false);
        return blocked ? ExitCodes.BLOCKED : ExitCodes.OK;
    }
}
