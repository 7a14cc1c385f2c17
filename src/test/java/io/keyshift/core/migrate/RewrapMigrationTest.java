package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import org.bson.BsonBinary;
import java.time.Duration;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KmsFaultProxy.Fault;
import io.keyshift.testing.AzureTokens;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.SandboxApplications;
import io.keyshift.testing.TamperedBackups;
import org.bson.BsonDocument;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** REWRAP end to end, each test on a sandbox of its own, since each one changes the key vault. */
class RewrapMigrationTest {

    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findAndModify",
            "createIndexes", "create", "drop", "collMod", "bulkWrite");

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private MongoClientSettings settings;
    private MongoClient client;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(60), line -> { });
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommandName());
            }
        };
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).addCommandListener(recorder).build();
        client = MongoClients.create(settings);
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    @Test
    void rewrapMovesEveryKeyToAwsAndAnAwsOnlyApplicationReadsEveryValue() {
        Map<String, List<BsonDocument>> before = readDecrypted(localOnlyApplication());
        List<BsonDocument> keysBefore = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());

        MigrationResult result = migrate(target(info().aws().endpoint(), info().aws().caFile()), 4, MigrationListener.NONE);

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMPLETED);
        assertThat(result.verified()).isTrue();
        assertThat(result.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
        List<BsonDocument> keysAfter = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        assertThat(keysAfter).extracting(key -> key.get("_id")).isEqualTo(keysBefore.stream().map(key -> key.get("_id")).toList());
        assertThat(keysAfter).allSatisfy(key -> {
            assertThat(key.getDocument("masterKey").getString("provider").getValue()).isEqualTo("aws");
            assertThat(key.getDocument("masterKey").getString("key").getValue()).isEqualTo(info().aws().cmkArn());
        });
        assertThat(keysAfter.get(0).get("keyAltNames")).isEqualTo(keysBefore.get(0).get("keyAltNames"));
        assertThat(readDecrypted(awsOnlyApplication())).isEqualTo(before);
        assertThat(result.reportHtml()).exists();
        assertThat(Files.exists(result.reportHtml().resolveSibling(result.migration().id() + ".json"))).isTrue();
    }

    /** An entry the version before provider-neutral targets journaled ({@code target: {provider, region, cmk, endpoint}}) lists and resumes. */
    @Test
    void aMigrationJournaledWithTheEarlierAwsTargetFieldsListsAndResumes() {
        Map<String, List<BsonDocument>> before = readDecrypted(localOnlyApplication());
        AwsTarget target = target(info().aws().endpoint(), info().aws().caFile());
        RewrapPlan plan = pipeline().plan(List.of(), "local", target.kmsTarget(), 100, dir.resolve("backup.json"));
        MigrationRecord record = pipeline().begin(plan);
        MongoNamespace keyVault = new MongoNamespace(info().keyVaultNamespace());
        client.getDatabase(keyVault.getDatabaseName()).getCollection(Journal.DEFAULT_COLLECTION, BsonDocument.class)
                .updateOne(Filters.eq("_id", record.id()), com.mongodb.client.model.Updates.set("target",
                        new BsonDocument("provider", new org.bson.BsonString("aws"))
                                .append("region", new org.bson.BsonString(info().aws().region()))
                                .append("cmk", new org.bson.BsonString(info().aws().cmkArn()))
                                .append("endpoint", new org.bson.BsonString(info().aws().endpoint()))));
        Migrations migrations = new Migrations(client, settings, keyVault, Journal.DEFAULT_COLLECTION);

        assertThat(migrations.list()).filteredOn(listed -> listed.id().equals(record.id())).singleElement()
                .satisfies(listed -> {
                    assertThat(listed.target().provider()).isEqualTo("aws");
                    assertThat(listed.target().cmk()).isEqualTo(info().aws().cmkArn());
                    assertThat(listed.target().region()).isEqualTo(info().aws().region());
                });
        MigrationResult resumed;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile());
             LocalProvider source = LocalProvider.of("local", key, null)) {
            resumed = migrations.run(record.id(), List.of(source), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE, () -> false);
        }

        assertThat(resumed.verified()).isTrue();
        assertThat(readDecrypted(awsOnlyApplication())).isEqualTo(before);
    }

    /**
     * Two chunks rewrap at a time; the stop comes as the first is journaled. The chunks already started
     * finish, nothing new starts, and the journal says exactly which keys moved.
     */
    @Test
    void interruptedBetweenChunksResumesWithoutRewrappingAnyKeyTwice() {
        RewrapMigration migration = pipeline().kmsConcurrency(2);
        AwsTarget target = target(info().aws().endpoint(), info().aws().caFile());
        RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), 1, dir.resolve("backup.json"));
        MigrationRecord record = migration.begin(plan);
        List<MigrationListener.RewrapProgress> seen = new CopyOnWriteArrayList<>();
        MigrationListener stopAfterFirstChunk = new MigrationListener() {
            @Override
            public void keysRewrapped(RewrapProgress progress) {
                seen.add(progress);
            }
        };

        MigrationResult first;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            first = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), stopAfterFirstChunk,
                    () -> seen.stream().anyMatch(p -> p.chunksDone() >= 1));
        }
        assertThat(first.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        MigrationRecord interrupted = migration.journal().get(record.id());
        assertThat(interrupted.stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
        List<UUID> doneKeys = interrupted.chunks().stream().filter(MigrationRecord.Chunk::done)
                .flatMap(chunk -> chunk.keyIds().stream()).toList();
        assertThat(doneKeys).as("the chunk that asked for the stop, and at most the other one already started").hasSizeBetween(1, 2);
        assertThat(keyDocuments(plan.keyIds()).values()).allSatisfy(keyDocument -> assertThat(
                keyDocument.getDocument("masterKey").getString("provider").getValue())
                .as("a key is under aws exactly when the journal says its chunk is done")
                .isEqualTo(doneKeys.contains(keyDocument.getBinary("_id").asUuid()) ? "aws" : "local"));
        Map<UUID, BsonDocument> rewrappedEarly = keyDocuments(doneKeys);

        MigrationResult resumed;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            resumed = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE, () -> false);
        }

        assertThat(resumed.verified()).isTrue();
        assertThat(keyDocuments(doneKeys)).as("keys of the chunks done before the interruption are untouched")
                .isEqualTo(rewrappedEarly);
        assertThat(resumed.migration().chunks()).allMatch(MigrationRecord.Chunk::done);
        assertThat(resumed.migration().chunks().stream().mapToInt(MigrationRecord.Chunk::rewrapped).sum())
                .as("every key rewrapped exactly once").isEqualTo(plan.keys().size());
    }

    /**
     * An Azure access token the vault stops accepting mid-run (it expired): the run stops on the 401 with the
     * chunks done journaled, and a run with a new token finishes the rest, rewrapping no key twice.
     */
    @Test
    void anAccessTokenRefusedMidRunStopsTheRunAndANewTokenFinishesIt() {
        SandboxInfo.Azure azure = info().azure();
        RewrapMigration migration = pipeline().kmsConcurrency(1); // one chunk at a time: the token expires between two
        try (KmsFaultProxy proxy = KmsFaultProxy.start(azure.keyVaultEndpoint(), azure.caFile(), dir.resolve("proxy"));
             AzureProvider expiring = AzureProvider.withAccessToken(AzureTokens.accessToken(azure), proxy.caFile());
             AzureProvider renewed = AzureProvider.withAccessToken(AzureTokens.accessToken(azure), proxy.caFile());
             LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            KmsTarget target = expiring.target(proxy.endpoint(), azure.keyName(), null);
            RewrapPlan plan = migration.plan(List.of(), "local", target, 1, dir.resolve("backup.json"));
            assertThat(migration.preflight(plan, sources(key), target).blockers()).isEmpty();
            MigrationRecord record = migration.begin(plan);
            MigrationListener expiresAfterTheFirstChunk = new MigrationListener() {
                @Override
                public void keysRewrapped(RewrapProgress progress) {
                    if (progress.chunksDone() == 1) {
                        proxy.arm(Fault.status(401).onlyFor("wrapkey").forNext(Integer.MAX_VALUE));
                    }
                }
            };

            Throwable stopped = catchThrowable(() -> migration.run(record.id(), sources(key), target, dir.resolve("reports"),
                    expiresAfterTheFirstChunk, () -> false));

            assertThat(stopped).isNotNull();
            assertThat(KmsRetry.isTransient(stopped)).as("a refused token is not retried").isFalse();
            MigrationRecord failed = migration.journal().get(record.id());
            assertThat(failed.stage()).isEqualTo(MigrationRecord.Stage.FAILED);
            List<UUID> doneKeys = failed.chunks().stream().filter(MigrationRecord.Chunk::done)
                    .flatMap(chunk -> chunk.keyIds().stream()).toList();
            assertThat(doneKeys).isNotEmpty().hasSizeLessThan(plan.keys().size());
            Map<UUID, BsonDocument> rewrappedEarly = keyDocuments(doneKeys);

            proxy.reset();
            MigrationResult resumed = migration.run(record.id(), sources(key), renewed.target(proxy.endpoint(),
                    azure.keyName(), null), dir.resolve("reports"), MigrationListener.NONE, () -> false);

            assertThat(resumed.verified()).isTrue();
            assertThat(keyDocuments(doneKeys)).as("keys rewrapped before the token expired are untouched")
                    .isEqualTo(rewrappedEarly);
            assertThat(keyVault().find().into(new ArrayList<>())).allSatisfy(keyDocument -> assertThat(
                    keyDocument.getDocument("masterKey").getString("provider").getValue()).isEqualTo("azure"));
            assertThat(resumed.migration().chunks().stream().mapToInt(MigrationRecord.Chunk::rewrapped).sum())
                    .as("every key rewrapped exactly once").isEqualTo(plan.keys().size());
        }
    }

    /**
     * The state a failure inside a chunk's bulk write leaves: some keys of the chunk rewrapped, the
     * chunk not journaled done. It is made here by rewrapping part of the chunk directly, as the
     * interrupted bulk write would have; resume must finish the rest and touch none of those twice.
     */
    @Test
    void resumeAfterAPartlyAppliedChunkLeavesTheKeyVaultConsistent() {
        RewrapMigration migration = pipeline();
        AwsTarget target = target(info().aws().endpoint(), info().aws().caFile());
        RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), 100, dir.resolve("backup.json"));
        MigrationRecord record = migration.begin(plan);
        List<UUID> partly = record.chunks().get(0).keyIds().subList(0, 3);
        try (LocalProvider key = LocalProvider.load(info().localKeyFile());
             KmsProviders providers = new KmsProviders()
                     .with(key).with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(
                     settings, new MongoNamespace(info().keyVaultNamespace()), providers)) {
            encryption.rewrapManyDataKey(Filters.in("_id",
                            partly.stream().map(BsonBinary::new).toList()),
                    new RewrapManyDataKeyOptions().provider("aws").masterKey(target.masterKey()));
        }
        migration.journal().stage(record.id(), MigrationRecord.Stage.FAILED);
        Map<UUID, BsonDocument> rewrappedBeforeTheFailure = keyDocuments(partly);

        MigrationResult resumed;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            resumed = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE, () -> false);
        }

        assertThat(resumed.verified()).isTrue();
        assertThat(keyDocuments(partly)).isEqualTo(rewrappedBeforeTheFailure);
        assertThat(resumed.migration().chunks().get(0).rewrapped()).isEqualTo(plan.keys().size() - partly.size());
        assertThat(keyVault().countDocuments(Filters.eq("masterKey.provider", "local"))).isZero();
    }

    @Test
    void wrongLocalKeyBlocksAtPreflightWithoutAnyWrite() throws Exception {
        RewrapMigration migration = pipeline();
        AwsTarget target = target(info().aws().endpoint(), info().aws().caFile());
        byte[] wrong = Files.readAllBytes(info().localKeyFile());
        wrong[0] ^= 1;
        commands.clear();

        RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), 100, dir.resolve("backup.json"));
        MigrationPreflight preflight;
        try (LocalMasterKey key = LocalMasterKey.of(wrong)) {
            preflight = migration.preflight(plan, sources(key), target.kmsTarget());
        }

        assertThat(preflight.passed()).isFalse();
        assertThat(preflight.blockers()).hasSize(plan.keys().size())
                .allMatch(blocker -> blocker.contains("does not decrypt with the local master key"));
        assertThat(commands).noneMatch(WRITE_COMMANDS::contains);
        assertThat(dir.resolve("backup.json")).doesNotExist();
    }

    @Test
    void disabledCmkBlocksAtPreflightWithoutAnyWrite() {
        RewrapMigration migration = pipeline();
        String disabledAlias = info().aws().aliasArn().replace("alias/keyshift-sandbox", "alias/keyshift-sandbox-disabled");
        AwsTarget target = new AwsTarget(migratorCredentials(), info().aws().region(), disabledAlias,
                info().aws().endpoint(), info().aws().caFile());
        commands.clear();

        RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), 100, dir.resolve("backup.json"));
        MigrationPreflight preflight;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            preflight = migration.preflight(plan, sources(key), target.kmsTarget());
        }

        assertThat(preflight.passed()).isFalse();
        assertThat(preflight.blockers()).anyMatch(blocker -> blocker.startsWith("AWS") && blocker.toLowerCase().contains("disabled"));
        assertThat(commands).noneMatch(WRITE_COMMANDS::contains);
    }

    @Test
    void throttlingBurstIsRetriedAndShowsInTheReport() throws Exception {
        Files.createDirectories(dir.resolve("proxy"));
        try (KmsFaultProxy proxy = KmsFaultProxy.start(info().aws(), dir.resolve("proxy"))) {
            List<String> retryReasons = new CopyOnWriteArrayList<>();
            MigrationListener listener = new MigrationListener() {
                @Override
                public void retrying(String what, int attempt, Duration delay, String reason) {
                    retryReasons.add(reason);
                }
            };

            // Armed after the preflight, whose own round trip would otherwise absorb the throttling.
            MigrationResult result = migrate(target(proxy.endpoint(), proxy.caFile()), 100, listener,
                    () -> proxy.arm(KmsFaultProxy.Fault.throttling().onlyFor("Encrypt").forNext(3)));

            assertThat(result.verified()).isTrue();
            assertThat(result.migration().retries()).isEqualTo(3);
            assertThat(retryReasons).hasSize(3).allMatch(reason -> reason.equals("AWS KMS is throttling requests"));
            assertThat(result.report().toJson()).contains("\"retries\": 3");
        }
    }

    @Test
    void restoreKeysPutsTheKeyVaultBackExactlyAsItWas() throws Exception {
        List<BsonDocument> before = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        MigrationResult result = migrate(target(info().aws().endpoint(), info().aws().caFile()), 100, MigrationListener.NONE);
        List<BsonDocument> migrated = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        assertThat(migrated).isNotEqualTo(before);
        KeyRestore restore = new KeyRestore(client, settings, Journal.DEFAULT_COLLECTION);
        Path tampered = dir.resolve("tampered-backup.json");
        TamperedBackups.damageFirstKeyAndRehash(result.migration().backupFile(), tampered);

        try (LocalProvider local = LocalProvider.load(info().localKeyFile())) {
            List<LocalProvider> masterKeys = List.of(local);
            commands.clear();
            KeyRestore.Review refused = restore.review(tampered, null, result.migration().id(), false, masterKeys);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.refusals()).anyMatch(refusal -> refusal.contains("is not the one migration "
                    + result.migration().id() + " recorded for its backup"));
            assertThatThrownBy(() -> restore.restore(refused)).hasMessageContaining("The restore was refused");
            assertThat(commands).as("commands of a refused restore").noneMatch(WRITE_COMMANDS::contains);
            assertThat(keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>())).isEqualTo(migrated);

            KeyRestore.Review review = restore.review(result.migration().backupFile(), null, null, false, masterKeys);
            assertThat(review.refusals()).isEmpty();
            assertThat(keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>())).isEqualTo(migrated);
            assertThat(client.getDatabase(keyVault().getNamespace().getDatabaseName()).listCollectionNames())
                    .as("the scratch collection the keys were proved in is gone").doesNotContain("keyshift_restore_checks");
            assertThat(review.migrationId()).isEqualTo(result.migration().id());
            assertThat(review.changes()).hasSize(before.size()).allSatisfy(change -> {
                assertThat(change.currentProvider()).isEqualTo("aws");
                assertThat(change.restoredProvider()).isEqualTo("local");
                assertThat(change.restoredUpdate()).isBefore(change.currentUpdate());
            });
            assertThat(restore.restore(review)).isEqualTo(before.size());
            assertThat(keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>())).isEqualTo(before);
            assertThat(restore.review(result.migration().backupFile(), null, null, false, masterKeys).identical())
                    .as("a second restore finds nothing to change").isEqualTo(before.size());
        }
    }

    private MigrationResult migrate(AwsTarget target, int chunkSize, MigrationListener listener) {
        return migrate(target, chunkSize, listener, () -> { });
    }

    private MigrationResult migrate(AwsTarget target, int chunkSize, MigrationListener listener, Runnable beforeRewrap) {
        RewrapMigration migration = pipeline();
        RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), chunkSize, dir.resolve("backup.json"));
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            assertThat(migration.preflight(plan, sources(key), target.kmsTarget()).blockers()).isEmpty();
            MigrationRecord record = migration.begin(plan);
            beforeRewrap.run();
            return migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), listener, () -> false);
        }
    }

    private RewrapMigration pipeline() {
        return new RewrapMigration(client, settings, new MongoNamespace(info().keyVaultNamespace()),
                Journal.DEFAULT_COLLECTION, new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private AwsTarget target(String endpoint, Path caFile) {
        return new AwsTarget(migratorCredentials(), info().aws().region(), info().aws().cmkArn(), endpoint, caFile);
    }

    private AwsCredentialSource migratorCredentials() {
        SandboxInfo.Credentials migrator = info().aws().migrator();
        return AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(), null);
    }

    private SandboxInfo info() {
        return sandbox.info();
    }

    private MongoCollection<BsonDocument> keyVault() {
        MongoNamespace ns = new MongoNamespace(info().keyVaultNamespace());
        return client.getDatabase(ns.getDatabaseName()).getCollection(ns.getCollectionName(), BsonDocument.class);
    }

    private Map<UUID, BsonDocument> keyDocuments(List<UUID> ids) {
        return keyVault().find().into(new ArrayList<>()).stream()
                .filter(key -> ids.contains(key.getBinary("_id").asUuid()))
                .collect(Collectors.toMap(key -> key.getBinary("_id").asUuid(), key -> key));
    }

    private MongoClient localOnlyApplication() {
        return SandboxApplications.localOnly(info());
    }

    /** An application configured with ONLY the aws provider, decrypting automatically. */
    private MongoClient awsOnlyApplication() {
        return SandboxApplications.awsOnly(info());
    }

    private static Map<String, List<BsonDocument>> readDecrypted(MongoClient application) {
        return SandboxApplications.readDecrypted(application);
    }

    private SourceProviders sources(LocalMasterKey key) {
        return LocalSources.of(client, info().keyVaultNamespace(), key);
    }
}
