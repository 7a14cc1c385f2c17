package io.keyshift.cli;

import io.keyshift.core.kms.LocalMasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift local-key new FILE} as a DBA runs it before a local → local rotation. */
class LocalKeyCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesNinetySixRandomBytesOnlyTheOwnerMayRead() throws Exception {
        Path file = dir.resolve("keys/new-master.key");

        CliRun run = CliRun.keyshift("local-key", "new", file.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(Files.size(file)).isEqualTo(96);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run.out()).contains("Wrote a new local master key to " + file)
                .contains("Keep it safe")
                .contains("--new-local-key " + file);
        try (LocalMasterKey key = LocalMasterKey.load(file)) {
            assertThat(key.isDestroyed()).isFalse();
        }
    }

    @Test
    void twoNewKeysDiffer() throws Exception {
        Path first = dir.resolve("first.key");
        Path second = dir.resolve("second.key");

        CliRun.keyshift("local-key", "new", first.toString());
        CliRun.keyshift("local-key", "new", second.toString());

        assertThat(Files.readAllBytes(first)).isNotEqualTo(Files.readAllBytes(second));
    }

    @Test
    void refusesToOverwriteAnExistingFileAndLeavesItUnchanged() throws Exception {
        Path existing = Files.writeString(dir.resolve("master.key"), "the key the data keys are under today",
                StandardCharsets.UTF_8);

        CliRun run = CliRun.keyshift("local-key", "new", existing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err().strip()).isEqualTo("Error: The file " + existing + " already exists and was left as it is:"
                + " it may be a master key that data keys are under. Give a path where no file exists yet.");
        assertThat(Files.readString(existing)).isEqualTo("the key the data keys are under today");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutAFileItIsAUsageError() {
        CliRun run = CliRun.keyshift("local-key", "new");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void withoutTheSubCommandItIsAUsageError() {
        CliRun run = CliRun.keyshift("local-key");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("keyshift local-key new FILE");
    }
}
