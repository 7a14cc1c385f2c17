package io.keyshift.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.FileAppender;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keyshift check-aws} as a DBA runs it. Credentials reach it the ways the CLI allows (a profile
 * file, or the default chain, here through its Java system properties), never through an option.
 */
@ExtendWith(StackExtension.class)
class CheckAwsCommandTest {

    private static final String PROFILE = "keyshift-test";

    @TempDir
    Path dir;

    private Properties savedProperties;

    @BeforeEach
    void saveSystemProperties() {
        savedProperties = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(savedProperties);
    }

    @Test
    void missingRegionIsAUsageError() {
        CliRun run = CliRun.keyshift("check-aws", "--cmk", "alias/keyshift");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err()).contains("Missing required option: '--region=REGION'");
    }

    @Test
    void malformedCmkIsAUsageErrorInOneSentence() {
        CliRun run = CliRun.keyshift("check-aws", "--region", "us-east-1", "--cmk", "arn:aws:kms:us-east-1:123:key/abc");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.err().strip()).isEqualTo("Error: The CMK ARN's account \"123\" is not a 12-digit AWS account id:"
                + " expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID, arn:aws:kms:REGION:ACCOUNT:alias/NAME or alias/NAME.");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noOptionTakesASecret() {
        CommandLine command = KeyShiftCommand.newCommandLine().getSubcommands().get("check-aws");

        assertThat(command.getCommandSpec().options()).flatExtracting(option -> List.of(option.names()))
                .noneMatch(name -> name.matches("(?i).*(secret|access-key|session|token|password).*"));
    }

    @Test
    void unknownProfileFailsTheCredentialsCheckWithoutCallingAws() throws IOException {
        useProfileFile(new SandboxInfo.Credentials("AKIAKEYSHIFTOTHER000", "not-used"));

        CliRun run = CliRun.keyshift("check-aws", "--region", "us-east-1", "--cmk", "alias/keyshift", "--profile", "no-such-profile",
                "--endpoint", "127.0.0.1:9", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        Document credentials = Document.parse(run.out()).getList("checks", Document.class).get(0);
        assertThat(credentials.getString("status")).isEqualTo("fail");
        assertThat(credentials.getString("message")).isEqualTo("Profile \"no-such-profile\" has no usable credentials in"
                + " ~/.aws/credentials or ~/.aws/config: check its name, or run aws configure --profile no-such-profile.");
    }

    @Test
    void ssoProfileIsExplainedWithTheWayAround() throws IOException {
        useProfileFile(new SandboxInfo.Credentials("AKIAKEYSHIFTOTHER000", "not-used"));
        Files.writeString(dir.resolve("config"), "[profile dba-sso]\n"
                + "sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
                + "sso_account_id = 111122223333\nsso_role_name = KeyShiftMigrator\n");

        CliRun run = CliRun.keyshift("check-aws", "--region", "us-east-1", "--cmk", "alias/keyshift", "--profile", "dba-sso");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.out()).contains("Profile \"dba-sso\" signs in through a service KeyShift does not include"
                + " (such as AWS SSO): run aws configure export-credentials --profile dba-sso --format env");
    }

    @Test
    void passesWithAProfileAndPrintsEveryCheckAsJson(TestStack stack) throws IOException {
        SandboxInfo.Aws aws = stack.info().aws();
        useProfileFile(aws.migrator());

        CliRun run = CliRun.keyshift(checkAws(aws, aws.cmkArn(), "--profile", PROFILE, "--json"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        Document report = Document.parse(run.out());
        assertThat(report.getBoolean("passed")).isTrue();
        assertThat(report.getString("credentialSource")).isEqualTo("profile \"" + PROFILE + "\"");
        assertThat(report.getList("checks", Document.class)).extracting(check -> check.getString("status"))
                .hasSize(8).containsOnly("ok");
    }

    @Test
    void failedCheckExitsWithBlocked(TestStack stack) throws IOException {
        SandboxInfo.Aws aws = stack.info().aws();
        useProfileFile(aws.readOnly());

        CliRun run = CliRun.keyshift(checkAws(aws, aws.cmkArn(), "--profile", PROFILE));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(run.out()).containsPattern("fail +Encrypt \\+ Decrypt round trip +arn:aws:iam::\\d+:user/keyshift-readonly"
                + " is not allowed kms:Encrypt on the key")
                .contains("1 check failed: fix it and run check-aws again. Nothing was written.");
    }

    @Test
    void unreachableEndpointExitsWithConnectionError(TestStack stack) throws IOException {
        SandboxInfo.Aws aws = stack.info().aws();
        useProfileFile(aws.migrator());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.keyshift("check-aws", "--region", aws.region(), "--cmk", aws.cmkArn(), "--profile", PROFILE,
                "--endpoint", "127.0.0.1:" + closedPort, "--kms-ca-file", aws.caFile().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_CONNECTION);
        assertThat(run.out()).contains("Could not connect to 127.0.0.1:" + closedPort);
    }

    @Test
    void secretAppearsNowhereInOutputJsonOrLog(TestStack stack) throws IOException {
        SandboxInfo.Aws aws = stack.info().aws();
        Path logFile = logFile();
        long logStart = Files.size(logFile);
        List<String> secrets = List.of(aws.migrator().secretAccessKey(), aws.readOnly().secretAccessKey());
        List<CliRun> runs = new ArrayList<>();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        // The SDK at DEBUG too: whatever it would log must not hold the secret either.
        Map<String, Level> savedLevels = new HashMap<>();
        for (String name : List.of("software.amazon.awssdk", "io.keyshift")) {
            savedLevels.put(name, logging.getLogger(name).getLevel());
            logging.getLogger(name).setLevel(Level.DEBUG);
        }
        try {
            useProfileFile(aws.migrator());
            runs.add(CliRun.keyshift(checkAws(aws, aws.cmkArn(), "--profile", PROFILE)));
            runs.add(CliRun.keyshift(checkAws(aws, aws.aliasArn(), "--profile", PROFILE, "--json")));
            useProfileFile(aws.readOnly());
            runs.add(CliRun.keyshift(checkAws(aws, aws.cmkArn(), "--profile", PROFILE, "--json")));
            System.setProperty("aws.accessKeyId", aws.migrator().accessKeyId());
            System.setProperty("aws.secretAccessKey", aws.readOnly().secretAccessKey());
            runs.add(CliRun.keyshift(checkAws(aws, aws.cmkArn())));
            runs.add(CliRun.keyshift(checkAws(aws, aws.cmkArn(), "--json")));
        } finally {
            savedLevels.forEach((name, level) -> logging.getLogger(name).setLevel(level));
        }

        assertThat(runs).extracting(CliRun::exitCode)
                .containsExactly(ExitCodes.OK, ExitCodes.OK, ExitCodes.BLOCKED, ExitCodes.BLOCKED, ExitCodes.BLOCKED);
        assertThat(runs.get(3).out()).contains("Java system properties").contains("the secret access key is wrong");
        String log = Files.readString(logFile).substring((int) logStart);
        assertThat(log).as("the checks logged their failures").contains("sts:GetCallerIdentity failed");
        for (String secret : secrets) {
            assertThat(runs).allSatisfy(run -> assertThat(run.out() + run.err()).doesNotContain(secret));
            assertThat(log).doesNotContain(secret);
        }
    }

    private static String[] checkAws(SandboxInfo.Aws aws, String cmk, String... more) {
        return Stream.concat(Stream.of("check-aws", "--region", aws.region(), "--cmk", cmk,
                        "--endpoint", aws.endpoint(), "--kms-ca-file", aws.caFile().toString()), Stream.of(more))
                .toArray(String[]::new);
    }

    /** Points the SDK at a credentials file of our own, as AWS_SHARED_CREDENTIALS_FILE would. */
    private void useProfileFile(SandboxInfo.Credentials user) throws IOException {
        Path credentials = Files.writeString(dir.resolve("credentials"), "[" + PROFILE + "]\n"
                + "aws_access_key_id = " + user.accessKeyId() + "\n"
                + "aws_secret_access_key = " + user.secretAccessKey() + "\n");
        Path config = Files.writeString(dir.resolve("config"), "");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", config.toString());
    }

    /** The file the test logging configuration writes to. */
    private static Path logFile() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        FileAppender<?> appender = (FileAppender<?>) logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("FILE");
        return Path.of(appender.getFile());
    }
}
