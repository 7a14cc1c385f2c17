package io.keyshift.cli;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.FaultyEstate;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift audit} on an estate seeded with known faults: it finds exactly those, and nothing else. */
@ExtendWith(StackExtension.class)
class AuditCommandStackTest {

    /** Every command a read-only audit may send, including the driver's own handshakes and cleanup. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of("hello", "isMaster", "ping", "buildInfo",
            "getParameter", "replSetGetStatus", "connectionStatus", "listDatabases", "listCollections", "listIndexes",
            "find", "getMore", "killCursors", "endSessions", "saslStart", "saslContinue", "count", "aggregate");

    private static FaultyEstate estate;
    private static SandboxInfo info;
    private static Properties savedProperties;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed(TestStack stack, @TempDir Path schemaDir) {
        info = stack.info();
        estate = FaultyEstate.seed(info, schemaDir);
        savedProperties = (Properties) System.getProperties().clone();
        // The default credential chain reads these before the environment: the CLI takes no secret as an option.
        System.setProperty("aws.accessKeyId", info.aws().migrator().accessKeyId());
        System.setProperty("aws.secretAccessKey", info.aws().migrator().secretAccessKey());
    }

    @AfterAll
    static void dropEstateAndRestoreProperties() {
        estate.drop(info);
        System.setProperties(savedProperties);
    }

    private record Run(int exitCode, String out, String err) {
        Document json() {
            return Document.parse(out);
        }
    }

    private static Run audit(CommandListener listener, String... extra) {
        List<String> args = new ArrayList<>(List.of("--uri", info.mongodbUri(), "--key-vault", estate.keyVault,
                "--namespace", estate.collection, "--schema-file", estate.schemaFile.toString(),
                "--local-key", info.localKeyFile().toString(), "--endpoint", info.aws().endpoint(),
                "--kms-ca-file", info.aws().caFile().toString(), "--scan", "full"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new AuditCommand(listener))
                .setExecutionExceptionHandler(new UserFacingErrors())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static CommandListener recorder(List<String> commands) {
        return new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommandName());
            }
        };
    }

    private static Run audit(String... extra) {
        return audit(null, extra);
    }

    @Test
    void jsonNamesExactlyTheSeededFaultsWithTheirCounts() {
        Run run = audit("--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Document report = run.json();
        Document summary = report.get("summary", Document.class);
        assertThat(summary.get("keysByProvider", Document.class)).isEqualTo(new Document("local", 4).append("aws", 1));
        assertThat(summary.get("danglingValues", Number.class).longValue()).isEqualTo(FaultyEstate.LEGACY_VALUES);
        assertThat(summary.getInteger("unusedKeys")).isEqualTo(1);
        assertThat(summary.getInteger("driftFindings")).isEqualTo(2);
        assertThat(summary.getInteger("kmsProblems")).isEqualTo(1);

        List<Document> dangling = report.getList("dangling", Document.class);
        assertThat(dangling).hasSize(1);
        assertThat(dangling.get(0)).isEqualTo(new Document("namespace", estate.collection).append("path", "legacy")
                .append("keyId", estate.goneKey.toString()).append("values", FaultyEstate.LEGACY_VALUES)
                .append("ids", List.of("1", "2", "3", "4", "5")).append("namedBySchema", true));

        assertThat(report.getList("unusedKeys", String.class)).containsExactly(estate.spareKey.toString());

        List<Document> drift = report.getList("drift", Document.class);
        assertThat(drift).extracting(d -> d.getString("kind") + " " + d.getString("path") + " " + d.get("values")
                        + " " + d.getList("ids", String.class) + " " + d.getString("found"))
                .containsExactlyInAnyOrder(
                        "plaintext ssn " + FaultyEstate.PLAINTEXT_VALUES + " [28, 29, 30] plaintext",
                        "key card " + FaultyEstate.OTHER_KEY_VALUES + " [1, 2, 3, 4] " + estate.otherKey);

        List<Document> problems = report.getList("masterKeys", Document.class).stream()
                .filter(masterKey -> masterKey.getString("problem") != null).toList();
        assertThat(problems).hasSize(1);
        Document disabled = problems.get(0);
        assertThat(disabled.getList("keyIds", String.class)).containsExactly(estate.awsKey.toString());
        assertThat(disabled.get("aws", Document.class).getString("state")).isEqualTo("disabled");
        assertThat(disabled.getString("problem")).contains("is disabled");
        assertThat(report.getList("localKeyPreflight", Document.class)).extracting(check -> check.getString("outcome"))
                .containsOnly("ok", "skipped");
        assertThat(run.out()).doesNotContain(FaultyEstate.PLAINTEXT_MARK);
    }

    @Test
    void textShowsTheSameFindingsAndProgressGoesToStderr() {
        Run run = audit();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("dangling       " + FaultyEstate.LEGACY_VALUES + " value(s)")
                .contains("unused keys    1").contains("drift          2 finding(s)").contains("KMS problems   1")
                .contains(estate.goneKey.toString()).contains(estate.spareKey.toString())
                .doesNotContain(FaultyEstate.PLAINTEXT_MARK);
        assertThat(run.err()).contains("Scanning " + estate.collection + ": ");
    }

    @Test
    void policyThatHoldsExitsZeroAndEachBrokenRuleIsOneLineWithExitTwo() throws IOException {
        Path lenient = Files.writeString(dir.resolve("lenient.json"), "{\"maxDaysSinceRewrap\": 365, \"forbiddenProviders\": [\"gcp\"]}");
        Path strict = Files.writeString(dir.resolve("strict.json"), "{\"maxDaysSinceRewrap\": 365, \"forbiddenProviders\": [\"local\"],"
                + " \"noDanglingReferences\": true, \"noPlaintextWhereEncrypted\": true, \"cmksEnabledWithRotation\": true}");

        Run holds = audit("--policy", lenient.toString());
        Run fails = audit("--policy", strict.toString());

        assertThat(holds.exitCode()).as(holds.err()).isEqualTo(ExitCodes.OK);
        assertThat(holds.out()).contains("Policy: every rule holds.");
        assertThat(fails.exitCode()).as(fails.err()).isEqualTo(ExitCodes.BLOCKED);
        List<String> failures = fails.out().lines().filter(line -> line.startsWith("FAIL ")).toList();
        assertThat(failures).hasSize(4);
        assertThat(failures).anySatisfy(line -> assertThat(line).startsWith("FAIL forbiddenProviders: 4 data key(s) are under local"));
        assertThat(failures).anySatisfy(line -> assertThat(line).startsWith("FAIL noDanglingReferences: "
                + FaultyEstate.LEGACY_VALUES + " value(s) at " + estate.collection + " legacy use data key " + estate.goneKey));
        assertThat(failures).anySatisfy(line -> assertThat(line).startsWith("FAIL noPlaintextWhereEncrypted: "
                + FaultyEstate.PLAINTEXT_VALUES + " plaintext value(s) at " + estate.collection + " ssn"));
        assertThat(failures).anySatisfy(line -> assertThat(line).startsWith("FAIL cmksEnabledWithRotation: the CMK "
                + estate.disabledCmk).contains("is disabled"));
    }

    @Test
    void policyVerdictIsInTheJsonAndItsFailuresOnStderr() throws IOException {
        Path strict = Files.writeString(dir.resolve("strict.json"), "{\"noDanglingReferences\": true}");

        Run run = audit("--policy", strict.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        Document policy = run.json().get("policy", Document.class);
        assertThat(policy.getBoolean("passed")).isFalse();
        assertThat(policy.getList("failures", Document.class)).extracting(f -> f.getString("rule"))
                .containsExactly("noDanglingReferences");
        assertThat(run.err()).contains("FAIL noDanglingReferences: ");
    }

    @Test
    void aPolicyFileThatIsNotOneIsAUsageErrorBeforeConnecting() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.json"), "{\"maxDaysSinceRewarp\": 365}");
        List<String> commands = Collections.synchronizedList(new ArrayList<>());

        Run run = audit(recorder(commands), "--policy", typo.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(commands).isEmpty();
        assertThat(run.err()).contains("unknown rule \"maxDaysSinceRewarp\"").contains("maxDaysSinceRewrap");
    }

    @Test
    void reportIsSelfContainedHtmlWithChartsAndTablesOwnerOnly() throws IOException {
        Path reports = dir.resolve("reports");

        Run run = audit("--report", reports.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Path> files;
        try (Stream<Path> listing = Files.list(reports)) {
            files = listing.sorted().toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString().replaceAll("^audit-.*\\.", ""))
                .containsExactly("html", "json");
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String html = Files.readString(files.get(0));
        assertThat(html).contains("<svg").contains("Values per data key and collection").contains("Keys per master key")
                .contains(estate.goneKey.toString()).doesNotContain("src=").doesNotContain("href=")
                .doesNotContain(FaultyEstate.PLAINTEXT_MARK);
        assertThat(html).as("the local master key, which opens every local key, reads as healthy, as in the text")
                .contains("<td>ok</td>");
    }

    @Test
    void sendsNoWriteCommand() {
        List<String> commands = Collections.synchronizedList(new ArrayList<>());

        Run run = audit(recorder(commands), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(commands).contains("find").isSubsetOf(READ_ONLY_COMMANDS);
    }
}
