package io.keyshift.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One in-process run of the CLI, as a user would type it: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    private static final Pattern HASH_LINE = Pattern.compile("Preview hash: ([0-9a-f]{64})");

    static CliRun keyshift(String... args) {
        return keyshift(System.getenv(), args);
    }

    /** A run with {@code environment} as the process's environment variables, as a DBA exports them. */
    static CliRun keyshift(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = KeyShiftCommand.newCommandLine(environment)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** The preview hash a {@code schema diff} printed. */
    String previewHash() {
        Matcher matcher = HASH_LINE.matcher(out);
        assertThat(matcher.find()).as("a preview hash in:\n" + out).isTrue();
        return matcher.group(1);
    }

    static CliRun keyshift(List<String> args) {
        return keyshift(args.toArray(String[]::new));
    }
}
