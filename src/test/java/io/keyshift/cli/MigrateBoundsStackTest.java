package io.keyshift.cli;

import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Out-of-range knobs are usage errors, refused before the command scans or writes anything. */
@ExtendWith(StackExtension.class)
class MigrateBoundsStackTest {

    @Test
    void aMillionWorkersIsAUsageErrorBeforeAnyScan(TestStack stack) {
        CliRun run = CliRun.keyshift("migrate", "--strategy", "rekey", "--workers", "1000000", "--dry-run",
                "--uri", stack.info().mongodbUri(), "--local-key", stack.info().localKeyFile().toString(),
                "--region", stack.info().aws().region(), "--cmk", stack.info().aws().cmkArn());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Error: The number of workers must be between 1 and 32 (it is 1000000)",
                "Nothing was scanned or written.");
        assertThat(run.out()).doesNotContain("Scanning", "Plan:");
    }

    @Test
    void aChunkBeyondTheBoundIsAUsageError(TestStack stack) {
        CliRun run = CliRun.keyshift("migrate", "--strategy", "rewrap", "--chunk", "5000", "--dry-run",
                "--uri", stack.info().mongodbUri(), "--local-key", stack.info().localKeyFile().toString(),
                "--region", stack.info().aws().region(), "--cmk", stack.info().aws().cmkArn());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("The chunk size must be between 1 and 1000 keys (it is 5000)");
        assertThat(run.out()).doesNotContain("Plan:");
    }
}
