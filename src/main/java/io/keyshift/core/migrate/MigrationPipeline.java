package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.crypto.ClientEncryptions;
import io.keyshift.core.crypto.KmsProviders;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.report.MigrationReport;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What every migration works with: the cluster, its key vault, the journal beside it, and the KMS retry policy. */
abstract class MigrationPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationPipeline.class);

    protected final MongoClient client;
    protected final MongoClientSettings settings;
    protected final MongoNamespace keyVault;
    protected final Journal journal;
    protected final KmsRetry retry;
    /** KMS calls in flight at once where keys are handled one by one (REWRAP's chunks and its verification). */
    protected int kmsConcurrency = Bounds.DEFAULT_KMS_CONCURRENCY;

    MigrationPipeline(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault, String journalCollection,
                      KmsRetry retry) {
        this.client = client;
        this.settings = settings;
        this.keyVault = keyVault;
        this.journal = new Journal(client, keyVault, journalCollection);
        this.retry = retry;
    }

    public Journal journal() {
        return journal;
    }

    /**
     * Verifies a migration with a ClientEncryption that knows ONLY the aws provider (DECRYPT needs
     * none: it checks that no ciphertext of the old keys is left). Reads only; also run on its own by
     * {@code keyshift verify}.
     *
     * KMS calls are retried with the run's policy.
     *
     * @param target the CMK of the migration; null for DECRYPT
     * @throws KmsUnavailableException when the KMS did not answer through the retry policy: nothing was
     *                                 found wrong, and verification can be run again
     */
    public Verification verify(MigrationRecord migration, AwsTarget target) {
        if (migration.strategy() == Strategy.DECRYPT) {
            return new RekeyVerifier(client, retry).verify(migration, null);
        }
        if (migration.strategy() == Strategy.REKEY) {
            try (KmsProviders awsProvider = new KmsProviders().withAws(target);
                 ClientEncryption awsOnly = ClientEncryptions.create(settings, keyVault, awsProvider)) {
                return new RekeyVerifier(client, retry).verify(migration, awsOnly);
            }
        }
        List<ClientEncryption> awsOnly = new ArrayList<>();
        try (KmsProviders awsProvider = new KmsProviders().withAws(target)) {
            for (int i = 0; i < kmsConcurrency; i++) {
                awsOnly.add(ClientEncryptions.create(settings, keyVault, awsProvider));
            }
            return new RewrapVerifier(client, keyVault, retry).verify(migration, awsOnly);
        } finally {
            awsOnly.forEach(ClientEncryption::close);
        }
    }

    /**
     * The run is done but verification could not reach the KMS: the migration stays resumable
     * (INTERRUPTED, with the reason journaled), and a resume verifies it again.
     */
    protected MigrationResult unverified(String migrationId, KmsUnavailableException unanswered) {
        String reason = unanswered.getMessage() + ", so the migration could not be verified; nothing was found wrong."
                + " Continue with `keyshift resume --migration " + migrationId + "` once AWS KMS answers: it verifies again.";
        LOG.warn("Migration {}: {}", migrationId, reason, unanswered);
        journal.warn(migrationId, reason);
        journal.stage(migrationId, MigrationRecord.Stage.INTERRUPTED);
        return new MigrationResult(MigrationResult.Outcome.INTERRUPTED, runStopped(migrationId), null, null, reason);
    }

    /**
     * A warning per migration the journal shows unfinished on any of these keys. Resuming it is what a
     * DBA usually wants; a new migration would move the same keys a second time, beside it (for REKEY,
     * a second set of new keys).
     */
    protected List<String> unfinishedOn(List<UUID> keyIds) {
        Set<UUID> keys = Set.copyOf(keyIds);
        return journal.list().stream().filter(migration -> migration.stage().resumable())
                .filter(migration -> migration.keyIds().stream().anyMatch(keys::contains))
                .map(migration -> "Migration " + migration.id() + " (" + migration.strategy() + ", started "
                        + migration.createdAt() + " by " + migration.createdBy() + ", stopped at " + migration.stage()
                        + ") is unfinished on " + migration.keyIds().stream().filter(keys::contains).count()
                        + " of these keys. `keyshift resume --migration " + migration.id() + "` (or Resume on the Plan page)"
                        + " continues it; this plan would migrate the same keys a second time beside it.")
                .toList();
    }

    /** What the DBA must do next, from the journal and the key vault as they are now. Reads only. */
    public NextSteps nextSteps(MigrationRecord migration, boolean verified) {
        List<BsonBinary> unused = (verified && migration.strategy() != Strategy.REWRAP ? migration.keyIds() : List.<UUID>of())
                .stream().map(BsonBinary::new).toList();
        long stillUnderSource = keyVaultCollection().countDocuments(Filters.and(
                Filters.eq("masterKey.provider", migration.sourceProvider()), Filters.nin("_id", unused)));
        List<MigrationRecord> otherUnfinished = journal.list().stream()
                .filter(other -> other.stage().resumable() && !other.id().equals(migration.id()))
                .toList();
        return NextSteps.of(migration, verified, journal.schemaOutcome(migration.id()), stillUnderSource, otherUnfinished);
    }

    /** Journals that a run of the migration starts (the first, or a resume), for the report's history. */
    protected void runStarts(MigrationRecord migration) {
        journal.event(migration.id(), MigrationEvent.of(MigrationEvent.Kind.RUN_STARTED, migration));
    }

    /** Journals that the run stopped, resumable, where it stands; returns the journal entry. */
    protected MigrationRecord runStopped(String migrationId) {
        journal.event(migrationId, MigrationEvent.of(MigrationEvent.Kind.INTERRUPTED, journal.get(migrationId)));
        return journal.get(migrationId);
    }

    /** The report with what it records beside the journal entry: the cluster, the runs, the alt names backed up. */
    protected MigrationReport recorded(MigrationReport report) {
        MigrationRecord migration = report.migration();
        ClusterReport cluster = new ClusterProbe(client).probe(keyVault);
        List<String> hosts = cluster.members().isEmpty()
                ? settings.getClusterSettings().getHosts().stream().map(Object::toString).toList()
                : cluster.members().stream().map(ClusterReport.Member::host).toList();
        Map<UUID, List<String>> altNames;
        try {
            altNames = KeyVaultBackup.read(migration.backupFile()).altNames();
        } catch (KeyShiftException unreadable) {
            LOG.warn("Migration {}: the report names no alt names, since the backup cannot be read", migration.id(), unreadable);
            altNames = Map.of();
        }
        return report.withContext(new MigrationReport.Context(cluster.setName(), hosts, journal.events(migration.id()),
                altNames));
    }

    /** The key vault, read and written with majority concern. */
    protected MongoCollection<BsonDocument> keyVaultCollection() {
        return client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName(), BsonDocument.class)
                .withWriteConcern(WriteConcern.MAJORITY)
                .withReadConcern(ReadConcern.MAJORITY);
    }
}
