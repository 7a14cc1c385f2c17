package io.keyshift.cli;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.migrate.MigrationBlockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns any failure of a sub-command into one sentence on stderr and exit code 1 (2 when a rule of
 * the engine refused the step); the stack trace goes to the log file only, once.
 */
final class UserFacingErrors implements CommandLine.IExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UserFacingErrors.class);

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        String message = ex instanceof KeyShiftException ? ex.getMessage()
                : "Unexpected error (" + ex.getClass().getSimpleName() + "): " + ex.getMessage()
                  + ". Details are in the log file.";
        LOG.error("{} failed", commandLine.getCommandName(), ex);
        commandLine.getErr().println(commandLine.getColorScheme().errorText("Error: " + message));
        return ex instanceof MigrationBlockedException ? ExitCodes.BLOCKED : ExitCodes.USAGE_OR_CONNECTION;
    }
}
