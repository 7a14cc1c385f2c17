package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A rehearsal environment on loopback: FerretDB, the AWS KMS emulator and a KMIP server, installed if
 * missing, and in-process Azure Key Vault and Google Cloud KMS emulators, started on free ports, seeded, and described in {@code sandbox.json}. Closing it stops the
 * servers; a JVM shutdown hook does the same on Ctrl-C or SIGTERM.
 */
public final class Sandbox implements AutoCloseable {

    /**
     * What to start: where, how many documents per collection, the seed of the generated data, and
     * optionally a MongoDB that is already running (then FerretDB is not started; it is seeded as is).
     */
    public record Options(Path dir, int documents, long seed, Path toolsDir, String externalMongodbUri) {

        public static final int DEFAULT_DOCUMENTS = 2000;
        public static final long DEFAULT_SEED = 42;

        public static Options defaults() {
            return new Options(defaultDir(), DEFAULT_DOCUMENTS, DEFAULT_SEED, ToolInstaller.defaultToolsDir(), null);
        }

        public Options withDir(Path newDir) {
            return new Options(newDir, documents, seed, toolsDir, externalMongodbUri);
        }

        public Options withDocuments(int newDocuments) {
            return new Options(dir, newDocuments, seed, toolsDir, externalMongodbUri);
        }

        public Options withSeed(long newSeed) {
            return new Options(dir, documents, newSeed, toolsDir, externalMongodbUri);
        }

