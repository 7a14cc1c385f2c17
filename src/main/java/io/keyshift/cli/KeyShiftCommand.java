package io.keyshift.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/** The root of the CLI: {@code keyshift <sub-command>}. Each sub-command is a thin layer over core. */
@Command(name = "keyshift",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Moves MongoDB Client-Side Field Level Encryption data keys from one master key to another:"
                + " local, AWS KMS, Azure Key Vault, Google Cloud KMS or KMIP.",
        subcommands = {
                SandboxCommand.class,
                InspectCommand.class,
                AuditCommand.class,
                CheckAwsCommand.class,
                CheckKmsCommand.class,
                LocalKeyCommand.class,
                SchemaCommand.class,
                MigrateCommand.class,
                ResumeCommand.class,
                AbandonCommand.class,
                VerifyCommand.class,
                MigrationsCommand.class,
                RestoreKeysCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class KeyShiftCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Where the credentials that never go on a flag are read from (AZURE_CLIENT_SECRET …). */
    private final Map<String, String> environment;

    private KeyShiftCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Runs the CLI and returns the process exit code. */
    public static int run(String... args) {
        // Configuring the logging takes a few hundred milliseconds: it happens while picocli builds the commands,
        // and is finished before a command runs, so no log event waits for it.
        Thread logging = new Thread(LoggerFactory::getILoggerFactory, "keyshift-logging-setup");
        logging.setDaemon(true);
        logging.start();
        CommandLine commandLine = newCommandLine();
        try {
            logging.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return commandLine.execute(args);
    }

    static CommandLine newCommandLine() {
        return newCommandLine(System.getenv());
    }

    /** The CLI reading credentials from {@code environment} instead of the process's, as a test sets them. */
    static CommandLine newCommandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new KeyShiftCommand(environment))
                .setExecutionExceptionHandler(new UserFacingErrors());
        // Exit code 2 means "blocked by a check" in KeyShift, so bad usage gets 1, not picocli's 2.
        CommandLine.IParameterExceptionHandler usageMessage = commandLine.getParameterExceptionHandler();
        return commandLine.setParameterExceptionHandler((error, args) -> {
            usageMessage.handleParseException(error, args);
            return ExitCodes.USAGE_OR_CONNECTION;
        });
    }

    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
