package io.keyshift.testing;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.BsonDocument;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A sandbox of its own for each test, for tests that run migrations (each one rewrites the data), with
 * the migrator's AWS credentials where the default credential chain finds them: the chain reads these
 * system properties as it reads AWS_ACCESS_KEY_ID from the environment, so the CLI runs as a DBA types it.
 * A client on the sandbox's server, with standard UUIDs, is there for the test to read and write with.
 *
 * <p>{@link #sharedByTheClass} starts one sandbox for a whole class instead (registered on a static field) and
 * puts it back as seeded before each test: the key vault, the encrypted collections and the schema map file as
 * they were, and nothing else beside the key vault (no journal, no key claim). What KMS servers keep (a KMIP key
 * made) is left.
 */
public final class MigratorSandbox implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final int documents;
    private final boolean shared;
    private Path dir;
    private Sandbox sandbox;
    private MongoClientSettings settings;
    private MongoClient client;
    private final Map<MongoNamespace, List<BsonDocument>> seeded = new LinkedHashMap<>();
    private byte[] seededSchemaMap;

    public MigratorSandbox(int documents) {
        this(documents, false);
    }

    private MigratorSandbox(int documents, boolean shared) {
        this.documents = documents;
        this.shared = shared;
    }

    /** One sandbox for the class, restored as seeded before each test. */
    public static MigratorSandbox sharedByTheClass(int documents) {
        return new MigratorSandbox(documents, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (shared) {
            start();
            List<MongoNamespace> namespaces = new ArrayList<>(List.of(new MongoNamespace(info().keyVaultNamespace())));
            SandboxApplications.COLLECTIONS.forEach(ns -> namespaces.add(new MongoNamespace(ns)));
            namespaces.forEach(ns -> seeded.put(ns, collection(ns).find().into(new ArrayList<>())));
            seededSchemaMap = Files.readAllBytes(info().schemaMapFile());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (shared) {
            restore();
        } else {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!shared) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (shared) {
            stop();
        }
    }

    private void restore() throws IOException {
        // The journal and the key claims live beside the key vault: a migration's trace is every other collection there.
        MongoNamespace vault = new MongoNamespace(info().keyVaultNamespace());
        MongoDatabase vaultDatabase = client.getDatabase(vault.getDatabaseName());
        for (String name : vaultDatabase.listCollectionNames().into(new ArrayList<>())) {
            if (!name.equals(vault.getCollectionName())) {
                vaultDatabase.getCollection(name).drop();
            }
        }
        seeded.forEach((namespace, documents) -> {
            collection(namespace).deleteMany(new BsonDocument());
            collection(namespace).insertMany(documents);
        });
        Files.write(info().schemaMapFile(), seededSchemaMap);
    }

    private MongoCollection<BsonDocument> collection(MongoNamespace namespace) {
        return client.getDatabase(namespace.getDatabaseName()).getCollection(namespace.getCollectionName(), BsonDocument.class);
    }

    private void start() throws IOException {
        dir = Files.createTempDirectory("keyshift-sandbox-");
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir).withDocuments(documents), line -> { });
        System.setProperty("aws.accessKeyId", info().aws().migrator().accessKeyId());
        System.setProperty("aws.secretAccessKey", info().aws().migrator().secretAccessKey());
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        client = MongoClients.create(settings);
    }

    private void stop() throws IOException {
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
