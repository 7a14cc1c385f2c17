package io.keyshift.cli;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationPlan;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code keyshift bench rewrap --keys N}: rewraps N data keys on a fresh sandbox through the real
 * pipeline and prints keys per second and the share of time outside database commands (KMS calls).
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = "Rewrap N data keys on a fresh sandbox and print keys/s and the share of time spent in KMS calls.")
final class BenchRewrapCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--keys", paramLabel = "N", description = "Data keys to rewrap (default: ${DEFAULT-VALUE}).")
    private int keys = 10_000;

    @Option(names = "--chunk", paramLabel = "N", description = "Keys per rewrapManyDataKey call (default: ${DEFAULT-VALUE}).")
    private int chunk = MigrationRequest.DEFAULT_CHUNK;

    @Option(names = "--kms-concurrency", paramLabel = "N", description = "Chunks rewrapped at once (default: ${DEFAULT-VALUE}).")
    private int kmsConcurrency = Migrations.DEFAULT_KMS_CONCURRENCY;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (BenchSandbox bench = new BenchSandbox("rewrap", 10)) {
            MongoClientSettings settings = bench.settings;
            MongoNamespace keyVault = bench.keyVault;
            LocalMasterKey localKey = bench.localKey;
            AwsTarget target = bench.target;
            Path dir = bench.dir;
            int extra = Math.max(0, keys - bench.sandbox.dataKeyIds().size());
            long seeding = System.nanoTime();
            try (LocalProvider localProvider = LocalProvider.of("local", localKey, null);
                 KmsProviders local = new KmsProviders().with(localProvider);
                 ClientEncryption encryption = ClientEncryptions.create(settings, keyVault, local)) {
                for (int i = 0; i < extra; i++) {
                    encryption.createDataKey("local", new DataKeyOptions());
                }
            }
            out.printf("Seeded %d data keys under the local master key in %.1f s%n", keys,
                    (System.nanoTime() - seeding) / 1e9);
            Migrations migration = new Migrations(bench.client, settings, keyVault, Migrations.DEFAULT_JOURNAL_COLLECTION)
                    .kmsConcurrency(kmsConcurrency);
            MigrationPlan plan = migration.plan(new MigrationRequest(Strategy.REWRAP, List.of(), "local", target.kmsTarget(), chunk,
                    MigrationRequest.DEFAULT_BATCH, MigrationRequest.DEFAULT_WORKERS, false, false, dir.resolve("backup.json")));
            long backupStarted = System.nanoTime();
            MigrationRecord record = migration.begin(plan);
            double backupSeconds = (System.nanoTime() - backupStarted) / 1e9;
            MigrationResult result = migration.run(record.id(), List.of(bench.source), target.kmsTarget(), dir.resolve("reports"),
                    MigrationRunner.progressPrinter(out), () -> false);
            out.printf("%nKeys rewrapped:          %d in %d chunk(s) of %d, %d at a time%n", result.migration().keyCount(),
                    result.migration().chunks().size(), chunk, kmsConcurrency);
            out.printf("Backup of the keys:      %.1f s%n", backupSeconds);
            out.printf("Rewrap time:             %.1f s%n", result.report().rewrapDuration().toMillis() / 1000.0);
            out.printf("Rewrap rate:             %.0f keys/s%n", result.report().keysPerSecond());
            out.printf("Share outside database:  %.0f %% (KMS Encrypt calls and local unwrapping)%n",
                    result.report().kmsShare() * 100);
            out.printf("KMS retries:             %d%n", result.report().retries());
            out.printf("Verified (AWS only):     %s%n", result.verified() ? "yes" : "NO");
            out.flush();
            return result.verified() ? ExitCodes.OK : ExitCodes.BLOCKED;
        }
    }
}
