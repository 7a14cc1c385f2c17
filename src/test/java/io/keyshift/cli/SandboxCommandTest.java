package io.keyshift.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift sandbox} given a place it cannot use: one sentence, before anything is installed or started. */
class SandboxCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFileGivenAsTheDirectoryIsNamedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a directory");

        CliRun run = CliRun.keyshift("sandbox", "--dir", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("The sandbox directory " + file + " is a file, not a directory: give a directory")
                .doesNotContain("logs");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void aDirectoryUnderAFileIsNamedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a directory");

        CliRun run = CliRun.keyshift("sandbox", "--dir", file.resolve("sandbox").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains(file + " is a file. Give a directory you may write in.").doesNotContain("logs");
    }
}
