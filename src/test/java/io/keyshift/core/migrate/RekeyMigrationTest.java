package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.MappingSource;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** REKEY and DECRYPT end to end, each test on a sandbox of its own, since each one rewrites the data. */
class RekeyMigrationTest {

    private static final String DETERMINISTIC = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private MongoClientSettings settings;
    private MongoClient client;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(60), line -> { });
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        client = MongoClients.create(settings);
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    @Test
    void rekeyReencryptsEveryValueUnderNewKeysAndAnAwsOnlyApplicationReadsTheSamePlaintext() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Map<UUID, List<String>> altNamesBefore = altNames(sandbox.dataKeyIds());

        MigrationResult result = rekey(4, 2, true, MigrationListener.NONE, () -> false);

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMPLETED);
        assertThat(result.verified()).as("verification: %s", result.report().verification()).isTrue();
        assertThat(result.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
        Map<UUID, UUID> mapping = result.migration().rekey().oldToNew();
        assertThat(mapping).hasSize(sandbox.dataKeyIds().size());
        assertThat(keyIdsInData()).doesNotContainAnyElementsOf(sandbox.dataKeyIds()).isNotEmpty()
                .allMatch(mapping::containsValue);
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);
        mapping.forEach((oldKey, newKey) -> {
            assertThat(altNames(List.of(oldKey)).get(oldKey)).isEmpty();
            assertThat(altNames(List.of(newKey)).get(newKey)).containsAll(altNamesBefore.get(oldKey))
                    .contains(NewKeyCreator.marker(result.migration().id(), oldKey));
        });
        DekMapping journaled = MappingSource.readJournal(client, new MongoNamespace(info().keyVaultNamespace()),
                result.migration().id());
        assertThat(journaled.oldToNew()).isEqualTo(mapping);
        assertThat(journaled.altNamesMoved()).isTrue();
        long values = result.migration().rekey().collections().stream()
                .mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum();
        assertThat(values).isEqualTo(countValues());
        assertThat(result.reportHtml()).exists();
        // The backup holds the keys and the reports name them: only their owner may read them.
        for (Path written : List.of(dir.resolve("backup.json"), result.reportHtml(),
                result.reportHtml().resolveSibling(result.migration().id() + ".json"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).as(written.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void interruptedBetweenBatchesResumesAcrossIdsOfEveryTypeAndConvertsEachValueOnce() {
        insertUnderOldKey(new BsonString("zz-string-id"), new BsonObjectId(), new BsonString("aa-string-id"));
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        AtomicBoolean firstBatchWritten = new AtomicBoolean();
        MigrationListener watcher = new MigrationListener() {
            @Override
            public void collection(CollectionProgress progress) {
                if (progress.namespace().equals("hr.employees") && progress.scanned() > 0) {
                    firstBatchWritten.set(true);
                }
            }
        };

        MigrationResult first = rekey(10, 1, false, watcher, firstBatchWritten::get);

        assertThat(first.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        MigrationRecord.CollectionCheckpoint employees = checkpoint(first.migration(), "hr.employees");
        assertThat(employees.done()).isFalse();
        assertThat(employees.lastId()).isNotNull();
        assertThat(employees.scanned()).isBetween(10L, 62L);
        try (AwsTarget target = target(); LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            ValuePlan another = pipeline().plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 10, 1, false, dir.resolve("b2.json"));
            assertThat(pipeline().preflight(another, sources(key), target.kmsTarget()).blockers()).anySatisfy(blocker -> assertThat(blocker)
                    .startsWith("Migration " + first.migration().id() + " (REKEY, started ")
                    .contains("is unfinished: interrupted between batches")
                    .contains("It holds 6 of the selected key(s)")
                    .contains("`keyshift resume --migration " + first.migration().id() + "`"));
        }

        MigrationResult resumed = resume(first.migration().id(), MigrationListener.NONE);

        assertThat(resumed.verified()).as("verification: %s", resumed.report().verification()).isTrue();
        MigrationRecord.CollectionCheckpoint done = checkpoint(resumed.migration(), "hr.employees");
        assertThat(done.scanned()).as("each document read once by the main pass").isEqualTo(63);
        assertThat(resumed.migration().rekey().collections().stream()
                .mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum()).isEqualTo(countValues());
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);

        // The report names the cluster, each old key's new key with its alt names, and the interruption and resume.
        BsonDocument report = resumed.report().toBson();
        assertThat(report.getDocument("cluster").getString("setName").getValue()).isEqualTo("rs0");
        assertThat(report.getDocument("cluster").getArray("hosts")).isNotEmpty();
        assertThat(report.getArray("keyMapping")).hasSize(6).allSatisfy(pair -> assertThat(
                resumed.migration().rekey().oldToNew().get(UUID.fromString(pair.asDocument().getString("oldId").getValue())))
                .hasToString(pair.asDocument().getString("newId").getValue()));
        UUID ssnKey = sandbox.dataKeyIds().get(SandboxDataKeys.HR_SSN);
        assertThat(report.getArray("keyMapping")).anySatisfy(pair -> {
            assertThat(pair.asDocument().getString("oldId").getValue()).isEqualTo(ssnKey.toString());
            assertThat(pair.asDocument().getArray("altNames")).containsExactly(new BsonString("hr-ssn"));
        });
        assertThat(report.getArray("history")).extracting(event -> event.asDocument().getString("event").getValue())
                .containsExactly("run_started", "interrupted", "run_started");
        assertThat(report.getArray("history").get(1).asDocument().getString("where").getValue())
                .matches("[1-9][0-9]* of [0-9]+ documents read, [0-9]+ values converted, 6 new keys \\(stage: interrupted\\)");
        assertThat(resumed.report().toHtml()).contains("replica set rs0 on ").contains(" interrupted it at: ")
                .contains(" resumed it at: ").contains("<code>" + ssnKey + "</code>").contains("hr-ssn");
    }

    @Test
    void aPauseJournalsOnlyTheBatchesAlreadySentAndSendsNoOther() {
        int batch = 4;
        int workers = 2;
        AtomicReference<MigrationListener.CollectionProgress> atPause = new AtomicReference<>();
        MigrationListener pauseAfterFirstBatch = new MigrationListener() {
            @Override
            public void collection(CollectionProgress progress) {
                if (progress.scanned() > 0) {
                    atPause.compareAndSet(null, progress);
                }
            }
        };

        MigrationResult paused = rekey(batch, workers, false, pauseAfterFirstBatch, () -> atPause.get() != null);

        assertThat(paused.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        MigrationRecord.CollectionCheckpoint stopped = checkpoint(paused.migration(), atPause.get().namespace());
        // When the pause is asked for, one batch is being journaled and each other worker holds at most one more.
        assertThat(stopped.scanned() - atPause.get().scanned()).as("documents journaled after the pause was asked for")
                .isLessThanOrEqualTo((long) (workers - 1) * batch);
        assertThat(stopped.done()).isFalse();
    }

    @Test
    void aConcurrentWriterLosesNoUpdateAndTheCatchUpPassConvertsWhatItWroteUnderTheOldKey() {
        UUID ssnKey = sandbox.dataKeyIds().get(SandboxDataKeys.HR_SSN);
        List<BsonValue> ids = employees().find().sort(Sorts.ascending("_id")).map(doc -> doc.get("_id")).into(new ArrayList<>());
        List<BsonValue> written = ids.subList(0, ids.size() / 10);
        Map<BsonValue, String> lastWritten = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (LocalProvider key = LocalProvider.load(info().localKeyFile());
                 KmsProviders local = new KmsProviders().with(key);
                 ClientEncryption application = ClientEncryptions.create(settings, new MongoNamespace(info().keyVaultNamespace()), local)) {
                while (!stop.get()) {
                    BsonValue id = written.get(ThreadLocalRandom.current().nextInt(written.size()));
                    String ssn = "999-00-" + String.format("%04d", writes.incrementAndGet());
                    BsonBinary encrypted = application.encrypt(new BsonString(ssn),
                            new EncryptOptions(DETERMINISTIC).keyId(new BsonBinary(ssnKey)));
                    employees().updateOne(Filters.eq("_id", id), Updates.set("ssn", encrypted));
                    lastWritten.put(id, ssn);
                }
            }
        }, "application-writer");
        MigrationListener stopWriterBeforeCatchUp = new MigrationListener() {
            @Override
            public void collection(CollectionProgress progress) {
                if (progress.finalPass() && stop.compareAndSet(false, true)) {
                    join(writer);
                }
            }
        };
        writer.start();

        MigrationResult result = rekey(5, 2, false, stopWriterBeforeCatchUp, () -> false);
        stop.set(true);
        join(writer);

        assertThat(writes.get()).as("the writer ran during the migration").isGreaterThan(written.size());
        assertThat(result.verified()).as("verification: %s", result.report().verification()).isTrue();
        Map<String, List<BsonDocument>> after = SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()));
        for (BsonDocument employee : after.get("hr.employees")) {
            if (lastWritten.containsKey(employee.get("_id"))) {
                assertThat(employee.getString("ssn").getValue()).as("ssn of %s", employee.get("_id"))
                        .isEqualTo(lastWritten.get(employee.get("_id")));
            }
        }
        assertThat(keyIdsInData()).doesNotContainAnyElementsOf(sandbox.dataKeyIds());
    }

    @Test
    void aRunReadsEachCollectionInFullTwiceTheMainPassAndTheFinalPass() {
        Map<String, AtomicInteger> fullReads = new ConcurrentHashMap<>();
        CommandListener countingFinds = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                BsonDocument command = event.getCommand();
                if (!event.getCommandName().equals("find")) {
                    return;
                }
                BsonDocument filter = command.getDocument("filter", new BsonDocument());
                // A conflict or a straggler is read again by _id: that is not a read of the collection.
                boolean byIds = filter.isDocument("_id") && filter.getDocument("_id").containsKey("$in");
                if (!byIds) {
                    fullReads.computeIfAbsent(event.getDatabaseName() + "." + command.getString("find").getValue(),
                            namespace -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        try (MongoClient counted = MongoClients.create(MongoClientSettings.builder(settings).addCommandListener(countingFinds).build());
             LocalMasterKey key = LocalMasterKey.load(info().localKeyFile()); AwsTarget target = target()) {
            ValueMigration migration = new ValueMigration(counted, settings, new MongoNamespace(info().keyVaultNamespace()),
                    Journal.DEFAULT_COLLECTION, new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
            ValuePlan plan = migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 7, 2, false,
                    dir.resolve("backup.json"));
            MigrationRecord record = migration.begin(plan);
            fullReads.clear();

            MigrationResult result = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"),
                    MigrationListener.NONE, () -> false);

            assertThat(result.verified()).as("verification: %s", result.report().verification()).isTrue();
            assertThat(result.migration().rekey().collections()).extracting(MigrationRecord.CollectionCheckpoint::namespace)
                    .containsExactlyInAnyOrderElementsOf(SandboxApplications.COLLECTIONS);
            for (String namespace : SandboxApplications.COLLECTIONS) {
                assertThat(fullReads.get(namespace)).as("full reads of %s after planning", namespace).hasValue(2);
            }
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);
    }

    @Test
    void aFinalPassStoppedOrJournaledByAnEarlierVersionAsCatchUpOrVerificationResumesToTheEnd() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        AtomicBoolean inFinalPass = new AtomicBoolean();
        MigrationListener stopInFinalPass = new MigrationListener() {
            @Override
            public void collection(CollectionProgress progress) {
                inFinalPass.compareAndSet(false, progress.finalPass());
            }
        };

        MigrationResult stopped = rekey(6, 2, false, stopInFinalPass, inFinalPass::get);

        assertThat(stopped.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        assertThat(stopped.migration().rekey().collections()).allMatch(MigrationRecord.CollectionCheckpoint::done);
        String id = stopped.migration().id();
        // An earlier version journaled CATCHING_UP, then VERIFYING, where this one journals FINAL_PASS.
        pipeline().journal().stage(id, MigrationRecord.Stage.CATCHING_UP);
        inFinalPass.set(false);
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile()); AwsTarget target = target()) {
            assertThat(pipeline().run(id, sources(key), target.kmsTarget(), dir.resolve("reports"), stopInFinalPass,
                    inFinalPass::get).outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
        }
        pipeline().journal().stage(id, MigrationRecord.Stage.VERIFYING);

        MigrationResult resumed = resume(id, MigrationListener.NONE);

        assertThat(resumed.verified()).as("verification: %s", resumed.report().verification()).isTrue();
        assertThat(resumed.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
        assertThat(keyIdsInData()).doesNotContainAnyElementsOf(sandbox.dataKeyIds());
        assertThat(resumed.migration().rekey().collections().stream()
                .mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum()).isEqualTo(countValues());
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);
    }

    @Test
    void verificationOnItsOwnOnlyReadsAndReportsAValueWrittenUnderAnOldKeyAfterTheRun() {
        MigrationResult result = rekey(10, 2, false, MigrationListener.NONE, () -> false);
        assertThat(result.verified()).as("verification: %s", result.report().verification()).isTrue();
        insertUnderOldKey(new BsonString("late-writer"));
        BsonDocument late = employees().find(Filters.eq("_id", "late-writer")).first();

        Verification verification;
        try (AwsTarget target = target()) {
            verification = pipeline().verify(pipeline().journal().get(result.migration().id()), target.kmsTarget());
        }

        assertThat(verification.passed()).isFalse();
        assertThat(verification.checks()).filteredOn(check -> !check.ok())
                .extracting(check -> String.join(" ", check.failures()))
                .containsExactly("hr.employees _id \"late-writer\" field ssn is still under the old key "
                        + sandbox.dataKeyIds().get(SandboxDataKeys.HR_SSN) + ".");
        assertThat(employees().find(Filters.eq("_id", "late-writer")).first()).as("left as it was").isEqualTo(late);
    }

    @Test
    void aCorruptedCiphertextIsReportedWithItsIdAndPathAndLeftAsItWas() {
        BsonDocument victim = employees().find(Filters.eq("_id", 3)).first();
        byte[] corrupted = victim.getBinary("ssn").getData().clone();
        corrupted[corrupted.length - 1] ^= 0x5a;
        BsonBinary corruptedValue = new BsonBinary((byte) 6, corrupted);
        employees().updateOne(Filters.eq("_id", 3), Updates.set("ssn", corruptedValue));

        MigrationResult result = rekey(20, 2, false, MigrationListener.NONE, () -> false);

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMPLETED);
        MigrationRecord.CollectionCheckpoint employees = checkpoint(result.migration(), "hr.employees");
        assertThat(employees.failed()).isEqualTo(1);
        assertThat(employees.errors()).singleElement().asString().contains("_id 3").contains("field ssn");
        assertThat(employees().find(Filters.eq("_id", 3)).first().getBinary("ssn")).isEqualTo(corruptedValue);
        assertThat(result.verified()).isFalse();
        assertThat(result.migration().stage()).isEqualTo(MigrationRecord.Stage.FAILED);
        assertThat(result.report().verification().checks()).filteredOn(check -> !check.ok())
                .extracting(check -> String.join(" ", check.failures()))
                .containsExactlyInAnyOrder("hr.employees _id 3 field ssn is still under the old key "
                                + sandbox.dataKeyIds().get(SandboxDataKeys.HR_SSN) + ".",
                        "hr.employees: 1 value(s) could not be converted; the report lists them.");
        assertThat(countValues() - 1).isEqualTo(result.migration().rekey().collections().stream()
                .mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum());
    }

    @Test
    void decryptStoresThePlaintextOfEveryValue() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        ValueMigration migration = pipeline();
        ValuePlan plan = migration.plan(Strategy.DECRYPT, List.of(), "local", null, 25, 2, false, dir.resolve("backup.json"));
        MigrationResult result;
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile())) {
            assertThat(migration.preflight(plan, sources(key), null).blockers()).isEmpty();
            MigrationRecord record = migration.begin(plan);
            result = migration.run(record.id(), sources(key), null, dir.resolve("reports"), MigrationListener.NONE, () -> false);
        }

        assertThat(result.verified()).as("verification: %s", result.report().verification()).isTrue();
        assertThat(keyIdsInData()).isEmpty();
        Map<String, List<BsonDocument>> stored = new java.util.HashMap<>();
        for (String namespace : SandboxApplications.COLLECTIONS) {
            MongoNamespace ns = new MongoNamespace(namespace);
            stored.put(namespace, client.getDatabase(ns.getDatabaseName()).getCollection(ns.getCollectionName(), BsonDocument.class)
                    .find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        }
        assertThat(stored).isEqualTo(before);
    }

    @Test
    void aQueryableEncryptionValueUnderASelectedKeyBlocksThePlan() {
        UUID key = sandbox.dataKeyIds().get(SandboxDataKeys.SPARE);
        byte[] queryable = new byte[40];
        queryable[0] = 6;
        java.nio.ByteBuffer.wrap(queryable, 1, 16).putLong(key.getMostSignificantBits()).putLong(key.getLeastSignificantBits());
        queryable[17] = 2;
        client.getDatabase("qe").getCollection("cards", BsonDocument.class)
                .insertOne(new BsonDocument("_id", new BsonString("card-1")).append("number", new BsonBinary((byte) 6, queryable)));

        try (AwsTarget target = target()) {
            ValuePlan plan = pipeline().plan(Strategy.REKEY, List.of(key), "local", target.kmsTarget(), 10, 1, false, dir.resolve("b.json"));
            assertThat(plan.blockers()).singleElement().asString().contains("qe.cards").contains("Queryable Encryption");
        }
    }

    @Test
    void kmsFailingWhileKeysAreCreatedStopsBeforeAnyValueChangesAndTheResumeFinishes() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Files.createDirectories(dir.resolve("proxy"));
        ValueMigration migration = pipeline();
        try (KmsFaultProxy proxy = KmsFaultProxy.start(info().aws(), dir.resolve("proxy"));
             LocalMasterKey key = LocalMasterKey.load(info().localKeyFile());
             AwsTarget target = target(proxy.endpoint(), proxy.caFile())) {
            ValuePlan plan = migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 20, 2, false, dir.resolve("backup.json"));
            assertThat(migration.preflight(plan, sources(key), target.kmsTarget()).blockers()).isEmpty();
            MigrationRecord record = migration.begin(plan);
            proxy.arm(KmsFaultProxy.Fault.status(500).onlyFor("Encrypt"));

            assertThatThrownBy(() -> migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE, () -> false))
                    .isInstanceOf(KeyShiftException.class)
                    .hasMessageStartingWith("Creating the new data key for ")
                    .hasMessageContaining("failed after 6 attempt(s)")
                    .hasMessageContaining("0 of 6 new key(s) are created and journaled, and no value has been changed")
                    .hasMessageEndingWith("run `keyshift resume --migration " + record.id() + "`.");
            MigrationRecord stopped = migration.journal().get(record.id());
            assertThat(stopped.stage()).isEqualTo(MigrationRecord.Stage.FAILED);
            assertThat(stopped.rekey().dekMapping()).isEmpty();
            assertThat(keyIdsInData()).isNotEmpty().allMatch(sandbox.dataKeyIds()::contains);

            proxy.reset();
            MigrationResult resumed = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), MigrationListener.NONE,
                    () -> false);
            assertThat(resumed.verified()).as("verification: %s", resumed.report().verification()).isTrue();
            // The new keys name the proxy as their KMS endpoint.
            assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info(), proxy.caFile()))).isEqualTo(before);
        }
    }

    @Test
    void aKmsDownForTheWholeFinalPassLeavesTheRekeyResumableAndTheResumeVerifies() throws Exception {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Files.createDirectories(dir.resolve("proxy"));
        ValueMigration migration = pipeline();
        try (KmsFaultProxy proxy = KmsFaultProxy.start(info().aws(), dir.resolve("proxy"));
             LocalMasterKey key = LocalMasterKey.load(info().localKeyFile());
             AwsTarget target = target(proxy.endpoint(), proxy.caFile())) {
            MigrationRecord record = migration.begin(migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), 20, 2,
                    false, dir.resolve("backup.json")));
            AtomicBoolean armed = new AtomicBoolean();
            MigrationListener downInFinalPass = new MigrationListener() {
                @Override
                public void collection(CollectionProgress progress) {
                    if (progress.finalPass() && armed.compareAndSet(false, true)) {
                        proxy.arm(KmsFaultProxy.Fault.dropConnection());
                    }
                }
            };

            MigrationResult unanswered = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"),
                    downInFinalPass, () -> false);

            assertThat(unanswered.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
            assertThat(unanswered.stopReason()).contains("did not answer during verification", "nothing was found wrong",
                    "keyshift resume --migration " + record.id());
            assertThat(unanswered.migration().stage()).isEqualTo(MigrationRecord.Stage.INTERRUPTED);
            assertThat(keyIdsInData()).doesNotContainAnyElementsOf(sandbox.dataKeyIds());

            proxy.reset();
            MigrationResult resumed = migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"),
                    MigrationListener.NONE, () -> false);
            assertThat(resumed.verified()).as("verification: %s", resumed.report().verification()).isTrue();
            assertThat(resumed.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
            assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info(), proxy.caFile()))).isEqualTo(before);
        }
    }

    private MigrationResult rekey(int batch, int workers, boolean moveAltNames, MigrationListener listener,
                                        java.util.function.BooleanSupplier cancelled) {
        ValueMigration migration = pipeline();
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile()); AwsTarget target = target()) {
            ValuePlan plan = migration.plan(Strategy.REKEY, List.of(), "local", target.kmsTarget(), batch, workers, moveAltNames,
                    dir.resolve("backup.json"));
            assertThat(migration.preflight(plan, sources(key), target.kmsTarget()).blockers()).isEmpty();
            MigrationRecord record = migration.begin(plan);
            return migration.run(record.id(), sources(key), target.kmsTarget(), dir.resolve("reports"), listener, cancelled);
        }
    }

    private MigrationResult resume(String id, MigrationListener listener) {
        try (LocalMasterKey key = LocalMasterKey.load(info().localKeyFile()); AwsTarget target = target()) {
            return pipeline().run(id, sources(key), target.kmsTarget(), dir.resolve("reports"), listener, () -> false);
        }
    }

    private ValueMigration pipeline() {
        return new ValueMigration(client, settings, new MongoNamespace(info().keyVaultNamespace()), Journal.DEFAULT_COLLECTION,
                new KmsRetry(6, Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private AwsTarget target() {
        return target(info().aws().endpoint(), info().aws().caFile());
    }

    private AwsTarget target(String endpoint, Path caFile) {
        SandboxInfo.Credentials migrator = info().aws().migrator();
        return new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(), null),
                info().aws().region(), info().aws().cmkArn(), endpoint, caFile);
    }

    private void insertUnderOldKey(BsonValue... ids) {
        UUID ssnKey = sandbox.dataKeyIds().get(SandboxDataKeys.HR_SSN);
        try (LocalProvider key = LocalProvider.load(info().localKeyFile());
             KmsProviders local = new KmsProviders().with(key);
             ClientEncryption application = ClientEncryptions.create(settings, new MongoNamespace(info().keyVaultNamespace()), local)) {
            for (BsonValue id : ids) {
                employees().insertOne(new BsonDocument("_id", id).append("ssn", application.encrypt(new BsonString("000-11-" + id.hashCode()),
                        new EncryptOptions(DETERMINISTIC).keyId(new BsonBinary(ssnKey)))));
            }
        }
    }

    private static MigrationRecord.CollectionCheckpoint checkpoint(MigrationRecord migration, String namespace) {
        return migration.rekey().collections().stream().filter(c -> c.namespace().equals(namespace)).findFirst().orElseThrow();
    }

    /** The key ids of every ciphertext in the sandbox's collections. */
    private Set<UUID> keyIdsInData() {
        Set<UUID> ids = new HashSet<>();
        forEachValue(ciphertext -> ids.add(CiphertextHeader.parse(ciphertext).keyId()));
        return ids;
    }

    private long countValues() {
        long[] count = {0};
        forEachValue(ciphertext -> count[0]++);
        return count[0];
    }

    private void forEachValue(java.util.function.Consumer<BsonBinary> visitor) {
        for (String namespace : SandboxApplications.COLLECTIONS) {
            MongoNamespace ns = new MongoNamespace(namespace);
            for (BsonDocument document : client.getDatabase(ns.getDatabaseName()).getCollection(ns.getCollectionName(), BsonDocument.class).find()) {
                Ciphertexts.forEach(document, (path, ciphertext) -> visitor.accept(ciphertext));
            }
        }
    }

    private Map<UUID, List<String>> altNames(List<UUID> keys) {
        MongoNamespace ns = new MongoNamespace(info().keyVaultNamespace());
        Map<UUID, List<String>> names = new java.util.HashMap<>();
        for (BsonDocument key : client.getDatabase(ns.getDatabaseName()).getCollection(ns.getCollectionName(), BsonDocument.class)
                .find(Filters.in("_id", keys.stream().map(BsonBinary::new).toList()))) {
            names.put(key.getBinary("_id").asUuid(), key.getArray("keyAltNames", new org.bson.BsonArray()).stream()
                    .map(name -> name.asString().getValue()).toList());
        }
        return names;
    }

    private MongoCollection<BsonDocument> employees() {
        return client.getDatabase("hr").getCollection("employees", BsonDocument.class);
    }

    private SandboxInfo info() {
        return sandbox.info();
    }

    private static void join(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SourceProviders sources(LocalMasterKey key) {
        return LocalSources.of(client, info().keyVaultNamespace(), key);
    }
}
