package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KeyPreflight;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.kms.SourceProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The REWRAP pipeline, one stage per method so the wizard can show each: plan (reads only),
 * preflight (reads only), begin (backup, then the journal entry), run (rewrap, verify with an
 * AWS-only client, report). {@link #run} also resumes a migration from its journal entry.
 */
final class RewrapMigration extends MigrationPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RewrapMigration.class);

    public RewrapMigration(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault,
                          String journalCollection, KmsRetry retry) {
        super(client, settings, keyVault, journalCollection, retry);
    }

    /**
     * How many chunks {@link #run} rewraps at a time, and keys its verification probes at a time, each
     * with one KMS call in flight (default {@value Bounds#DEFAULT_KMS_CONCURRENCY}).
     */
    public RewrapMigration kmsConcurrency(int calls) {
        Bounds.requireKmsConcurrency(calls);
        this.kmsConcurrency = calls;
        return this;
    }

    /** A dry run: what would change. Writes nothing. */
    public RewrapPlan plan(List<UUID> selectedIds, String sourceProvider, KmsTarget target, int chunkSize, Path backupFile) {
        // The target's warnings ask its KMS while the key vault is read.
        return Alongside.run(() -> targetWarnings(target), () -> RewrapPlanner.plan(KeyVault.open(client, keyVault),
                selectedIds, sourceProvider, target, chunkSize, backupFile), (warnings, plan) -> plan.withWarnings(warnings));
    }

    /**
     * The checks that must pass before the first write, with any unfinished migration holding the
     * keys. Writes nothing.
     */
    public MigrationPreflight preflight(RewrapPlan plan, SourceProviders sources, KmsTarget target) {
        List<String> problems = new ArrayList<>();
        // The target's checks call its KMS while the keys are probed and the cluster is read.
        return Alongside.run(() -> targetCheck(target, sources), () -> {
            PreflightReport sourceReport = new KeyPreflight(settings, keyVault).check(sources, plan.keys());
            problems.addAll(heldBy(plan.keyIds()));
            problems.addAll(MigrationPreflight.blockingClusterProblems(new ClusterProbe(client).probe(keyVault)));
            return sourceReport;
        }, (targetReport, sourceReport) -> new MigrationPreflight(sourceReport, targetReport, problems));
    }

    /**
     * Claims the selected keys, journals the migration, then backs the keys up. Nothing is written
     * before the claim, and nothing is rewrapped before the backup.
     *
     * @throws MigrationBlockedException when an unfinished migration holds any of the keys
     */
    public MigrationRecord begin(RewrapPlan plan) {
        Instant now = Instant.now();
        String id = MigrationIds.newId(Strategy.REWRAP, now);
        String startedBy = MigrationIds.whoAmI();
        claimForNewMigration(id, Strategy.REWRAP, startedBy, plan.keyIds());
        MigrationRecord record = journalAndBackUp(new MigrationRecord(id, Strategy.REWRAP, startedBy, now, plan.keyVault(),
                plan.sourceProvider(), plan.target(), plan.backupFile().toAbsolutePath(), null, MigrationRecord.Stage.PLANNED,
                plan.chunkList(), 0, plan.warnings(), null));
        LOG.info("Migration {} journaled in {}: {} keys in {} chunks, backup {}", record.id(), journal.namespace(),
                plan.keys().size(), plan.chunks(), plan.backupFile());
        return record;
    }

    /**
     * Rewraps what is not yet done, then verifies with a client that knows only the target provider and
     * writes the report. Returns early, resumable, when {@code cancelled} turns true between chunks.
     */
    public MigrationResult run(String migrationId, SourceProviders sources, KmsTarget target, Path reportDirectory,
                               MigrationListener listener, BooleanSupplier cancelled) {
        MigrationRecord migration = resumable(migrationId);
        requireJournaledTarget(migration, target);
        String via = migration.target().via();
        runStarts(migration);
        CommandTimer database = new CommandTimer();
        MongoClientSettings timed = MongoClientSettings.builder(settings).addCommandListener(database).build();
        long started = System.nanoTime();
        MigrationResult.Outcome outcome;
        List<ClientEncryption> encryptions = new ArrayList<>();
        List<Rewrapper.Worker> workers = new ArrayList<>();
        // Through a via name, the target's material is under that name while the source keeps its own.
        try (KmsProvider underVia = via == null ? null : target.provider().named(via);
             KmsProviders fromSource = sources.kmsProviders().with(via == null ? target.provider() : underVia);
             KmsProviders backFromVia = via == null ? null : new KmsProviders().with(underVia).with(target.provider())) {
            for (int i = 0; i < kmsConcurrency; i++) {
                ClientEncryption first = ClientEncryptions.create(timed, keyVault, fromSource);
                encryptions.add(first);
                ClientEncryption back = backFromVia == null ? null : ClientEncryptions.create(timed, keyVault, backFromVia);
                if (back != null) {
                    encryptions.add(back);
                }
                workers.add(new Rewrapper.Worker(first, back));
            }
            outcome = new Rewrapper(workers, keyVaultCollection(), journal, retry).run(migration, listener, cancelled);
        } finally {
            encryptions.forEach(ClientEncryption::close);
        }
        Duration rewrapTime = Duration.ofNanos(System.nanoTime() - started);
        if (outcome == MigrationResult.Outcome.INTERRUPTED) {
            return new MigrationResult(outcome, runStopped(migrationId), null, null);
        }
        journal.stage(migrationId, MigrationRecord.Stage.VERIFYING);
        Verification verification;
        try {
            verification = verify(journal.get(migrationId), target);
        } catch (KmsUnavailableException unanswered) {
            return unverified(migrationId, unanswered);
        }
        journal.verification(migrationId, verification.toBson());
        finish(migrationId, verification.passed());
        MigrationRecord finished = journal.get(migrationId);
        double kmsShare = 1.0 - Math.min(1.0, database.totalNanos() / (double) Math.max(1, rewrapTime.toNanos() * kmsConcurrency));
        MigrationReport report = recorded(new MigrationReport(finished, Instant.now(), rewrapTime, finished.retries(), kmsShare,
                verification, nextSteps(finished, verification.passed())));
        Path html = report.write(reportDirectory);
        LOG.info("Migration {} {}; report {}", migrationId, verification.passed() ? "verified" : "NOT verified", html);
        return new MigrationResult(outcome, finished, report, html);
    }

}
