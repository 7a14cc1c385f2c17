package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One migration per key at a time, and abandoning one, on a sandbox of its own per test. */
class MigrationClaimsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @Test
    void twoMigrationsBegunAtTheSameMomentOnTheSameKeysExactlyOneBegins() throws Exception {
        RewrapMigration rewrap = rewrapPipeline();
        ValueMigration rekey = rekeyPipeline();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (AwsTarget target = target()) {
            for (int round = 0; round < 3; round++) {
                RewrapPlan rewrapPlan = rewrap.plan(List.of(), "local", target.kmsTarget(), 4, dir.resolve("rewrap-" + round + ".json"));
                ValuePlan rekeyPlan = rekey.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 10, 1, false,
                        dir.resolve("rekey-" + round + ".json"));
                CyclicBarrier together = new CyclicBarrier(2);
                Future<MigrationRecord> first = threads.submit(() -> {
                    together.await();
                    return rewrap.begin(rewrapPlan);
                });
                Future<MigrationRecord> second = threads.submit(() -> {
                    together.await();
                    return rekey.begin(rekeyPlan);
                });
                List<MigrationRecord> begun = new ArrayList<>();
                List<Throwable> refused = new ArrayList<>();
                for (Future<MigrationRecord> attempt : List.of(first, second)) {
                    try {
                        begun.add(attempt.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        refused.add(e.getCause());
                    }
                }

                assertThat(begun).as("round %d", round).hasSize(1);
                assertThat(refused).singleElement().isInstanceOf(MigrationBlockedException.class).extracting(Throwable::getMessage)
                        .asString().contains("Migration " + begun.get(0).id()).endsWith("Nothing was written.");
                assertThat(rewrap.journal().list()).filteredOn(m -> m.stage().resumable()).hasSize(1);
                assertThat(dir.resolve("rewrap-" + round + ".json").toFile().exists()
                        ^ dir.resolve("rekey-" + round + ".json").toFile().exists()).as("one backup written").isTrue();
                assertThat(claims().countDocuments()).isEqualTo(stack.sandbox().dataKeyIds().size());
                abandon(begun.get(0).id());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anInterruptedMigrationKeepsItsClaimUntilItIsDone() {
        RewrapMigration migration = rewrapPipeline();
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            MigrationRecord record = migration.begin(migration.plan(List.of(), "local", target.kmsTarget(), 2, dir.resolve("backup.json")));
            MigrationResult stopped = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE,
                    () -> true);
            assertThat(stopped.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);

            ValueMigration second = rekeyPipeline();
            ValuePlan plan = second.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 10, 1, false, dir.resolve("second.json"));
            assertThat(second.preflight(plan, sources(key), target.kmsTarget()).blockers()).anySatisfy(blocker -> assertThat(blocker)
                    .startsWith("Migration " + record.id() + " (REWRAP, started ")
                    .contains("is unfinished: interrupted between batches")
                    .contains("`keyshift resume --migration " + record.id() + "`")
                    .contains("`keyshift abandon --migration " + record.id() + "`"));
            assertThatThrownBy(() -> second.begin(plan)).isInstanceOf(MigrationBlockedException.class);
            assertThat(dir.resolve("second.json")).doesNotExist();

            MigrationResult resumed = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE,
                    () -> false);
            assertThat(resumed.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
            assertThat(claims().countDocuments()).as("DONE releases every claim").isZero();
            assertThat(new KeyClaims(stack.client(), keyVaultNamespace(), migration.journal()).unfinishedOn(stack.sandbox().dataKeyIds())).isEmpty();
        }
    }

    @Test
    void aBackupThatCannotBeWrittenLeavesNeitherAJournalEntryNorAClaim() throws Exception {
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("not-a-directory"), "");
        RewrapMigration migration = rewrapPipeline();
        try (AwsTarget target = target()) {
            RewrapPlan plan = migration.plan(List.of(), "local", target.kmsTarget(), 2, notADirectory.resolve("backup.json"));

            assertThatThrownBy(() -> migration.begin(plan)).hasMessageContaining("Could not write the key vault backup");

            assertThat(migration.journal().list()).isEmpty();
            assertThat(claims().countDocuments()).isZero();
        }
    }

    @Test
    void aMigrationJournaledBeforeClaimsExistedStillHoldsItsKeys() {
        RewrapMigration migration = rewrapPipeline();
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            MigrationRecord old = migration.begin(migration.plan(List.of(), "local", target.kmsTarget(), 2, dir.resolve("backup.json")));
            claims().deleteMany(new BsonDocument());

            RewrapPlan again = migration.plan(List.of(), "local", target.kmsTarget(), 2, dir.resolve("again.json"));
            assertThat(migration.preflight(again, sources(key), target.kmsTarget()).blockers()).anySatisfy(blocker -> assertThat(blocker)
                    .startsWith("Migration " + old.id()).contains("stopped after its backup, before any other write"));
            assertThatThrownBy(() -> migration.begin(again)).isInstanceOf(MigrationBlockedException.class)
                    .hasMessageContaining("Migration " + old.id());
            assertThat(claims().countDocuments()).isZero();
            assertThat(dir.resolve("again.json")).doesNotExist();

            migration.run(old.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE, () -> true);
            assertThat(claims().countDocuments()).as("resuming takes the claims it lacked").isEqualTo(stack.sandbox().dataKeyIds().size());
        }
    }

    @Test
    void abandoningARekeyStoppedAfterItsKeysWereCreatedLeavesTheKeyVaultAsItWas() {
        List<BsonDocument> before = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        ValueMigration migration = rekeyPipeline();
        MigrationRecord record;
        Map<UUID, UUID> oldToNew;
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            record = migration.begin(migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 10, 1, true,
                    dir.resolve("backup.json")));
            oldToNew = migration.createKeys(record.id(), target.kmsTarget(), MigrationListener.NONE);
        }
        // As a run stopped part-way through moving the alt names would leave them.
        Map<UUID, List<String>> altNames = new LinkedHashMap<>();
        before.stream().limit(2).forEach(old -> altNames.put(old.getBinary("_id").asUuid(),
                old.getArray("keyAltNames", new BsonArray()).stream().map(name -> name.asString().getValue()).toList()));
        assertThat(new AltNameMover(keyVault()).move(altNames, oldToNew)).isPositive();
        assertThat(keyVault().countDocuments()).isEqualTo(2L * before.size());

        Abandonment abandonment = new Abandonment(stack.client(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
        Abandonment.Plan plan = abandonment.plan(record.id());
        assertThat(plan.newToOld()).hasSize(before.size());
        assertThat(String.join("\n", plan.describe())).contains("stopped at its new keys (created, or being created), before re-encrypting any value")
                .contains("It created 6 new key(s)").contains("(replaces " + before.get(0).getBinary("_id").asUuid() + ")");
        Abandonment.Result result = abandonment.abandon(plan);

        assertThat(result.deletedKeys()).containsExactlyInAnyOrderElementsOf(oldToNew.values());
        assertThat(keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>()))
                .as("the key vault without the keys the migration created, exactly as before").isEqualTo(before);
        assertThat(migration.journal().get(record.id()).stage()).isEqualTo(MigrationRecord.Stage.ABANDONED);
        assertThat(claims().countDocuments()).isZero();
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            assertThatThrownBy(() -> migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE,
                    () -> false)).hasMessageContaining("was abandoned; it cannot be resumed");
            RewrapMigration rewrap = rewrapPipeline();
            RewrapPlan next = rewrap.plan(List.of(), "local", target.kmsTarget(), 4, dir.resolve("next.json"));
            assertThat(rewrap.preflight(next, sources(key), target.kmsTarget()).blockers()).as("its keys are free again").isEmpty();
        }
    }

    @Test
    void abandonIsRefusedWhileAValueIsEncryptedUnderAKeyTheMigrationCreated() {
        ValueMigration migration = rekeyPipeline();
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            MigrationRecord record = migration.begin(migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 10, 1, false,
                    dir.resolve("backup.json")));
            UUID newKey = migration.createKeys(record.id(), target.kmsTarget(), MigrationListener.NONE).values().iterator().next();
            try (LocalProvider local = LocalProvider.of("local", key, info().localKeyFile());
                 KmsProviders providers = new KmsProviders().with(local).with(target.provider());
                 ClientEncryption application = ClientEncryptions.create(stack.settings(), keyVaultNamespace(), providers)) {
                stack.client().getDatabase("hr").getCollection("employees", BsonDocument.class).insertOne(
                        new BsonDocument("_id", new BsonString("written-under-a-new-key")).append("ssn", application.encrypt(
                                new BsonString("000-00-0000"), new EncryptOptions("AEAD_AES_256_CBC_HMAC_SHA_512-Random")
                                        .keyId(new BsonBinary(newKey)))));
            }
            long keysBefore = keyVault().countDocuments();

            Abandonment abandonment = new Abandonment(stack.client(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
            assertThatThrownBy(() -> abandonment.abandon(abandonment.plan(record.id())))
                    .isInstanceOf(MigrationBlockedException.class)
                    .hasMessageContaining("1 value(s) are encrypted under the new keys of migration " + record.id())
                    .hasMessageContaining("hr.employees _id \"written-under-a-new-key\" field ssn")
                    .hasMessageEndingWith("Resuming it is the only way: `keyshift resume --migration " + record.id() + "`.");

            assertThat(keyVault().countDocuments()).isEqualTo(keysBefore);
            assertThat(migration.journal().get(record.id()).stage()).isEqualTo(MigrationRecord.Stage.CREATING_KEYS);
            assertThat(claims().countDocuments()).isEqualTo(stack.sandbox().dataKeyIds().size());
        }
    }

    @Test
    void abandoningARewrapUndoesNothingAndNamesRestoreKeys() {
        RewrapMigration migration = rewrapPipeline().kmsConcurrency(1);
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            MigrationRecord record = migration.begin(migration.plan(List.of(), "local", target.kmsTarget(), 2, dir.resolve("backup.json")));
            boolean[] oneChunk = {false};
            migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), new MigrationListener() {
                @Override
                public void keysRewrapped(RewrapProgress progress) {
                    oneChunk[0] = progress.chunksDone() >= 1;
                }
            }, () -> oneChunk[0]);
            List<BsonDocument> keysBefore = keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>());

            Abandonment abandonment = new Abandonment(stack.client(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
            Abandonment.Plan plan = abandonment.plan(record.id());
            int rewrapped = migration.journal().get(record.id()).keysDone();
            assertThat(rewrapped).isBetween(2, 4);
            assertThat(String.join("\n", plan.describe())).contains(rewrapped + " of 6 key(s) are already rewrapped under the CMK")
                    .contains("`keyshift restore-keys --uri … --file " + dir.resolve("backup.json").toAbsolutePath() + "`");
            abandonment.abandon(plan);

            assertThat(keyVault().find().sort(Sorts.ascending("_id")).into(new ArrayList<>())).isEqualTo(keysBefore);
            assertThat(migration.journal().get(record.id()).stage()).isEqualTo(MigrationRecord.Stage.ABANDONED);
            assertThat(claims().countDocuments()).isZero();
        }
    }

    private void abandon(String id) {
        Abandonment abandonment = new Abandonment(stack.client(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
        abandonment.abandon(abandonment.plan(id));
    }

    private RewrapMigration rewrapPipeline() {
        return new RewrapMigration(stack.client(), stack.settings(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION,
                new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private ValueMigration rekeyPipeline() {
        return new ValueMigration(stack.client(), stack.settings(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION,
                new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private AwsTarget target() {
        SandboxInfo.Credentials migrator = info().aws().migrator();
        return new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(), null),
                info().aws().region(), info().aws().cmkArn(), info().aws().endpoint(), info().aws().caFile());
    }

    private MongoNamespace keyVaultNamespace() {
        return new MongoNamespace(info().keyVaultNamespace());
    }

    private MongoCollection<BsonDocument> keyVault() {
        return stack.client().getDatabase(keyVaultNamespace().getDatabaseName())
                .getCollection(keyVaultNamespace().getCollectionName(), BsonDocument.class);
    }

    private MongoCollection<BsonDocument> claims() {
        return stack.client().getDatabase(keyVaultNamespace().getDatabaseName()).getCollection(KeyClaims.COLLECTION, BsonDocument.class);
    }

    private SandboxInfo info() {
        return stack.info();
    }

    private SourceProviders sources(LocalMasterKey key) {
        return LocalSources.of(stack.client(), info().keyVaultNamespace(), key);
    }
}
