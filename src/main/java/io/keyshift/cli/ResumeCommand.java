package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.migrate.MigrationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keyshift resume}: continues a journaled migration after a crash, Ctrl-C or failure. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue a journaled migration from where it stopped, on this workstation or another.",
                "The target's key comes from the journal; what opens the keys (key files, credentials, KMIP certificates)"
                        + " from the same provider options as migrate."})
final class ResumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private KmsOptions kms;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration id (see `keyshift migrations`).")
    private String migrationId;

    @Option(names = "--report", paramLabel = "DIR", description = "Where the report goes (default: ~/.local/share/keyshift/reports).")
    private Path reportDirectory = MigrationReport.defaultDirectory();

    @Option(names = "--batch", paramLabel = "N",
            description = "rekey/decrypt: documents per batch from now on, 1 to 10000 (default: the journaled value).")
    private Integer batch;

    @Option(names = "--workers", paramLabel = "N",
            description = "rekey/decrypt: batches converted in parallel from now on, 1 to 32 (default: the journaled value).")
    private Integer workers;

    @Mixin
    private JournalOptions journal;

    private static String progress(MigrationRecord record) {
        if (record.rekey() == null) {
            return ": " + record.keysDone() + " of " + record.keyCount() + " keys already rewrapped.";
        }
        long done = record.rekey().collections().stream().filter(MigrationRecord.CollectionCheckpoint::done).count();
        return ": " + record.rekey().dekMapping().size() + " new key(s) created, " + done + " of "
                + record.rekey().collections().size() + " collection(s) done; batches of " + record.rekey().batchSize()
                + " documents, " + record.rekey().workers() + " worker(s).";
    }

    @Override
    public Integer call() {
        Migrations.requireWritable(reportDirectory);
        PrintWriter out = spec.commandLine().getOut();
        ConnectionProfile profile = cluster.profile();
        try (MongoClient client = ClusterConnection.open(profile.clientSettings())) {
            Migrations migrations = new Migrations(client, profile.clientSettings(), cluster.keyVaultNamespace(),
                    journal.collection);
            MigrationRecord record = batch == null && workers == null ? migrations.get(migrationId)
                    : migrations.changeRunSettings(migrationId, batch, workers);
            if (record.stage() == MigrationRecord.Stage.DONE) {
                out.println("Migration " + record.id() + " (" + record.strategy() + ") is already done and verified:"
                        + " nothing to do.");
                out.flush();
                return ExitCodes.OK;
            }
            KmsTarget target = record.target() == null ? null : kms.journaledTarget(record.target());
            try (KmsProvider targetProvider = target == null ? null : target.provider();
                 OpenedProviders sources = kms.sourceProviders(record.sourceProvider())) {
                out.println("Resuming " + record.id() + " (" + record.strategy() + ", " + record.stage().inWords() + ")"
                        + progress(record));
                out.flush();
                MigrationResult result = MigrationRunner.run(out, cancelled -> migrations.run(record.id(), sources.providers(),
                        target, reportDirectory, MigrationRunner.progressPrinter(out), cancelled));
                int exit = MigrationRunner.conclude(result, out);
                out.flush();
                return exit;
            }
        }
    }
}
