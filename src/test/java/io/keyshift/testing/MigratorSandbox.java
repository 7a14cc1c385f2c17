package io.keyshift.testing;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sandbox of its own for each test, for tests that run migrations (each one rewrites the data), with
 * the migrator's AWS credentials where the default credential chain finds them: the chain reads these
 * system properties as it reads AWS_ACCESS_KEY_ID from the environment, so the CLI runs as a DBA types it.
 * A client on the sandbox's server, with standard UUIDs, is there for the test to read and write with.
 */
public final class MigratorSandbox implements BeforeEachCallback, AfterEachCallback {

    private final int documents;
    private Path dir;
    private Sandbox sandbox;
    private MongoClientSettings settings;
    private MongoClient client;

    public MigratorSandbox(int documents) {
        this.documents = documents;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("keyshift-sandbox-");
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir).withDocuments(documents), line -> { });
        System.setProperty("aws.accessKeyId", info().aws().migrator().accessKeyId());
        System.setProperty("aws.secretAccessKey", info().aws().migrator().secretAccessKey());
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        client = MongoClients.create(settings);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        client.close();
        sandbox.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public MongoClientSettings settings() {
        return settings;
    }

    public MongoClient client() {
        return client;
    }

    public SandboxInfo info() {
        return sandbox.info();
    }

    /** {@code keyshift migrate} of every key to the sandbox's CMK, as typed, with the options given after. */
    public List<String> migrate(String strategy, Path backup, Path reports, String... extra) {
        SandboxInfo.Aws aws = info().aws();
        List<String> args = new ArrayList<>(List.of("migrate", "--strategy", strategy, "--uri", info().mongodbUri(),
                "--local-key", info().localKeyFile().toString(), "--region", aws.region(), "--cmk", aws.cmkArn(),
                "--endpoint", aws.endpoint(), "--kms-ca-file", aws.caFile().toString(),
                "--backup", backup.toString(), "--report", reports.toString()));
        args.addAll(List.of(extra));
        return args;
    }
}
