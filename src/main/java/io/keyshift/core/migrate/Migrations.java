package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.core.schema.DekMapping;
import org.bson.BsonDocument;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The one way into a migration, whatever its strategy, for the CLI and the wizard alike: {@link #plan}
 * and {@link #preflight} (read only), {@link #begin} (claim, journal, backup), {@link #createKeys}
 * (REKEY's new keys, before the schema step), {@link #run} (a first run and a resume are the same call),
 * {@link #verify}; the journal's migrations listed, their run settings changed, abandoned. Which pipeline
 * does the work follows from the strategy, planned or journaled.
 */
public final class Migrations {

    /** The journal collection, next to the key vault. */
    public static final String DEFAULT_JOURNAL_COLLECTION = Journal.DEFAULT_COLLECTION;
    /** REWRAP's chunks rewrapped at once, each with one KMS call in flight. */
    public static final int DEFAULT_KMS_CONCURRENCY = Bounds.DEFAULT_KMS_CONCURRENCY;

    private final Journal journal;
    private final KeyClaims claims;
    private final Abandonment abandonment;
    private final RewrapMigration rewrap;
    private final ValueMigration values;

    /** Migrations of the key vault {@code keyVault}, journaled in {@code journalCollection} beside it. */
    public Migrations(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault, String journalCollection) {
        this(client, settings, keyVault, journalCollection, KmsRetry.standard());
    }

    Migrations(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault, String journalCollection,
               KmsRetry retry) {
        this.rewrap = new RewrapMigration(client, settings, keyVault, journalCollection, retry);
        this.values = new ValueMigration(client, settings, keyVault, journalCollection, retry);
        this.journal = rewrap.journal();
        this.claims = new KeyClaims(client, keyVault, journal);
        this.abandonment = new Abandonment(client, keyVault, journalCollection);
    }

    /**
     * How many REWRAP chunks are rewrapped at a time, and keys its verification probes at a time, each
     * with one KMS call in flight (default {@value #DEFAULT_KMS_CONCURRENCY}).
     */
    public Migrations kmsConcurrency(int calls) {
        rewrap.kmsConcurrency(calls);
        return this;
    }

    /** A dry run of the strategy asked for: what would change. Writes nothing. */
    public MigrationPlan plan(MigrationRequest request) {
        if (request.strategy() == Strategy.REWRAP) {
            return rewrap.plan(request.keyIds(), request.sourceProvider(), request.target(), request.chunkSize(),
                    request.backupFile());
        }
        ValuePlan plan = values.plan(request.strategy(), request.keyIds(), request.sourceProvider(),
                request.strategy() == Strategy.REKEY ? request.target() : null, request.batchSize(), request.workers(),
                request.moveAltNames(), request.backupFile());
        return request.skipUnreadable() ? plan.skippingUnconvertible() : plan;
    }

    /**
     * The checks that must pass before the first write: every planned key opens under its source
     * provider, the target's checks, and no unfinished migration holds the keys. Writes nothing.
     *
     * @param sources what opens the keys: a provider per name on them, or one of the same type, which is
     *                then used under that name
     * @param target  where the plan moves the keys; ignored by DECRYPT
     */
    public MigrationPreflight preflight(MigrationPlan plan, List<? extends KmsProvider> sources, KmsTarget target) {
        try (SourceProviders resolved = SourceProviders.forKeys(plan.keys(), sources)) {
            return plan instanceof RewrapPlan rewrapPlan ? rewrap.preflight(rewrapPlan, resolved, target)
                    : values.preflight((ValuePlan) plan, resolved, target);
        }
    }

    /**
     * Claims the planned keys, journals the migration, then backs the keys up; nothing is written before
     * the claim, nothing migrated before the backup.
     *
     * @throws MigrationBlockedException when an unfinished migration holds any of the keys
     */
    public MigrationRecord begin(MigrationPlan plan) {
        return plan instanceof RewrapPlan rewrapPlan ? rewrap.begin(rewrapPlan) : values.begin((ValuePlan) plan);
    }

    /**
     * REKEY's first step on its own: creates the new keys not yet created, with a client that knows only
     * the target, and journals each, so the schema can be switched to them (the safe order) before any
     * value is re-encrypted. Re-runnable.
     */
    public DekMapping createKeys(String migrationId, KmsTarget target, MigrationListener listener) {
        return new DekMapping(values.createKeys(migrationId, target, listener), false);
    }

    /**
     * Runs the journaled migration from where it stands (a resume is the same call), verifies it with a
     * client that knows only the target, and writes the report. Returns early, resumable, when
     * {@code cancelled} turns true between chunks or batches.
     *
     * @param sources what opens the keys under the migration's source provider
     * @param target  the target the migration was journaled with; ignored by DECRYPT
     */
    public MigrationResult run(String migrationId, List<? extends KmsProvider> sources, KmsTarget target,
                               Path reportDirectory, MigrationListener listener, BooleanSupplier cancelled) {
        MigrationRecord migration = journal.get(migrationId);
        try (SourceProviders resolved = SourceProviders.forProviders(sourceStillInUse(migration), sources)) {
            return switch (migration.strategy()) {
                case REWRAP -> rewrap.run(migrationId, resolved, target, reportDirectory, listener, cancelled);
                case REKEY -> values.run(migrationId, resolved, target, reportDirectory, listener, cancelled);
                case DECRYPT -> values.run(migrationId, resolved, null, reportDirectory, listener, cancelled);
            };
        }
    }

    /**
     * The migration's source provider while any of its keys is still under it: REKEY's and DECRYPT's
     * always, REWRAP's until every key is moved. Reads the keys under the source until one of the
     * migration's turns up, which is usually the first.
     */
    private List<String> sourceStillInUse(MigrationRecord migration) {
        Set<UUID> ids = new HashSet<>(migration.keyIds());
        try (MongoCursor<BsonDocument> underSource = rewrap.keyVaultCollection()
                .find(Filters.eq("masterKey.provider", migration.sourceProvider())).projection(Projections.include("_id"))
                .iterator()) {
            while (underSource.hasNext()) {
                if (ids.contains(underSource.next().getBinary("_id").asUuid())) {
                    return List.of(migration.sourceProvider());
                }
            }
        }
        return List.of();
    }

    /**
     * Verifies the journaled migration again, with a client that knows only the target provider (DECRYPT
     * needs none). Reads only.
     *
     * @throws KmsUnavailableException when the KMS did not answer through the retry policy
     */
    public Verification verify(String migrationId, KmsTarget target) {
        MigrationRecord migration = journal.get(migrationId);
        return rewrap.verify(migration, migration.strategy() == Strategy.DECRYPT ? null : target);
    }

    /** The journal entry of a migration; refused with a sentence when there is none. */
    public MigrationRecord get(String migrationId) {
        return journal.get(migrationId);
    }

    /** Every journaled migration. */
    public List<MigrationRecord> list() {
        return journal.list();
    }

    /** Where the journal is, for messages. */
    public String journalNamespace() {
        return journal.namespace();
    }

    /**
     * Changes the batch size and the number of workers of a journaled REKEY or DECRYPT for the runs that
     * follow; a null keeps the journaled value.
     */
    public MigrationRecord changeRunSettings(String migrationId, Integer batchSize, Integer workers) {
        return values.changeRunSettings(migrationId, batchSize, workers);
    }

    /** The unfinished migrations holding any of these keys: none of them may be migrated again until these end. */
    public List<UnfinishedMigration> unfinishedOn(List<UUID> keyIds) {
        return claims.unfinishedOn(keyIds);
    }

    /** Records in the journal what the migration's schema step settled, for its next steps and report. */
    public void schemaSettled(String migrationId, SchemaOutcome outcome) {
        journal.schemaSettled(migrationId, outcome);
    }

    /** What abandoning the unfinished migration would do. Reads only. */
    public Abandonment.Plan planAbandon(String migrationId) {
        return abandonment.plan(migrationId);
    }

    /** Abandons the migration as planned, releasing its keys. */
    public Abandonment.Result abandon(Abandonment.Plan plan) {
        return abandonment.abandon(plan);
    }

    /** Where a new backup goes unless the DBA says otherwise: timestamped, under the user's data folder. */
    public static Path defaultBackupFile() {
        return KeyVaultBackup.defaultPath(Instant.now());
    }

    /** Refuses, before anything is written, a backup file or report directory that cannot be written. */
    public static void requireWritable(Path backupFile, Path reportDirectory) {
        OutputLocations.requireBackupFile(backupFile);
        requireWritable(reportDirectory);
    }

    /** Refuses, before a resume, a report directory that cannot be written. */
    public static void requireWritable(Path reportDirectory) {
        OutputLocations.requireReportDirectory(reportDirectory);
    }

    /** Checks a REWRAP's KMS concurrency against its bounds, before connecting. */
    public static void requireKmsConcurrency(int calls) {
        Bounds.requireKmsConcurrency(calls);
    }

    /** Whether the schema step of {@code strategy} knows where the applications' rules are, or that there are none. */
    public static boolean schemaStepCanProceed(Strategy strategy, boolean schemaFileGiven, boolean validatorsHoldRules,
                                               boolean noSchemaMap) {
        return SchemaRequirement.met(strategy, schemaFileGiven, validatorsHoldRules, noSchemaMap);
    }

    /** The whole of a REKEY or DECRYPT, tallied from the journal entry and the progress its run reports. */
    public static OverallProgress progressOf(MigrationRecord migration) {
        return new OverallProgress(migration);
    }
}
