package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.KeyRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code keyshift restore-keys}: puts backed-up data keys back, only where they differ, once checked. */
@Command(name = "restore-keys", mixinStandardHelpOptions = true,
        description = {"Restore data keys from a KeyShift key backup (written before every migration).",
                "Before anything is written, the backup's SHA-256 must be the one its",
                "migration's journal entry recorded, and every key to restore must open with its",
                "master key, given as to migrate: --local-key, AWS credentials (the default",
                "chain or --profile), the KMIP options, Azure or Google Cloud credentials. The",
                "keys are proved in a scratch collection beside the key vault",
                "(keyshift_restore_checks), removed again. Shows each change, then asks",
                "(or --yes).",
                "Exit code 0; 2 when a check refuses the restore (nothing is written)."})
final class RestoreKeysCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private KmsOptions kms;

    @Mixin
    private JournalOptions journal;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The backup file.")
    private Path file;

    @Option(names = "--migration", paramLabel = "ID",
            description = "The migration the backup belongs to (default: the one whose journal entry records its SHA-256).")
    private String migrationId;

    @Option(names = "--accept-unjournaled",
            description = "Restore a backup that belongs to no journaled migration (its hash cannot be checked).")
    private boolean acceptUnjournaled;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    private boolean yes;

    @Override
    public Integer call() {
        List<String> targetOptions = Stream.of("--region", "--cmk", "--endpoint")
                .filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
        if (!targetOptions.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "restore-keys takes each key's master key (region, CMK,"
                    + " endpoint) from the backup: leave out " + String.join(" and ", targetOptions) + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        String keyVaultGiven = spec.commandLine().getParseResult().hasMatchedOption("--key-vault") ? cluster.keyVault : null;
        ConnectionProfile profile = cluster.profile();
        try (MongoClient client = ClusterConnection.open(profile.clientSettings());
             OpenedProviders providers = kms.givenSourceProviders()) {
            KeyRestore restore = new KeyRestore(client, profile.clientSettings(), journal.collection);
            KeyRestore.Review review = restore.review(file, keyVaultGiven, migrationId, acceptUnjournaled,
                    providers.providers());
            print(review, out);
            if (!review.allowed()) {
                out.println("Refused; nothing was written:");
                review.refusals().forEach(refusal -> out.println("  ✗ " + refusal));
                out.flush();
                return ExitCodes.BLOCKED;
            }
            if (review.changes().isEmpty()) {
                out.println("Nothing to restore: every key in the backup is as it is in the vault, or no longer there.");
                out.flush();
                return ExitCodes.OK;
            }
            if (!confirmed(review, out)) {
                out.println("Not confirmed; nothing was written.");
                out.flush();
                return ExitCodes.USAGE_OR_CONNECTION;
            }
            out.println("Restored " + restore.restore(review) + " key(s).");
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void print(KeyRestore.Review review, PrintWriter out) {
        out.println("Backup of " + review.backup().keys().size() + " key(s) of " + review.backup().keyVaultNamespace()
                + ", taken " + review.backup().createdAt() + ", SHA-256 " + review.backup().sha256() + ".");
        out.println(review.migrationId() == null ? "It belongs to no journaled migration."
                : "It is the backup migration " + review.migrationId() + " recorded in its journal entry.");
        if (!review.changes().isEmpty()) {
            out.println("Would change (current provider, updated → restored provider, updated):");
            review.changes().forEach(change -> out.println("  " + change.id() + ": " + change.currentProvider() + ", "
                    + change.currentUpdate() + " → " + change.restoredProvider() + ", " + change.restoredUpdate()));
        }
        out.println(review.identical() + " key(s) already identical.");
        review.missingFromVault().forEach(id -> out.println("  Not in the vault any more, not re-created: " + id));
        out.flush();
    }

    private boolean confirmed(KeyRestore.Review review, PrintWriter out) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new KeyShiftException("There is no terminal to confirm on, and --yes was not given: nothing was written.");
        }
        out.flush();
        String answer = console.readLine("Restore these %d key(s) into %s? Type yes to go on: ", review.changes().size(),
                review.backup().keyVaultNamespace());
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
