package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A target with the source's provider name: the sandbox's keys move from its local key file to a new
 * one, through the door, and an application given only the new file as {@code local} reads every value.
 */
class SameProviderNameTest {

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private MongoClientSettings settings;
    private MongoClient client;
    private Path newKeyFile;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir.resolve("sandbox")).withDocuments(30), line -> { });
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        client = MongoClients.create(settings);
        newKeyFile = dir.resolve("new-local.key");
        LocalMasterKey.generate(newKeyFile);
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    /**
     * After a stop, a key of a chunk under plain {@code local} is under the old key file or the new one;
     * the journal says which. Two stops are made up here: chunk 2's keys under the via name with the
     * journal still saying nothing, and chunk 3's keys back under {@code local} with the journal saying
     * only that they reached the via name. The resume finishes both without touching either key twice.
     */
    @Test
    void rewrapToANewLocalKeyFileResumesAfterStopsAroundTheViaNameAndANewFileOnlyApplicationReadsEveryValue() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Migrations migrations = migrations();
        try (LocalProvider oldFile = LocalProvider.load(info().localKeyFile());
             LocalProvider newFile = LocalProvider.load(newKeyFile)) {
            KmsTarget target = KmsTarget.local(newFile);
            MigrationPlan plan = migrations.plan(new MigrationRequest(Strategy.REWRAP, List.of(), "local", target, 1,
                    MigrationRequest.DEFAULT_BATCH, MigrationRequest.DEFAULT_WORKERS, false, false, dir.resolve("backup.json")));
            assertThat(plan.describe()).anySatisfy(line -> assertThat(line)
                    .contains("each key is rewrapped to local:keyshift, then back to local"));
            assertThat(migrations.preflight(plan, List.of(oldFile), target).blockers()).isEmpty();
            MigrationRecord record = migrations.begin(plan);
            AtomicBoolean stop = new AtomicBoolean();
            MigrationListener stopAfterAChunk = new MigrationListener() {
                @Override
                public void keysRewrapped(RewrapProgress progress) {
                    stop.set(progress.chunksDone() > 0);
                }
            };
            MigrationResult first = migrations.kmsConcurrency(1).run(record.id(), List.of(oldFile), target,
                    dir.resolve("reports"), stopAfterAChunk, stop::get);
            assertThat(first.outcome()).isEqualTo(MigrationResult.Outcome.INTERRUPTED);
            List<MigrationRecord.Chunk> pending = migrations.get(record.id()).chunks().stream()
                    .filter(chunk -> !chunk.done()).toList();
            MigrationRecord.Chunk viaNotJournaled = pending.get(0);
            MigrationRecord.Chunk backNotJournaled = pending.get(1);
            rewrap(viaNotJournaled, newFile.masterKey(), "local", "local:keyshift");
            rewrap(backNotJournaled, newFile.masterKey(), "local", "local:keyshift");
            rewrap(backNotJournaled, newFile.masterKey(), "local:keyshift", "local");
            new Journal(client, keyVaultNamespace(), Journal.DEFAULT_COLLECTION).chunk(record.id(),
                    new MigrationRecord.Chunk(backNotJournaled.index(), backNotJournaled.keyIds(), false, 0, 1, true));

            MigrationResult resumed = migrations.run(record.id(), List.of(oldFile), target, dir.resolve("reports"),
                    MigrationListener.NONE, () -> false);

            assertThat(resumed.verified()).as(String.valueOf(resumed.report().verification())).isTrue();
            assertThat(resumed.migration().stage()).isEqualTo(MigrationRecord.Stage.DONE);
            assertThat(keyVault().find().into(new ArrayList<>())).allSatisfy(key ->
                    assertThat(key.getDocument("masterKey").getString("provider").getValue()).isEqualTo("local"));
            assertThat(resumed.report().verification().checks()).extracting(Verification.Check::name)
                    .contains("Every migrated data key decrypts with only the local provider");
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.localOnly(info(), newKeyFile))).isEqualTo(before);
        assertThatThrownBy(() -> SandboxApplications.readDecrypted(SandboxApplications.localOnly(info())))
                .as("the old key file opens no key any more").isInstanceOf(RuntimeException.class);
    }

    @Test
    void rekeyToANewLocalKeyFileDecryptsWithTheOldFileAndEncryptsWithTheNewOne() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        Migrations migrations = migrations();
        try (LocalProvider oldFile = LocalProvider.load(info().localKeyFile());
             LocalProvider newFile = LocalProvider.load(newKeyFile)) {
            KmsTarget target = KmsTarget.local(newFile);
            MigrationPlan plan = migrations.plan(new MigrationRequest(Strategy.REKEY, List.of(), "local", target,
                    MigrationRequest.DEFAULT_CHUNK, 10, 2, false, false, dir.resolve("backup.json")));
            assertThat(migrations.preflight(plan, List.of(oldFile), target).blockers()).isEmpty();
            MigrationRecord record = migrations.begin(plan);
            migrations.createKeys(record.id(), target, MigrationListener.NONE);

            MigrationResult result = migrations.run(record.id(), List.of(oldFile), target, dir.resolve("reports"),
                    MigrationListener.NONE, () -> false);

            assertThat(result.verified()).as(String.valueOf(result.report().verification())).isTrue();
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.localOnly(info(), newKeyFile))).isEqualTo(before);
    }

    /** What a stop would leave: the chunk's keys rewrapped from {@code from} to {@code to}, with {@code key} on both names. */
    private void rewrap(MigrationRecord.Chunk chunk, LocalMasterKey toKey, String from, String to) {
        try (LocalMasterKey oldKey = LocalMasterKey.load(info().localKeyFile());
             LocalProvider fromProvider = LocalProvider.of(from, from.equals("local") ? oldKey : toKey, null);
             LocalProvider toProvider = LocalProvider.of(to, toKey, null);
             KmsProviders providers = new KmsProviders().with(fromProvider).with(toProvider);
             ClientEncryption encryption = ClientEncryptions.create(settings, keyVaultNamespace(), providers)) {
            encryption.rewrapManyDataKey(Filters.and(Filters.in("_id", chunk.keyIds().stream().map(BsonBinary::new).toList()),
                    Filters.eq("masterKey.provider", from)), new RewrapManyDataKeyOptions().provider(to)
                    .masterKey(new BsonDocument()));
        }
        assertThat(keyVault().countDocuments(Filters.and(Filters.in("_id", chunk.keyIds().stream().map(BsonBinary::new)
                .toList()), Filters.eq("masterKey.provider", to)))).isEqualTo(chunk.keyIds().size());
    }

    private Migrations migrations() {
        return new Migrations(client, settings, keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
    }

    private MongoNamespace keyVaultNamespace() {
        return new MongoNamespace(info().keyVaultNamespace());
    }

    private MongoCollection<BsonDocument> keyVault() {
        return client.getDatabase(keyVaultNamespace().getDatabaseName())
                .getCollection(keyVaultNamespace().getCollectionName(), BsonDocument.class);
    }

    private SandboxInfo info() {
        return sandbox.info();
    }
}
