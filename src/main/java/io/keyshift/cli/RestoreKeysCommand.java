package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.migrate.KeyVaultBackup;
import org.bson.BsonDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keyshift restore-keys}: puts backed-up data keys back, only where they differ. */
@Command(name = "restore-keys", mixinStandardHelpOptions = true,
        description = {"Restore data keys from a KeyShift key backup (written before every migration).",
                "Each key document replaces the current one with the same _id, only where they differ;",
                "the backup's SHA-256 is checked first, and keys no longer in the vault are listed, not re-created."})
final class RestoreKeysCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The backup file.")
    private Path file;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    private boolean yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KeyVaultBackup.Contents backup = KeyVaultBackup.read(file);
        MongoNamespace keyVault = KeyVault.namespace(backup.keyVaultNamespace());
        out.println("Backup of " + backup.keys().size() + " key(s) of " + backup.keyVaultNamespace() + ", taken "
                + backup.createdAt() + ", SHA-256 verified.");
        if (!yes) {
            Console console = System.console();
            if (console == null) {
                throw new KeyShiftException("There is no terminal to confirm on, and --yes was not given: nothing was written.");
            }
            out.flush();
            String answer = console.readLine("Restore these keys into %s? Type yes to go on: ", keyVault.getFullName());
            if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
                out.println("Not confirmed; nothing was written.");
                return ExitCodes.USAGE_OR_CONNECTION;
            }
        }
        try (MongoClient client = ClusterConnection.open(cluster.profile().clientSettings())) {
            KeyVaultBackup.RestoreResult result = KeyVaultBackup.restore(client.getDatabase(keyVault.getDatabaseName())
                    .getCollection(keyVault.getCollectionName(), BsonDocument.class).withWriteConcern(WriteConcern.MAJORITY), backup);
            out.println("Restored " + result.restored() + " key(s); " + result.alreadyIdentical() + " already identical.");
            result.missingFromVault().forEach(id -> out.println("  Not in the vault any more, not re-created: " + id));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
