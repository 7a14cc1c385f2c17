package io.keyshift.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the CLI: {@code keyshift <sub-command>}. Each sub-command is a thin layer over core. */
@Command(name = "keyshift",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Moves MongoDB Client-Side Field Level Encryption from a local master key to AWS KMS.",
        subcommands = {
                SandboxCommand.class,
                InspectCommand.class,
                AuditCommand.class,
                CheckAwsCommand.class,
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

    /** Runs the CLI and returns the process exit code. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new KeyShiftCommand())
                .setExecutionExceptionHandler(new UserFacingErrors());
        // Exit code 2 means "blocked by a check" in KeyShift, so bad usage gets 1, not picocli's 2.
        CommandLine.IParameterExceptionHandler usageMessage = commandLine.getParameterExceptionHandler();
        return commandLine.setParameterExceptionHandler((error, args) -> {
            usageMessage.handleParseException(error, args);
            return ExitCodes.USAGE_OR_CONNECTION;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
