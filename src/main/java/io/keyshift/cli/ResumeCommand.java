package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.Journal;
import io.keyshift.core.migrate.KmsRetry;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.RewrapMigration;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.report.MigrationReport;
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

    @Option(names = "--journal-collection", paramLabel = "NAME", description = "Journal collection (default: ${DEFAULT-VALUE}).")
    private String journalCollection = Journal.DEFAULT_COLLECTION;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConnectionProfile profile = cluster.profile();
        try (MongoClient client = ClusterConnection.open(profile.clientSettings());
             LocalMasterKey localKey = LocalMasterKey.load(localKeyFile)) {
            RewrapMigration migration = new RewrapMigration(client, profile.clientSettings(), cluster.keyVaultNamespace(),
                    journalCollection, KmsRetry.standard());
            MigrationRecord record = migration.journal().get(migrationId);
            MigrationRecord.Target journaled = record.target();
            try (AwsTarget target = aws.target(journaled.region(), journaled.cmk(), journaled.endpoint())) {
                out.println("Resuming " + record.id() + " (" + record.stage() + "): " + record.keysDone() + " of "
                        + record.keyCount() + " keys already rewrapped.");
                out.flush();
                RewrapMigration.Result result = MigrationRunner.run(out, run ->
                        migration.run(record.id(), localKey, target, reportDirectory, run.listener(), run.cancelled()));
                int exit = MigrationRunner.conclude(result, out);
                out.flush();
                return exit;
            }
        }
    }
}
