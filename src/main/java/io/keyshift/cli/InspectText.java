package io.keyshift.cli;

import io.keyshift.core.Version;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.inspect.InspectJson;
import io.keyshift.core.inspect.InspectReport;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.Libmongocrypt;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.KeyUse;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.UnreadableValues;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/** Prints an inspect report for a terminal: topology, data key table, usage map, preflight. */
final class InspectText {

    private InspectText() {
    }

    static void print(InspectReport report, PrintWriter out) {
        printCluster(report.cluster(), out);
        printKeys(report, out);
        printUsage(report, out);
        report.preflight().ifPresent(preflight -> printPreflight(preflight, out));
        out.flush();
    }

    private static void printCluster(ClusterReport cluster, PrintWriter out) {
        out.println("KeyShift " + Version.current() + " with libmongocrypt " + Libmongocrypt.version() + " (bundled)");
        out.println();
        out.println("Cluster");
        out.println("  topology     " + cluster.topology().label()
                + (cluster.topology() == ClusterReport.Topology.REPLICA_SET ? " " + cluster.setName() : ""));
        out.println("  server       " + cluster.serverFlavor() + ", MongoDB version " + cluster.serverVersion()
                + ", featureCompatibilityVersion " + cluster.featureCompatibilityVersion());
        out.println("  primary      " + cluster.primary());
        for (ClusterReport.Member member : cluster.members()) {
            out.println("  member       " + member.host() + "  " + member.state() + "  " + member.health());
        }
        out.println("  user         " + (cluster.users().isEmpty() ? "not authenticated" : String.join(", ", cluster.users())));
        out.println("  roles        " + (cluster.roles().isEmpty() ? "-" : String.join(", ", cluster.roles())));
        for (String warning : cluster.warnings()) {
            out.println("  WARNING      " + warning);
        }
        out.println();
    }

    private static void printKeys(InspectReport report, PrintWriter out) {
        out.println("Key vault " + report.keyVault().getFullName() + ": " + report.keys().size() + " data keys,"
                + " keyAltNames index " + report.altNamesIndex().label());
        if (!report.keys().isEmpty()) {
            TextTable table = new TextTable("ID", "ALT NAMES", "PROVIDER", "MASTER KEY", "CREATED", "UPDATED", "STATUS", "USED BY");
            for (DataKey key : report.keys()) {
                table.row(key.id().toString(),
                        key.keyAltNames().isEmpty() ? "-" : String.join(",", key.keyAltNames()),
                        key.masterKey().provider(),
                        key.masterKey().summary(),
                        date(key.creationDate()),
                        date(key.updateDate()),
                        key.status() == null ? "-" : key.status().toString(),
                        usedBy(report.keyUsage().usesOf(key.id())));
            }
            table.print(out, "  ");
        }
        out.println();
    }

    private static void printUsage(InspectReport report, PrintWriter out) {
        out.println("Usage (scan " + report.usage().mode() + ")");
        for (NamespaceUsage namespace : report.usage().namespaces()) {
            out.println("  " + namespace.namespace() + ": " + namespace.documentsScanned() + " documents scanned"
                    + (namespace.fields().isEmpty() && namespace.unreadable().isEmpty() ? ", no encrypted values" : "")
                    + (namespace.truncated() ? " (too many distinct fields: only the first ones are listed)" : ""));
            if (!namespace.fields().isEmpty()) {
                TextTable table = new TextTable("FIELD", "DATA KEY", "VALUES", "ALGORITHM");
                for (FieldUsage field : namespace.fields()) {
                    table.row(field.path(), field.keyId().toString(), Long.toString(field.values()), algorithms(field));
                }
                table.print(out, "    ");
            }
            for (UnreadableValues unreadable : namespace.unreadable()) {
                out.println("    " + unreadable.path() + "  " + unreadable.values() + " unreadable values: "
                        + unreadable.reason());
            }
        }
        report.keyUsage().missing().forEach((id, uses) ->
                out.println("  MISSING      data key " + id + " is not in the key vault but is used by "
                        + usedBy(uses) + ": that data cannot be decrypted unless the key is restored."));
        List<UUID> unused = report.keyUsage().unused();
        if (!unused.isEmpty()) {
            out.println("  unused       " + unused.size() + " data key(s) used by nothing seen"
                    + (report.usage().mode().isFull() ? "" : " in the sample") + ": "
                    + unused.stream().map(UUID::toString).collect(Collectors.joining(", ")));
        }
        out.println();
    }

    private static void printPreflight(PreflightReport preflight, PrintWriter out) {
        out.println("Preflight of the local master key: " + preflight.count(KeyCheck.Outcome.OK) + " ok, "
                + preflight.count(KeyCheck.Outcome.FAILS) + " failing, " + preflight.count(KeyCheck.Outcome.SKIPPED)
                + " skipped");
        for (KeyCheck check : preflight.checks()) {
            out.println("  " + check.keyId() + "  " + check.provider() + "  "
                    + check.outcome().name().toLowerCase(Locale.ROOT)
                    + (check.reason().isEmpty() ? "" : ": " + check.reason()));
        }
        if (!preflight.passed()) {
            out.println("  BLOCKED      " + preflight.failures().size() + " data key(s) do not decrypt with this key"
                    + " file: find the master key they were made with before migrating them.");
        }
    }

    private static String usedBy(List<KeyUse> uses) {
        return uses.isEmpty() ? "-" : uses.stream().map(KeyUse::toString).collect(Collectors.joining("; "));
    }

    private static String algorithms(FieldUsage field) {
        return field.algorithms().stream().sorted().map(InspectJson::algorithm).collect(Collectors.joining(","));
    }

    private static String date(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }
}
