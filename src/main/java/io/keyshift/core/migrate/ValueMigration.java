package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KeyPreflight;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.SourceProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The REKEY and DECRYPT pipeline, one stage per method as for REWRAP: plan and preflight (reads
 * only), begin (backup of the keys, then the journal entry), run (new keys, the re-encryption pass,
 * the final pass that converts values written under an old key meanwhile and verifies with clients that
 * know only the target provider, alt names, report). {@link #run} also resumes a migration from its
 * journal entry: a final pass that was stopped (or a catch-up or verification of an earlier version) is
 * run again in full, which is safe since every conversion is conditional.
 */
final class ValueMigration extends MigrationPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ValueMigration.class);

    public ValueMigration(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault,
                          String journalCollection, KmsRetry retry) {
        super(client, settings, keyVault, journalCollection, retry);
    }

    /** A dry run: every collection scanned for values under the selected keys. Writes nothing. */
    public ValuePlan plan(Strategy strategy, List<UUID> selectedIds, String sourceProvider, KmsTarget target,
                          int batchSize, int workers, boolean moveAltNames, Path backupFile) {
        ValuePlan plan = ValuePlanner.plan(client, keyVault, strategy, selectedIds, sourceProvider, target, batchSize, workers,
                moveAltNames, backupFile);
        return plan.withWarnings(targetWarnings(target));
    }

    /**
     * The checks that must pass before the first write, with the plan's own blockers and any unfinished
     * migration holding the keys. Writes nothing.
     */
    public MigrationPreflight preflight(ValuePlan plan, SourceProviders sources, KmsTarget target) {
        var sourceReport = new KeyPreflight(settings, keyVault).check(sources, plan.keys());
        var targetReport = plan.strategy() == Strategy.REKEY ? targetCheck(target, sources) : null;
        List<String> problems = new ArrayList<>(heldBy(plan.keyIds()));
        problems.addAll(plan.blockers());
        problems.addAll(MigrationPreflight.blockingClusterProblems(new ClusterProbe(client).probe(keyVault)));
        return new MigrationPreflight(sourceReport, targetReport, problems);
    }

    /**
     * Claims the selected keys, journals the migration with a checkpoint per collection, then backs the
     * keys up. Nothing is written before the claim, and nothing is converted before the backup.
     *
     * @throws MigrationBlockedException when an unfinished migration holds any of the keys
     */
    public MigrationRecord begin(ValuePlan plan) {
        if (!plan.blockers().isEmpty()) {
            throw new KeyShiftException("The plan is blocked: " + String.join(" ", plan.blockers()));
        }
        Instant now = Instant.now();
        String id = MigrationIds.newId(plan.strategy(), now);
        String startedBy = MigrationIds.whoAmI();
        claimForNewMigration(id, plan.strategy(), startedBy, plan.keyIds());
        List<MigrationRecord.CollectionCheckpoint> checkpoints = plan.collections().stream()
                .map(scope -> new MigrationRecord.CollectionCheckpoint(scope.namespace(), scope.documents(), null, false,
                        0, 0, 0, 0, 0, List.of()))
                .toList();
        MigrationRecord record = journalAndBackUp(new MigrationRecord(id, plan.strategy(), startedBy, now, plan.keyVault(),
                plan.sourceProvider(), plan.target(), plan.backupFile().toAbsolutePath(), null, MigrationRecord.Stage.PLANNED,
                List.of(new MigrationRecord.Chunk(0, plan.keyIds(), false, 0, 0)), 0, plan.warnings(),
                new MigrationRecord.Rekey(plan.batchSize(), plan.workers(), plan.moveAltNames(), false, List.of(), checkpoints)));
        LOG.info("Migration {} ({}) journaled in {}: {} keys, {} collections, backup {}", record.id(), plan.strategy(),
                journal.namespace(), plan.keys().size(), plan.collections().size(), plan.backupFile());
        return record;
    }

    /**
     * Changes the batch size and the number of workers of a journaled REKEY or DECRYPT, for the runs
     * that follow; a null keeps the journaled value. Checked against {@link Bounds} before anything is written.
     */
    public MigrationRecord changeRunSettings(String migrationId, Integer batchSize, Integer workers) {
        MigrationRecord migration = journal.get(migrationId);
        if (migration.rekey() == null) {
            throw new KeyShiftException("Migration " + migrationId + " is a " + migration.strategy() + " migration: it has"
                    + " no batches or workers to change (its chunks were fixed when it was planned).");
        }
        if (!migration.stage().resumable()) {
            throw new KeyShiftException("Migration " + migrationId + (migration.stage() == MigrationRecord.Stage.ABANDONED
                    ? " was abandoned" : " is already done") + ": nothing is left to run with another batch size or number of"
                    + " workers.");
        }
        int batch = batchSize == null ? migration.rekey().batchSize() : batchSize;
        int parallel = workers == null ? migration.rekey().workers() : workers;
        Bounds.requireBatch(batch);
        Bounds.requireWorkers(parallel);
        journal.runSettings(migrationId, batch, parallel);
        LOG.info("Migration {} now runs batches of {} documents with {} worker(s)", migrationId, batch, parallel);
        return journal.get(migrationId);
    }

    /**
     * Creates the new keys not yet created, converts what is not yet converted, then reads everything once
     * more in the final pass, converting what an application wrote under an old key meanwhile and verifying
     * with clients that know only the target provider; moves alt names if asked, and writes the report. Values are decrypted by clients that know only the source providers and encrypted by clients
     * that know only the target's, so a source and a target of one name need no renaming. Returns early,
     * resumable, when {@code cancelled} turns true between batches.
     *
     * @param target where REKEY's new keys go; null for DECRYPT
     */
    public MigrationResult run(String migrationId, SourceProviders sources, KmsTarget target, Path reportDirectory,
                               MigrationListener listener, BooleanSupplier cancelled) {
        if (journal.get(migrationId).rekey() == null) {
            throw new KeyShiftException("Migration " + migrationId + " is a " + journal.get(migrationId).strategy()
                    + " migration; resume it as one.");
        }
        MigrationRecord migration = resumable(migrationId);
        try {
            Bounds.requireBatch(migration.rekey().batchSize());
            Bounds.requireWorkers(migration.rekey().workers());
        } catch (KeyShiftException outOfBounds) {
            throw new KeyShiftException("Migration " + migrationId + " was journaled with values out of bounds. "
                    + outOfBounds.getMessage() + " Resume it with --batch and --workers within these bounds.");
        }
        boolean rekey = migration.strategy() == Strategy.REKEY;
        if (rekey) {
            requireJournaledTarget(migration, target);
        }
        runStarts(migration);
        long started = System.nanoTime();
        int workers = migration.rekey().workers();
        List<ClientEncryption> encryptions = new ArrayList<>();
        List<ValueConverter.Worker> pairs = new ArrayList<>();
        Verification verification;
        KmsProviders sourceOnly = sources.kmsProviders();
        KmsProviders targetOnly = rekey ? new KmsProviders().with(target.provider()) : null;
        try {
            for (int i = 0; i < workers; i++) {
                ClientEncryption decrypting = ClientEncryptions.create(settings, keyVault, sourceOnly);
                encryptions.add(decrypting);
                ClientEncryption encrypting = rekey ? ClientEncryptions.create(settings, keyVault, targetOnly) : null;
                if (encrypting != null) {
                    encryptions.add(encrypting);
                }
                pairs.add(new ValueConverter.Worker(decrypting, encrypting));
            }
            Map<UUID, UUID> oldToNew = new LinkedHashMap<>();
            if (rekey) {
                oldToNew.putAll(createKeys(migration, pairs.get(0).encrypting(), listener));
            } else {
                migration.keyIds().forEach(id -> oldToNew.put(id, null));
            }
            ValueConverter rekeyer = new ValueConverter(client, pairs, journal, retry,
                    migration.target() == null ? null : migration.target().kmsName(), migration.strategy(), oldToNew,
                    migration.rekey().batchSize(), listener);
            journal.stage(migrationId, MigrationRecord.Stage.REENCRYPTING);
            if (rekeyer.run(journal.get(migrationId), cancelled) == MigrationResult.Outcome.INTERRUPTED) {
                return interrupted(migrationId);
            }
            // Fresh clients that know only the target: what they decrypt, they open from the key vault as it is now.
            List<ClientEncryption> verifying = new ArrayList<>();
            if (rekey) {
                for (int i = 0; i < workers; i++) {
                    verifying.add(ClientEncryptions.create(settings, keyVault, targetOnly));
                }
                encryptions.addAll(verifying);
            }
            journal.stage(migrationId, MigrationRecord.Stage.FINAL_PASS);
            Optional<Verification> found;
            try {
                found = new ValueVerifier(client, retry).finalPass(journal.get(migrationId), verifying, rekeyer, cancelled);
            } catch (KmsUnavailableException unanswered) {
                return unverified(migrationId, unanswered);
            }
            if (found.isEmpty()) {
                return interrupted(migrationId);
            }
            verification = found.get();
        } finally {
            encryptions.forEach(ClientEncryption::close);
            sourceOnly.close();
            if (targetOnly != null) {
                targetOnly.close();
            }
        }
        Duration runTime = Duration.ofNanos(System.nanoTime() - started);
        journal.verification(migrationId, verification.toBson());
        MigrationRecord verified = journal.get(migrationId);
        if (verification.passed() && verified.rekey().moveAltNames() && !verified.rekey().altNamesMoved()) {
            moveAltNames(verified);
        }
        finish(migrationId, verification.passed());
        MigrationRecord finished = journal.get(migrationId);
        MigrationReport report = recorded(new MigrationReport(finished, Instant.now(), runTime, finished.retries(), -1,
                verification, nextSteps(finished, verification.passed())));
        Path html = report.write(reportDirectory);
        LOG.info("Migration {} {}; report {}", migrationId, verification.passed() ? "verified" : "NOT verified", html);
        return new MigrationResult(MigrationResult.Outcome.COMPLETED, finished, report, html);
    }

    /**
     * REKEY's first step on its own: creates the new keys not yet created and journals each, so the
     * schema can be switched to them (the safe order) before any value is re-encrypted. Re-runnable.
     */
    public Map<UUID, UUID> createKeys(String migrationId, KmsTarget target, MigrationListener listener) {
        MigrationRecord migration = resumable(migrationId);
        requireJournaledTarget(migration, target);
        try (KmsProviders targetOnly = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings, keyVault, targetOnly)) {
            return createKeys(migration, encryption, listener);
        }
    }

    /** @param encryption a client that knows only the target provider */
    private Map<UUID, UUID> createKeys(MigrationRecord migration, ClientEncryption encryption, MigrationListener listener) {
        journal.stage(migration.id(), MigrationRecord.Stage.CREATING_KEYS);
        Map<UUID, UUID> oldToNew = new NewKeyCreator(encryption, keyVaultCollection(), journal, retry)
                .ensure(migration, listener);
        MigrationRecord.Chunk keys = migration.chunks().get(0);
        journal.chunk(migration.id(), new MigrationRecord.Chunk(0, keys.keyIds(), true, oldToNew.size(), 1));
        return oldToNew;
    }

    private MigrationResult interrupted(String migrationId) {
        journal.stage(migrationId, MigrationRecord.Stage.INTERRUPTED);
        return new MigrationResult(MigrationResult.Outcome.INTERRUPTED, runStopped(migrationId), null, null);
    }

    /** Alt names come from the backup: what the old keys had before the migration touched anything. */
    private void moveAltNames(MigrationRecord migration) {
        journal.stage(migration.id(), MigrationRecord.Stage.MOVING_ALT_NAMES);
        Map<UUID, List<String>> altNames = KeyVaultBackup.read(migration.backupFile()).altNames();
        int moved = new AltNameMover(keyVaultCollection()).move(altNames, migration.rekey().oldToNew());
        LOG.info("Migration {}: {} alt name(s) moved to the new keys", migration.id(), moved);
        journal.altNamesMoved(migration.id());
    }

}
