package io.keyshift.cli;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.MigrationRecord;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code keyshift migrations}: the journaled migrations, newest first. */
@Command(name = "migrations", mixinStandardHelpOptions = true, description = "List the journaled migrations of a key vault.")
final class MigrationsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private JournalOptions journal;

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MongoClient client = ClusterConnection.open(cluster.profile().clientSettings())) {
            List<MigrationRecord> migrations = new Migrations(client, cluster.profile().clientSettings(), cluster.keyVaultNamespace(),
                    journal.collection).list();
            if (json) {
                BsonArray array = new BsonArray();
                migrations.forEach(m -> array.add(new BsonDocument("id", new BsonString(m.id()))
                        .append("strategy", new BsonString(m.strategy().name()))
                        .append("stage", new BsonString(m.stage().name()))
                        .append("keysDone", new BsonInt32(m.keysDone()))
                        .append("keys", new BsonInt32(m.keyCount()))
                        .append("createdAt", new BsonString(m.createdAt().toString()))
                        .append("createdBy", new BsonString(m.createdBy()))
                        .append("cmk", new BsonString(destination(m)))));
                out.println(new BsonDocument("migrations", array)
                        .toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build()));
            } else if (migrations.isEmpty()) {
                out.println("No migration is journaled for " + cluster.keyVault + ".");
            } else {
                TextTable table = new TextTable("ID", "STRATEGY", "STAGE", "KEYS", "STARTED", "BY", "TO");
                migrations.forEach(m -> table.row(m.id(), m.strategy().name(), m.stage().name(),
                        m.keysDone() + "/" + m.keyCount(), m.createdAt().toString(), m.createdBy(), destination(m)));
                table.print(out, "");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The CMK the keys move to; DECRYPT has none. */
    private static String destination(MigrationRecord m) {
        return m.target() == null ? "plaintext" : m.target().cmk() != null ? m.target().cmk() : m.target().describe();
    }
}
