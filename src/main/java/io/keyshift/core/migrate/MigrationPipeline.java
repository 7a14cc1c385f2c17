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
import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.core.kms.TargetChecks;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What every migration works with: the cluster, its key vault, the journal beside it, and the KMS retry policy. */
abstract class MigrationPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationPipeline.class);

    protected final MongoClient client;
    protected final MongoClientSettings settings;
    protected final MongoNamespace keyVault;
    protected final Journal journal;
    protected final KeyClaims claims;
    protected final KmsRetry retry;
    /** KMS calls in flight at once where keys are handled one by one (REWRAP's chunks and its verification). */
    protected int kmsConcurrency = Bounds.DEFAULT_KMS_CONCURRENCY;

    MigrationPipeline(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault, String journalCollection,
                      KmsRetry retry) {
        this.client = client;
        this.settings = settings;
        this.keyVault = keyVault;
        this.journal = new Journal(client, keyVault, journalCollection);
        this.claims = new KeyClaims(client, keyVault, journal);
        this.retry = retry;
    }

    public Journal journal() {
        return journal;
    }

    /**
     * Verifies a migration with a ClientEncryption that knows ONLY the target provider (DECRYPT needs
     * none: it checks that no ciphertext of the old keys is left). Reads only; also run on its own by
     * {@code keyshift verify}.
     *
     * KMS calls are retried with the run's policy.
     *
     * @param target where the migration moved the keys; null for DECRYPT
     * @throws KmsUnavailableException when the KMS did not answer through the retry policy: nothing was
     *                                 found wrong, and verification can be run again
     */
    public Verification verify(MigrationRecord migration, KmsTarget target) {
        if (migration.strategy() == Strategy.DECRYPT) {
            return new ValueVerifier(client, retry).verify(migration, List.of(), migration.rekey().workers());
        }
        requireJournaledTarget(migration, target);
        boolean rekey = migration.strategy() == Strategy.REKEY;
        int clients = rekey ? migration.rekey().workers() : kmsConcurrency;
        List<ClientEncryption> targetOnly = new ArrayList<>();
        try (KmsProviders targetProvider = new KmsProviders().with(target.provider())) {
            for (int i = 0; i < clients; i++) {
                targetOnly.add(ClientEncryptions.create(settings, keyVault, targetProvider));
            }
            return rekey ? new ValueVerifier(client, retry).verify(migration, targetOnly, clients)
                    : new RewrapVerifier(client, keyVault, retry).verify(migration, targetOnly);
        } finally {
            targetOnly.forEach(ClientEncryption::close);
        }
    }

    /** What a plan warns of about its target: for AWS, a CMK in another account than the credentials'. */
    protected static List<String> targetWarnings(KmsTarget target) {
        List<String> warnings = new ArrayList<>();
        if (target != null && target.type() == ProviderType.AWS) {
            new AwsKmsCheck().crossAccount(AwsTarget.of(target)).ifPresent(warnings::add);
        }
        return warnings;
    }

    /** The target's checklist before the first write, as {@code keyshift check-kms} runs it; null without a target. */
    protected KmsCheckReport targetCheck(KmsTarget target, SourceProviders sources) {
        return target == null ? null : new TargetChecks(settings, keyVault).run(target, sources.providers().values());
    }

    /** Refuses a target other than the journaled one: a resume or a verification goes where the migration went. */
    protected static void requireJournaledTarget(MigrationRecord migration, KmsTarget target) {
        MigrationRecord.Target journaled = migration.target();
        if (target == null || !journaled.namedBy(target.provider().name(), target.masterKey())) {
            throw new KeyShiftException("Migration " + migration.id() + " moves its keys to " + journaled.describe()
                    + "; give that provider and key" + (target == null ? "" : ", not " + target.describe()) + ".");
        }
    }

    /**
     * The run is done but verification could not reach the KMS: the migration stays resumable
     * (INTERRUPTED, with the reason journaled), and a resume verifies it again.
     */
    protected MigrationResult unverified(String migrationId, KmsUnavailableException unanswered) {
        String reason = unanswered.getMessage() + ", so the migration could not be verified; nothing was found wrong."
                + " Continue with `keyshift resume --migration " + migrationId + "` once " + journal.get(migrationId).target().kmsName()
                + " answers: it verifies again.";
        LOG.warn("Migration {}: {}", migrationId, reason, unanswered);
        journal.warn(migrationId, reason);
        journal.stage(migrationId, MigrationRecord.Stage.INTERRUPTED);
        return new MigrationResult(MigrationResult.Outcome.INTERRUPTED, runStopped(migrationId), null, null, reason);
    }

    /**
     * One sentence per unfinished migration holding any of these keys: a migration of them is blocked
     * until it is resumed to the end or abandoned. Reads only.
     */
    protected List<String> heldBy(List<UUID> keyIds) {
        return claims.unfinishedOn(keyIds).stream().map(UnfinishedMigration::sentence).toList();
    }

    /**
     * Takes the keys for a new migration before anything else is written (the backup included): refused
     * when any unfinished migration holds one of them, by claim or by its journal entry.
     */
    protected void claimForNewMigration(String migrationId, Strategy strategy, String startedBy, List<UUID> keyIds) {
        List<UnfinishedMigration> holders = claims.unfinishedOn(keyIds);
        if (!holders.isEmpty()) {
            throw new MigrationBlockedException(holders.get(0).sentence() + " Nothing was written.");
        }
        claims.claim(migrationId, strategy, startedBy, keyIds);
    }

    /**
     * Journals a migration that holds its keys, then writes the backup of the keys. A run stopped
     * between the two leaves an entry without a backup, which its resume writes first. If either write
     * fails, the entry and the claims are taken back: nothing of the migration stays.
     *
     * @param planned the journal entry, at stage PLANNED with no backup hash yet
     */
    protected MigrationRecord journalAndBackUp(MigrationRecord planned) {
        try {
            journal.create(planned);
            return backedUp(planned);
        } catch (RuntimeException e) {
            journal.forgetPlanned(planned.id());
            claims.release(planned.id());
            throw e;
        }
    }

    /** The migration with its backup written and journaled: written now if it stopped before. */
    private MigrationRecord backedUp(MigrationRecord migration) {
        if (migration.backupSha256() == null) {
            journal.backedUp(migration.id(), KeyVaultBackup.write(keyVaultCollection(), migration.keyVault(),
                    migration.keyIds(), migration.backupFile()));
        }
        return journal.get(migration.id());
    }

    /**
     * The journal entry of a migration about to be resumed, which must still be unfinished; it takes
     * any of its keys it does not hold yet (a migration journaled before claims existed) and writes its
     * backup if it stopped before that.
     */
    protected MigrationRecord resumable(String migrationId) {
        MigrationRecord migration = journal.get(migrationId);
        if (migration.stage() == MigrationRecord.Stage.ABANDONED) {
            throw new KeyShiftException("Migration " + migrationId + " was abandoned; it cannot be resumed. Plan a new"
                    + " migration of its keys.");
        }
        if (!migration.stage().resumable()) {
            throw new KeyShiftException("Migration " + migrationId + " is already done and verified; nothing to resume.");
        }
        claims.claim(migrationId, migration.strategy(), migration.createdBy(), migration.keyIds());
        return backedUp(migration);
    }

    /** The verdict of verification in the journal; DONE releases the keys. */
    protected void finish(String migrationId, boolean verified) {
        journal.stage(migrationId, verified ? MigrationRecord.Stage.DONE : MigrationRecord.Stage.FAILED);
        if (verified) {
            claims.release(migrationId);
        }
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
