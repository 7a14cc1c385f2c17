package io.keyshift.cli;

import io.keyshift.core.kms.LocalMasterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keyshift local-key new FILE}: makes the key file a local → local rotation moves the data keys to. */
@Command(name = "local-key", mixinStandardHelpOptions = true,
        description = "Local master key files.",
        subcommands = LocalKeyCommand.New.class)
final class LocalKeyCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the sub-command: keyshift local-key new FILE");
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Write a new local master key: " + LocalMasterKey.LENGTH + " random bytes, readable only by you.",
                    "Never replaces an existing file."},
            exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the key file was written", "1:bad usage, the file exists, or it could not be written"})
    static final class New implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Where to write the key; no file may exist there yet.")
        private Path file;

        @Override
        public Integer call() {
            LocalMasterKey.generate(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Wrote a new local master key to " + file + " (" + LocalMasterKey.LENGTH
                    + " random bytes, readable only by you).");
            out.println("Keep it safe: once data keys are moved under it, it is the master key of your data, and losing it"
                    + " loses every value they encrypt. Keep a copy as protected as the file itself.");
            out.println("Give KeyShift its path, never its content: keyshift migrate --to local --new-local-key " + file
                    + " …; your applications then configure it as their local key.");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
