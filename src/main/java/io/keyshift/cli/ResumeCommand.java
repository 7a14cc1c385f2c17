package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
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
                "The CMK, region and endpoint come from the journal; credentials from the environment or --profile."})
final class ResumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private AwsOptions aws;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration id (see `keyshift migrations`).")
    private String migrationId;

    @Option(names = "--local-key", required = true, paramLabel = "FILE", description = "The local master key file.")
    private Path localKeyFile;

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
        try (MongoClient client = ClusterConnection.open(profile.clientSettings());
             LocalMasterKey localKey = LocalMasterKey.load(localKeyFile)) {
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
            MigrationRecord.Target journaled = record.target();
            out.println("Resuming " + record.id() + " (" + record.strategy() + ", " + record.stage().inWords() + ")"
                    + progress(record));
            out.flush();
            try (AwsTarget target = journaled == null ? null
                    : aws.target(journaled.region(), journaled.cmk(), journaled.endpoint())) {
                MigrationResult result = MigrationRunner.run(out, cancelled -> migrations.run(record.id(), localKey, target,
                        reportDirectory, MigrationRunner.progressPrinter(out), cancelled));
                int exit = MigrationRunner.conclude(result, out);
                out.flush();
                return exit;
            }
        }
    }
}
