package io.keyshift.cli;

import io.keyshift.sandbox.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** {@code keyshift sandbox}: starts a seeded rehearsal environment and keeps it up until interrupted. */
@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        description = {
                "Start a seeded rehearsal sandbox on loopback: FerretDB (MongoDB-compatible), an AWS KMS emulator,"
                        + " a KMIP server (PyKMIP), and Azure Key Vault and Google Cloud KMS emulators.",
                "Installs what is missing, prints the path of sandbox.json, and runs until Ctrl-C, which stops its servers."})
final class SandboxCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Sandbox directory (default: ${DEFAULT-VALUE}).")
    private Path dir = Sandbox.defaultDir();

    @Option(names = "--docs", paramLabel = "N", description = "Documents per seeded collection (default: ${DEFAULT-VALUE}).")
    private int documents = Sandbox.Options.DEFAULT_DOCUMENTS;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generated keys and data (default: ${DEFAULT-VALUE}).")
    private long seed = Sandbox.Options.DEFAULT_SEED;

    @Option(names = "--install-only", description = "Install FerretDB, the AWS KMS emulator and the KMIP server if missing, then exit.")
    private boolean installOnly;

    @Override
    public Integer call() throws InterruptedException {
        if (documents < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--docs must be at least 1.");
        }
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> progress = line -> {
            out.println(line);
            out.flush();
        };
        Sandbox.Options options = Sandbox.Options.defaults().withDir(dir).withDocuments(documents).withSeed(seed);
        if (installOnly) {
            Sandbox.install(options, progress);
            out.println("FerretDB, the AWS KMS emulator and the KMIP server are installed in " + options.toolsDir());
            return ExitCodes.OK;
        }
        Sandbox sandbox = Sandbox.start(options, progress);
        out.println();
        out.println(sandbox.summary());
        out.println();
        out.println("Press Ctrl-C to stop the sandbox.");
        out.flush();
        // Ctrl-C and SIGTERM run the sandbox's shutdown hook, which stops its servers.
        new CountDownLatch(1).await();
        return ExitCodes.OK;
    }
}
