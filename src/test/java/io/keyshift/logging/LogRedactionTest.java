package io.keyshift.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.joran.spi.JoranException;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.secret.SecretRegistry;
import io.keyshift.testing.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Puts an AWS secret key and a local master key through every logging path of the production
 * configuration (src/main/resources/logback.xml) and looks for them in what reached the disk and the console.
 */
class LogRedactionTest {

    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEBYaDHhL4zNYbWc2TGhXqSLIAUr0sEXAMPLE";
    private static final String URI_PASSWORD = "Tr0ub4dor&3";

    private final byte[] localKey = TestSecrets.localKey();
    private final List<SecretRegistry.Registration> registrations = new ArrayList<>();

    @TempDir
    Path logDir;

    @BeforeEach
    void registerSecrets() {
        // As the holders do when they load the secrets.
        registrations.add(SecretRegistry.register(TestSecrets.AWS_SECRET.toCharArray()));
        registrations.add(SecretRegistry.register(localKey));
    }

    @AfterEach
    void forgetSecrets() {
        registrations.forEach(SecretRegistry.Registration::close);
    }

    @Test
    void noSecretReachesTheLogFileOrTheConsoleWhicheverPathItTakes() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        LoggerContext context = productionContext();
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            logSecretsEveryWay(context.getLogger("io.keyshift.core.kms.AwsTarget"));
        } finally {
            context.stop();
            System.setErr(stderr);
        }

        String file = Files.readString(logDir.resolve("keyshift.log"));
        assertThat(file).contains("message path", "argument path", "bytes path", "pair path", "uri path",
                        "KeyShiftException: exception path", "Caused by: java.lang.IllegalStateException: cause path",
                        "Suppressed: java.io.IOException: suppressed path", "****")
                .contains("mongodb://dba:****@db1:27017");
        assertNoSecretIn(file);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("message path", "cause path");
        assertNoSecretIn(console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLayoutRedactsMdcValuesAndThreadNames() {
        LoggerContext context = new LoggerContext();
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern("[%thread] %X %msg%n");
        layout.start();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("test"), Level.INFO,
                "mdc path", null, null);
        event.setMDCPropertyMap(Map.of("localKey", TestSecrets.localKeyRenderings().get(0),
                "aws", TestSecrets.AWS_SECRET));
        event.setThreadName("worker-" + TestSecrets.AWS_SECRET);

        String line = layout.doLayout(event);

        assertThat(line).contains("mdc path", "localKey=****", "aws=****", "[worker-****]");
        assertNoSecretIn(line);
    }

    private LoggerContext productionContext() throws JoranException {
        LoggerContext context = new LoggerContext();
        // A context of its own, as the application's: it needs the MDC adapter SLF4J would have given it.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("keyshift.logDir", logDir.toString());
        context.putProperty("keyshift.consoleLevel", "TRACE");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogRedactionTest.class.getResource("/logback.xml"));
        context.start();
        return context;
    }

    private void logSecretsEveryWay(org.slf4j.Logger log) {
        String base64Key = Base64.getEncoder().encodeToString(localKey);
        String hexKey = HexFormat.of().formatHex(localKey);
        log.info("message path: secret " + TestSecrets.AWS_SECRET + " key " + base64Key);
        log.warn("argument path: {} {} {}", TestSecrets.AWS_SECRET, hexKey, HexFormat.of().withUpperCase().formatHex(localKey));
        log.info("bytes path: {}", localKey);
        log.info("pair path: {\"secretAccessKey\": \"{}\", \"sessionToken\": \"{}\"} AWS_SESSION_TOKEN={}",
                "unregistered-secret-value", SESSION_TOKEN, SESSION_TOKEN);
        log.info("uri path: mongodb://dba:{}@db1:27017/?authSource=admin", URI_PASSWORD);
        KeyShiftException failure = new KeyShiftException("exception path: the key " + hexKey + " failed",
                new IllegalStateException("cause path: " + base64Key + " / " + TestSecrets.AWS_SECRET));
        failure.addSuppressed(new IOException("suppressed path: "
                + Base64.getUrlEncoder().withoutPadding().encodeToString(localKey)));
        log.error("Migration failed", failure);
    }

    private void assertNoSecretIn(String output) {
        assertThat(output).doesNotContain(TestSecrets.AWS_SECRET, SESSION_TOKEN, URI_PASSWORD,
                "unregistered-secret-value", Arrays.toString(localKey));
        TestSecrets.localKeyRenderings().forEach(rendering -> assertThat(output).doesNotContain(rendering));
    }
}
