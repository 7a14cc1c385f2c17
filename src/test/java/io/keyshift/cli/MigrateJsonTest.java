package io.keyshift.cli;

import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import org.bson.BsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code migrate --json}: stdout is exactly one JSON document for every strategy; the plan and progress go to stderr. */
class MigrateJsonTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @ParameterizedTest
    @ValueSource(strings = {"rewrap", "rekey", "decrypt"})
    void stdoutIsOneJsonDocumentForADryRunAndARun(String strategy) throws Exception {
        CliRun dryRun = CliRun.keyshift(migrate(strategy, "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.err()).isEqualTo(ExitCodes.OK);
        assertThat(parsesAsOneJsonDocument(dryRun.out())).as(dryRun.out()).isTrue();
        assertThat(BsonDocument.parse(dryRun.out()).getString("outcome").getValue()).isEqualTo("dry_run");
        assertThat(dryRun.err()).contains("Plan: " + strategy.toUpperCase());

        CliRun run = CliRun.keyshift(migrate(strategy, "--yes"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(parsesAsOneJsonDocument(run.out())).as(run.out()).isTrue();
        BsonDocument document = BsonDocument.parse(run.out());
        assertThat(document.getString("outcome").getValue()).isEqualTo("done");
        assertThat(document.getString("strategy").getValue()).isEqualTo(strategy);
        assertThat(document.getDocument("report").getString("migration").getValue())
                .isEqualTo(document.getString("migration").getValue());
        assertThat(run.err()).contains("Done and verified.");
    }

    /** The check the documentation promises: {@code keyshift migrate --json | python3 -m json.tool}. */
    private boolean parsesAsOneJsonDocument(String stdout) throws Exception {
        Path file = Files.writeString(dir.resolve("stdout.json"), stdout);
        Process tool = new ProcessBuilder("python3", "-m", "json.tool", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        return tool.waitFor(60, TimeUnit.SECONDS) && tool.exitValue() == 0;
    }

    private List<String> migrate(String strategy, String extra) {
        List<String> args = stack.migrate(strategy, dir.resolve("backup.json"), dir.resolve("reports"), "--json", extra);
        if (!strategy.equals("rewrap")) {
            args.addAll(List.of("--schema-file", info().schemaMapFile().toString()));
        }
        if (strategy.equals("decrypt")) {
            args.add("--i-understand-plaintext");
        }
        return args;
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
