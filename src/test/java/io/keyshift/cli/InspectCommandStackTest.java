package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keyshift inspect} against the sandbox stack, as a DBA would run it. */
@ExtendWith(StackExtension.class)
class InspectCommandStackTest {

    /** Every command a read-only inspection may send, including the driver's own handshakes and cleanup. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of("hello", "isMaster", "ping", "buildInfo",
            "getParameter", "replSetGetStatus", "connectionStatus", "listDatabases", "listCollections", "listIndexes",
            "find", "getMore", "killCursors", "endSessions", "saslStart", "saslContinue");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
        Document json() {
            return Document.parse(out);
        }
    }

    private static Run inspect(CommandListener listener, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new InspectCommand(listener))
                .setExecutionExceptionHandler(new UserFacingErrors())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Run inspect(String... args) {
        return inspect(null, args);
    }

    private static List<Document> keys(Document report) {
        return report.getList("keys", Document.class);
    }

    private static Document key(Document report, UUID id) {
        return keys(report).stream().filter(key -> key.getString("id").equals(id.toString())).findFirst().orElseThrow();
    }

    @Test
    void reportsTheSeededKeysTheirProviderAndEveryFieldEachKeyEncrypts(TestStack stack) {
        Run run = inspect("--uri", stack.info().mongodbUri(), "--schema-file", stack.info().schemaMapFile().toString(),
                "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Document report = run.json();
        assertThat(report.get("keyVault", Document.class).getInteger("keyCount")).isEqualTo(SandboxDataKeys.SPECS.size());
        assertThat(keys(report)).extracting(key -> key.getString("provider")).containsOnly("local");
        List<UUID> ids = stack.sandbox().dataKeyIds();
        for (int i = 0; i < ids.size(); i++) {
            SandboxDataKeys.Spec spec = SandboxDataKeys.SPECS.get(i);
            Document key = key(report, ids.get(i));
            List<String> seenInData = key.getList("usedBy", Document.class).stream()
                    .filter(use -> use.getString("source").equals("data"))
                    .map(use -> use.getString("namespace") + "." + use.getString("path"))
                    .toList();
            assertThat(seenInData).as("fields encrypted with %s", spec).containsExactlyInAnyOrderElementsOf(spec.usedBy());
            assertThat(key.getList("keyAltNames", String.class))
                    .isEqualTo(spec.altName() == null ? List.of() : List.of(spec.altName()));
        }
        assertThat(report.getList("unusedKeys", String.class)).containsExactly(ids.get(SandboxDataKeys.SPARE).toString());
        assertThat(report.getList("missingKeys", Document.class)).isEmpty();
        assertThat(report.getList("schemaKeyRefs", Document.class)).isNotEmpty();
        assertThat(report.get("preflight")).isNull();
        assertThat(report.getString("libmongocrypt")).matches("1\\.\\d+\\.\\d+.*").isNotIn("1.5.0", "1.5.1");
    }

    @Test
    void reportsTheTopologyOfTheSandboxReplicaSet(TestStack stack) {
        Document cluster = inspect("--uri", stack.info().mongodbUri(), "--scan", "sample:1", "--json").json()
                .get("cluster", Document.class);

        assertThat(cluster.getString("topology")).isEqualTo("replica_set");
        assertThat(cluster.getString("setName")).isEqualTo("rs0");
        assertThat(cluster.getList("members", Document.class)).extracting(member -> member.getString("state"))
                .contains("PRIMARY");
        assertThat(cluster.getString("primary")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(cluster.getString("serverVersion")).isNotEqualTo("unknown");
    }

    @Test
    void sendsNoWriteCommandOfAnyKind(TestStack stack) {
        List<String> commands = Collections.synchronizedList(new ArrayList<>());
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommandName());
            }
        };

        Run run = inspect(listener, "--uri", stack.info().mongodbUri(),
                "--local-key", stack.info().localKeyFile().toString(),
                "--schema-file", stack.info().schemaMapFile().toString(),
                "--scan", "full");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(commands).contains("find", "listCollections", "connectionStatus");
        assertThat(Set.copyOf(commands)).isSubsetOf(READ_ONLY_COMMANDS);
    }

    @Test
    void preflightPassesWithTheSandboxKeyGivenAsBase64Text(TestStack stack) throws Exception {
        byte[] key = Files.readAllBytes(stack.info().localKeyFile());
        Path base64 = Files.writeString(dir.resolve("master.b64"),
                Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key) + "\n");

        Run run = inspect("--uri", stack.info().mongodbUri(), "--local-key", base64.toString(), "--scan", "sample:1",
                "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Document preflight = run.json().get("preflight", Document.class);
        assertThat(preflight.getBoolean("passed")).isTrue();
        assertThat(preflight.getList("keys", Document.class)).extracting(check -> check.getString("outcome"))
                .hasSize(SandboxDataKeys.SPECS.size()).containsOnly("ok");
    }

    @Test
    void preflightWithAnotherKeyFileNamesEveryDataKeyThatFailsAndExitsTwo(TestStack stack) throws Exception {
        byte[] otherKey = new byte[96];
        new java.util.Random(7).nextBytes(otherKey);
        Path keyFile = Files.write(dir.resolve("other.key"), otherKey);

        Run run = inspect("--uri", stack.info().mongodbUri(), "--local-key", keyFile.toString(), "--scan", "sample:1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        for (UUID id : stack.sandbox().dataKeyIds()) {
            assertThat(run.out()).containsPattern(id + "\\s+local\\s+fails: does not decrypt under this local master key");
        }
        assertThat(run.out()).contains("BLOCKED").contains(SandboxDataKeys.SPECS.size() + " data key(s) do not decrypt");
    }

    @Test
    void refusesANinetyFiveByteKeyFile(TestStack stack) throws Exception {
        Path keyFile = Files.write(dir.resolve("short.key"), new byte[95]);

        Run run = inspect("--uri", stack.info().mongodbUri(), "--local-key", keyFile.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err().strip()).isEqualTo("Error: The local master key file " + keyFile
                + " is 95 bytes, expected 96 raw bytes or their base64 text.");
    }

    @Test
    void refusesAKeyFileOfBadBase64(TestStack stack) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("bad.b64"), "=" + "A".repeat(127));

        Run run = inspect("--uri", stack.info().mongodbUri(), "--local-key", keyFile.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("is not valid base64 text").hasLineCount(1);
    }

    @Test
    void unreachableHostFailsWithinSecondsAndNamesTheHost() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Instant start = Instant.now();

        Run run = inspect("--uri", "mongodb://127.0.0.1:" + closedPort + "/?replicaSet=rs0");

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Could not reach the MongoDB server at 127.0.0.1:" + closedPort)
                .contains("connection refused").hasLineCount(1);
    }

    @Test
    void authenticationFailureIsOneSentenceWithoutThePassword(TestStack stack) {
        String uri = stack.info().mongodbUri().replace("mongodb://", "mongodb://nobody:Wr0ng-pass@");

        Run run = inspect("--uri", uri);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Authentication failed for user nobody").doesNotContain("Wr0ng-pass")
                .hasLineCount(1);
    }

    @Test
    void refusesANamespaceThatIsNotAKeyVault(TestStack stack) {
        Run run = inspect("--uri", stack.info().mongodbUri(), "--key-vault", "hr.employees");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("hr.employees is not a key vault").hasLineCount(1);
    }

    @Test
    void reportsADataKeyUsedByDataButMissingFromTheVault(TestStack stack) {
        UUID lostKey = UUID.randomUUID();
        ByteBuffer ciphertext = ByteBuffer.allocate(18 + 66).put((byte) 1)
                .putLong(lostKey.getMostSignificantBits()).putLong(lostKey.getLeastSignificantBits())
                .put((byte) BsonType.STRING.getValue());
        try (MongoClient client = MongoClients.create(stack.info().mongodbUri())) {
            client.getDatabase("scratch").getCollection("orphans", BsonDocument.class).insertOne(
                    new BsonDocument("_id", new BsonString("card"))
                            .append("pan", new BsonBinary(BsonBinarySubType.ENCRYPTED, ciphertext.array())));
            try {
                Run run = inspect("--uri", stack.info().mongodbUri(), "--namespace", "scratch.orphans", "--json");

                assertThat(run.exitCode()).as(run.err()).isZero();
                List<Document> missing = run.json().getList("missingKeys", Document.class);
                assertThat(missing).singleElement().satisfies(key -> {
                    assertThat(key.getString("id")).isEqualTo(lostKey.toString());
                    assertThat(key.getList("usedBy", Document.class)).extracting(use -> use.getString("namespace")
                            + "." + use.getString("path")).containsExactly("scratch.orphans.pan");
                });
                assertThat(inspect("--uri", stack.info().mongodbUri(), "--namespace", "scratch.orphans").out())
                        .contains("MISSING      data key " + lostKey + " is not in the key vault");
            } finally {
                client.getDatabase("scratch").getCollection("orphans").drop();
            }
        }
    }

    @Test
    void textOutputShowsTheDataKeyTableAndUsageMap(TestStack stack) {
        Run run = inspect("--uri", stack.info().mongodbUri());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst()).hasValueSatisfying(line ->
                assertThat(line).matches("KeyShift \\S+ with libmongocrypt 1\\.\\d+\\.\\d+\\S* \\(bundled\\)"));
        String hrSsn = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN).toString();
        assertThat(run.out()).containsPattern(hrSsn + "\\s+hr-ssn\\s+local\\s")
                .contains("hr.employees: ")
                .containsPattern("phones\\.\\$\\s+" + hrSsn + "\\s+\\d+\\s+deterministic");
        assertThat(run.out().lines().filter(line -> line.startsWith("Key vault")).collect(Collectors.joining()))
                .contains(SandboxDataKeys.SPECS.size() + " data keys");
    }
}