        public Options withExternalMongodb(String uri) {
            return new Options(dir, documents, seed, toolsDir, uri);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final Path dir;
    private final SandboxInfo info;
    private final List<UUID> dataKeyIds;
    private final ManagedProcess mongo;
    private final ManagedProcess kms;
    private final ManagedProcess kmip;
    private final SandboxCloudKms cloudKms;
    private final Thread shutdownHook;

    private Sandbox(Path dir, SandboxInfo info, List<UUID> dataKeyIds, ManagedProcess mongo, ManagedProcess kms,
                    ManagedProcess kmip, SandboxCloudKms cloudKms) {
        this.dir = dir;
        this.info = info;
        this.dataKeyIds = dataKeyIds;
        this.mongo = mongo;
        this.kms = kms;
        this.kmip = kmip;
        this.cloudKms = cloudKms;
        this.shutdownHook = new Thread(this::stopServers, "keyshift-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** {@code -Dkeyshift.sandbox.dir}, else {@code ~/.local/share/keyshift/sandbox}. */
    public static Path defaultDir() {
        String override = System.getProperty("keyshift.sandbox.dir");
        return override != null ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".local", "share", "keyshift", "sandbox");
    }

    /** Installs the servers the sandbox needs, if missing, without starting them. */
    public static void install(Options options, Consumer<String> progress) {
        ToolInstaller installer = new ToolInstaller(options.toolsDir(), progress);
        installer.ferretDb();
        installer.motoPython();
        installer.pyKmipPython();
    }

    /** Installs what is missing, starts both servers on free ports with fresh data, and seeds them. */
    public static Sandbox start(Options options, Consumer<String> progress) {
        requireUsableDir(options.dir().toAbsolutePath());
        ToolInstaller installer = new ToolInstaller(options.toolsDir(), progress);
        Path ferretDb = options.externalMongodbUri() == null ? installer.ferretDb() : null;
        Path motoPython = installer.motoPython();
        Path pyKmip = installer.pyKmipPython();
        Path dir = options.dir().toAbsolutePath();
        ManagedProcess mongo = null;
        ManagedProcess kms = null;
        ManagedProcess kmip = null;
        SandboxCloudKms cloudKms = null;
        try {
            resetDir(dir);
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path tls = Files.createDirectories(dir.resolve("tls"));

            TlsCertificates authority = TlsCertificates.newAuthority("KeyShift sandbox CA");
            TlsCertificates.Issued server = authority.issueLoopbackServer();
            Path caFile = tls.resolve("ca.pem");
            Path certificateFile = tls.resolve("server.pem");
            Path keyFile = tls.resolve("server-key.pem");
            TlsCertificates.writePem(caFile, authority.authorityCertificate());
            TlsCertificates.writePem(certificateFile, server.certificate(), authority.authorityCertificate());
            TlsCertificates.writePem(keyFile, server.keyPair().getPrivate());
            TlsCertificates.Issued kmipClient = authority.issueClient(PyKmipServer.CLIENT_NAME);
            Path kmipClientFile = tls.resolve("kmip-client.pem");
            TlsCertificates.writePem(kmipClientFile, kmipClient.certificate(),
                    TlsCertificates.pkcs8(kmipClient.keyPair().getPrivate()));

            // Started first and awaited last: PyKMIP gets ready while the other servers start and are seeded.
            ManagedProcess.Launcher kmipLauncher = port ->
                    PyKmipServer.launch(pyKmip, port, dir.resolve("kmip"), certificateFile, keyFile, caFile, logs);
            kmip = ManagedProcess.launchOnFreePort(kmipLauncher);

            String uri = options.externalMongodbUri();
            if (uri == null) {
                progress.accept("Starting FerretDB, the AWS KMS emulator and the KMIP server on loopback…");
                mongo = FerretDbServer.start(ferretDb, dir.resolve("ferretdb-data"), logs.resolve("ferretdb.log"));
                uri = FerretDbServer.uri(mongo.port());
            }
            kms = MotoServer.start(motoPython, dir.resolve("moto"), certificateFile, keyFile, logs.resolve("moto.log"));

            progress.accept("Seeding AWS KMS: CMKs with aliases " + AwsSeeder.CMK_ALIAS + " and "
                    + AwsSeeder.NEXT_CMK_ALIAS + ", and two IAM users…");
            SandboxInfo.Aws aws;
            try (AwsSeeder seeder = new AwsSeeder("127.0.0.1:" + kms.port(), authority.authorityCertificate())) {
                aws = seeder.seed(caFile.toString());
                seeder.enforceAuthentication();
            }

            byte[] localMasterKey = SandboxDataKeys.localMasterKey(options.seed());
            Path localKeyFile = dir.resolve("local-master-key.bin");
            OwnerOnlyFiles.write(localKeyFile, localMasterKey);
            List<UUID> ids = new MongoSeeder(uri, options.seed(), progress).seed(localMasterKey, options.documents());
            java.util.Arrays.fill(localMasterKey, (byte) 0);
            Path schemaMapFile = dir.resolve("schema-map.json");
            MongoSeeder.writeSchemaMap(schemaMapFile, ids);

            progress.accept("Starting the Azure Key Vault and Google Cloud KMS emulators…");
            cloudKms = SandboxCloudKms.start(authority, server, caFile, tls);

            kmip = awaitKmip(kmip, kmipLauncher, installer);
            SandboxInfo info = new SandboxInfo(uri, SandboxDataKeys.KEY_VAULT_NAMESPACE, localKeyFile, schemaMapFile, aws,
                    new SandboxInfo.Kmip("127.0.0.1:" + kmip.port(), caFile, kmipClientFile), cloudKms.azureInfo(),
                    cloudKms.gcpInfo());
            info.write(dir.resolve(SandboxInfo.FILE_NAME));
            progress.accept("Sandbox ready: " + dir.resolve(SandboxInfo.FILE_NAME));
            return new Sandbox(dir, info, ids, mongo, kms, kmip, cloudKms);
        } catch (IOException | RuntimeException e) {
            if (cloudKms != null) {
                cloudKms.close();
            }
            closeQuietly(kmip);
            closeQuietly(kms);
            closeQuietly(mongo);
            if (e instanceof KeyShiftException known) {
                throw known;
            }
            Path logs = dir.resolve("logs");
            throw new KeyShiftException("The sandbox could not start: " + e.getMessage()
                    + (Files.isDirectory(logs) ? ". The servers' logs are in " + logs + "." : "."), e);
        }
    }

    public SandboxInfo info() {
        return info;
    }

    public Path dir() {
        return dir;
    }

    public Path infoFile() {
        return dir.resolve(SandboxInfo.FILE_NAME);
    }

    /** The seeded DEK ids, in {@link SandboxDataKeys#SPECS} order. */
    public List<UUID> dataKeyIds() {
        return dataKeyIds;
    }

    /** True while the servers this sandbox started run. */
    public boolean isRunning() {
        return (mongo == null || mongo.isAlive()) && kms.isAlive() && kmip.isAlive();
    }

    /** A few lines for a person: where things are and what was seeded. */
    public String summary() {
        return String.join("\n",
                "MongoDB:       " + info.mongodbUri(),
                "Key vault:     " + info.keyVaultNamespace() + " (" + dataKeyIds.size()
                        + " data keys under a local master key)",
                "Local key:     " + info.localKeyFile(),
                "Schema map:    " + info.schemaMapFile(),
                "KMS emulator:  https://" + info.aws().endpoint() + " in region " + info.aws().region(),
                "KMS CA:        " + info.aws().caFile(),
                "CMK:           " + info.aws().cmkArn(),
                "               " + info.aws().aliasArn(),
                "Next CMK:      " + info.aws().nextCmkArn() + " (" + AwsSeeder.NEXT_CMK_ALIAS + ", to rotate to)",
                "IAM users:     " + AwsSeeder.MIGRATOR_USER + " may use both CMKs, "
                        + AwsSeeder.READ_ONLY_USER + " may only describe them",
                "KMIP server:   " + info.kmip().endpoint() + " (PyKMIP, TLS with a client certificate)",
                "KMIP client:   " + info.kmip().clientCertFile() + " (certificate and key; CA " + info.kmip().caFile() + ")",
                "Azure:         https://" + info.azure().keyVaultEndpoint() + " (Key Vault emulator), keys "
                        + info.azure().keyName() + " and " + info.azure().nextKeyName() + ", tenant " + info.azure().tenantId()
                        + ", client " + info.azure().clientId(),
                "GCP:           https://" + info.gcp().endpoint() + " (Cloud KMS emulator), keys " + info.gcp().keyName()
                        + " and " + info.gcp().nextKeyName() + " in key ring " + info.gcp().keyRing(),
                "GCP account:   " + info.gcp().credentialsFile() + " (service-account key file)",
                "sandbox.json:  " + infoFile(),
                "               (everything a client needs, throwaway secrets included)");
    }

    @Override
    public void close() {
        stopServers();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run: the servers are being stopped by it.
        }
    }

    private synchronized void stopServers() {
        cloudKms.close();
        closeQuietly(kmip);
        closeQuietly(kms);
        closeQuietly(mongo);
    }

    /** Waits for PyKMIP; if it did not start, says how to get a working one. */
    private static ManagedProcess awaitKmip(ManagedProcess kmip, ManagedProcess.Launcher relaunch,
                                            ToolInstaller installer) throws IOException {
        try {
            return kmip.awaitListening(relaunch, Duration.ofSeconds(60));
        } catch (KeyShiftException e) {
            throw new KeyShiftException("The sandbox's KMIP server (PyKMIP " + ToolInstaller.PYKMIP_VERSION
                    + ") did not start: " + e.getMessage() + "\nTo install it afresh, delete " + installer.pyKmipDir()
                    + " and run `keyshift sandbox --install-only`, then start the sandbox again.", e);
        }
    }

    private static void closeQuietly(ManagedProcess process) {
        if (process != null) {
            try {
                process.close();
            } catch (RuntimeException e) {
                LOG.warn("Could not stop a sandbox server", e);
            }
        }
    }

    /** Checked before anything is installed or started: a file in the way is a typo, not a reason to fail later. */
    private static void requireUsableDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new KeyShiftException("The sandbox directory " + dir + " is a file, not a directory: give a directory"
                    + " (it is created if missing), or move the file away.");
        }
        Path parent = dir;
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new KeyShiftException("The sandbox directory " + dir + " cannot be used: "
                    + (parent == null ? "no part of the path exists" : parent + (Files.isDirectory(parent)
                    ? " is not writable" : " is a file")) + ". Give a directory you may write in.");
        }
    }

    /** Each start gets fresh data: the previous run's database, keys and certificates are removed. */
    private static void resetDir(Path dir) throws IOException {
        for (String name : List.of("ferretdb-data", "kmip", "tls", "logs", "local-master-key.bin", "schema-map.json",
                SandboxInfo.FILE_NAME)) {
            ToolInstaller.deleteTree(dir.resolve(name));
        }
        Files.createDirectories(dir);
    }
}
