package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.migrate.KmsUnavailableException;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code keyshift verify}: verifies a journaled migration again, with only the target provider. Reads only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a journaled migration again with a client that knows only the target provider; writes nothing.",
                "The target's key comes from the journal; its credentials, key file or certificates from the provider"
                        + " options, as for migrate."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private KmsOptions kms;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration id (see `keyshift migrations`).")
    private String migrationId;

    @Mixin
    private JournalOptions journal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConnectionProfile profile = cluster.profile();
        try (MongoClient client = ClusterConnection.open(profile.clientSettings())) {
            Migrations migrations = new Migrations(client, profile.clientSettings(), cluster.keyVaultNamespace(),
                    journal.collection);
            MigrationRecord record = migrations.get(migrationId);
            KmsTarget target = record.target() == null ? null : kms.journaledTarget(record.target());
            try (KmsProvider targetProvider = target == null ? null : target.provider()) {
                Verification verification;
                try {
                    verification = migrations.verify(record.id(), target);
                } catch (KmsUnavailableException unanswered) {
                    out.println(unanswered.getMessage() + ", so nothing could be verified; nothing was found wrong."
                            + " Run `keyshift verify` again once " + record.target().kmsName() + " answers.");
                    out.flush();
                    return ExitCodes.INTERRUPTED;
                }
                out.println("Verification of " + record.id() + " (" + record.strategy() + ", stage " + record.stage() + "):");
                MigrationRunner.printChecks(verification, out);
                out.println(verification.passed() ? "Verified." : "Verification found problems (above).");
                out.flush();
                return verification.passed() ? ExitCodes.OK : ExitCodes.BLOCKED;
            }
        }
    }
}
