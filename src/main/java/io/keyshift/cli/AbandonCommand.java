package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.migrate.Abandonment;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.Strategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code keyshift abandon}: gives up an unfinished migration so its keys may be migrated again. */
@Command(name = "abandon", mixinStandardHelpOptions = true,
        description = {"Abandon an unfinished migration and release its keys.",
                "REKEY: deletes the new keys it created, only once a full scan proves no value uses them, and puts",
                "keyAltNames back. REWRAP and DECRYPT: nothing is undone (restore-keys puts the backup back).",
                "Asks you to type the migration id, unless --yes."})
final class AbandonCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private JournalOptions journal;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration id (see `keyshift migrations`).")
    private String migrationId;

    @Option(names = "--yes", description = "Do not ask for the typed confirmation (for scripts).")
    private boolean yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MongoClient client = ClusterConnection.open(cluster.profile().clientSettings())) {
            Migrations migrations = new Migrations(client, cluster.profile().clientSettings(), cluster.keyVaultNamespace(),
                    journal.collection);
            Abandonment.Plan plan = migrations.planAbandon(migrationId);
            plan.describe().forEach(out::println);
            if (!confirmed(out)) {
                out.println("Not confirmed; nothing was changed.");
                return ExitCodes.USAGE_OR_CONNECTION;
            }
            if (plan.strategy() == Strategy.REKEY && !plan.newToOld().isEmpty()) {
                out.println("Scanning every collection for values under its new keys…");
                out.flush();
            }
            migrations.abandon(plan).describe().forEach(out::println);
            out.flush();
            return ExitCodes.OK;
        }
    }

    private boolean confirmed(PrintWriter out) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new KeyShiftException("There is no terminal to confirm on, and --yes was not given: nothing was changed."
                    + " Run again on a terminal, or with --yes.");
        }
        out.flush();
        String answer = console.readLine("Type the migration id (%s) to abandon it: ", migrationId);
        return answer != null && answer.strip().equals(migrationId);
    }
}
