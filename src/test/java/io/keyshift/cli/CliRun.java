package io.keyshift.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the CLI, as a user would type it: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun keyshift(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = KeyShiftCommand.newCommandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    static CliRun keyshift(List<String> args) {
        return keyshift(args.toArray(String[]::new));
    }
}
