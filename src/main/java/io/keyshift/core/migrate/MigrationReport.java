package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a migration did, for the DBA's records: who, when, which keys, how long, how many retries,
 * the backup and its hash, and what verification found. Written as JSON and as a self-contained
 * HTML page (no external assets, so it opens from an archive years later).
 *
 * @param rewrapDuration the time of the rewrap (REWRAP) or of the conversion passes (REKEY, DECRYPT)
 * @param kmsShare the share of the rewrap's time spent outside database commands (KMS calls and
 *                 local cryptography), from 0 to 1; REWRAP only (the other strategies pass -1)
 * @param nextSteps what the DBA must do now, and what became of the schema
 * @param context   the cluster, the history of the runs, and the keys' alt names as backed up
 */
public record MigrationReport(MigrationRecord migration,
                              Instant finishedAt,
                              Duration rewrapDuration,
                              long retries,
                              double kmsShare,
                              Verification verification,
                              NextSteps nextSteps,
                              Context context) {

    /**
     * The settings every application deploys now, in Java, Node.js and Python: the target's provider and
     * masterKey, beside the source's provider while a data key they use is still under it. Empty for
     * DECRYPT, whose values need no KMS any more.
     */
    public String applicationSettings() {
        return migration.target() == null ? "" : ApplicationSettings.of(migration.target(), nextSteps.sourceStillInUse()
                ? Optional.of(migration.sourceProvider()) : Optional.empty()).all();
    }

    /**
     * Where and how the migration ran.
     *
     * @param setName  the replica set's name; {@code none} when not a replica set
     * @param hosts    the cluster's members as host:port
     * @param history  every run's start and stop, oldest first
     * @param altNames each migrated key's keyAltNames before the migration (from the backup)
     */
    public record Context(String setName, List<String> hosts, List<MigrationEvent> history, Map<UUID, List<String>> altNames) {
        public static final Context UNKNOWN = new Context("unknown", List.of(), List.of(), Map.of());

        public Context {
            hosts = List.copyOf(hosts);
            history = List.copyOf(history);
            altNames = Map.copyOf(altNames);
        }
    }

    public MigrationReport(MigrationRecord migration, Instant finishedAt, Duration rewrapDuration, long retries, double kmsShare,
                           Verification verification, NextSteps nextSteps) {
        this(migration, finishedAt, rewrapDuration, retries, kmsShare, verification, nextSteps, Context.UNKNOWN);
    }

    public MigrationReport withContext(Context known) {
        return new MigrationReport(migration, finishedAt, rewrapDuration, retries, kmsShare, verification, nextSteps, known);
    }

    public BsonDocument toBson() {
        MigrationRecord m = migration;
        BsonArray keys = new BsonArray(m.keyIds().stream().map(id -> (BsonValue) new BsonString(id.toString())).toList());
        BsonDocument document = new BsonDocument("migration", new BsonString(m.id()))
                .append("strategy", new BsonString(m.strategy().name()))
                .append("by", new BsonString(m.createdBy()))
                .append("startedAt", new BsonString(m.createdAt().toString()))
                .append("finishedAt", new BsonString(finishedAt.toString()))
                .append("cluster", new BsonDocument("setName", new BsonString(context.setName()))
                        .append("hosts", strings(context.hosts())))
                .append("keyVault", new BsonString(m.keyVault()))
                .append("from", new BsonString(m.sourceProvider()))
                .append("to", m.target() == null ? new BsonString("plaintext") : target(m.target()))
                .append("keys", new BsonInt32(m.keyCount()))
                .append("keyIds", keys)
                .append("keyMapping", keyMapping())
                .append("history", new BsonArray(context.history().stream().map(event -> (BsonValue) event.toBson()).toList()));
        if (m.rekey() == null) {
            appendRewrapFigures(document);
        } else {
            document.append("runSeconds", new org.bson.BsonDouble(rewrapDuration.toMillis() / 1000.0));
        }
        return document.append("retries", new BsonInt64(retries))
                .append("backup", new BsonDocument("file", new BsonString(m.backupFile().toString()))
                        .append("sha256", new BsonString(String.valueOf(m.backupSha256()))))
                .append("collections", collections(m))
                .append("verification", verification.toBson())
                .append("warnings", new BsonArray(m.warnings().stream().map(w -> (BsonValue) new BsonString(w)).toList()))
                .append("schema", nextSteps.schema().map(schema -> (BsonValue) new BsonString(schema.sentence()))
                        .orElse(BsonNull.VALUE))
                .append("nextSteps", new BsonArray(nextSteps.steps().stream().map(step -> (BsonValue) new BsonString(step))
                        .toList()));
    }

    /** REWRAP's figures: its time is one KMS call per key, in chunks. */
    private void appendRewrapFigures(BsonDocument document) {
        document.append("chunks", new BsonInt32(migration.chunks().size()))
                .append("rewrapSeconds", new org.bson.BsonDouble(rewrapDuration.toMillis() / 1000.0))
                .append("keysPerSecond", new org.bson.BsonDouble(keysPerSecond()))
                .append("kmsShareOfTime", new org.bson.BsonDouble(kmsShare));
    }

    /** REKEY: each old key, the new key whose values replace it, and the alt names the old key had. */
    private BsonArray keyMapping() {
        BsonArray array = new BsonArray();
        if (migration.rekey() != null) {
            migration.rekey().oldToNew().forEach((oldId, newId) -> array.add(new BsonDocument("oldId", new BsonString(oldId.toString()))
                    .append("newId", new BsonString(newId.toString()))
                    .append("altNames", strings(context.altNames().getOrDefault(oldId, List.of())))));
        }
        return array;
    }

    /** Where the keys went: the provider and its masterKey, with an AWS CMK's region and ARN where reports always had them. */
    private static BsonDocument target(MigrationRecord.Target target) {
        BsonDocument to = new BsonDocument("provider", new BsonString(target.provider()))
                .append("masterKey", target.masterKey());
        if (target.cmk() != null) {
            to.append("region", new BsonString(target.region())).append("cmk", new BsonString(target.cmk()));
        }
        return to;
    }

    private static BsonArray strings(List<String> values) {
        return new BsonArray(values.stream().map(value -> (BsonValue) new BsonString(value)).toList());
    }

    private static BsonArray collections(MigrationRecord m) {
        BsonArray array = new BsonArray();
        if (m.rekey() != null) {
            m.rekey().collections().forEach(c -> array.add(new BsonDocument("namespace", new BsonString(c.namespace()))
                    .append("documentsRead", new BsonInt64(c.scanned()))
                    .append("documentsSkipped", new BsonInt64(c.skipped()))
                    .append("valuesConverted", new BsonInt64(c.converted()))
                    .append("conflicts", new BsonInt64(c.conflicts()))
                    .append("valuesFailed", new BsonInt64(c.failed()))
                    .append("errors", new BsonArray(c.errors().stream().map(e -> (BsonValue) new BsonString(e)).toList()))));
        }
        return array;
    }

    public double keysPerSecond() {
        return migration.keyCount() / Math.max(0.001, rewrapDuration.toMillis() / 1000.0);
    }

    public String toJson() {
        return toBson().toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build());
    }

    public String toHtml() {
        MigrationRecord m = migration;
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>KeyShift migration ").append(escape(m.id())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:60rem}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}")
                .append("th{background:#f6f8fa}.ok{color:#1a7f37;font-weight:bold}.fail{color:#cf222e;font-weight:bold}")
                .append("code{font-family:ui-monospace,monospace;font-size:.9em}</style></head><body>\n");
        html.append("<h1>KeyShift migration report</h1>\n");
        html.append("<p class=\"").append(verification.passed() ? "ok\">Verified: every check passed." : "fail\">Verification found problems: see below.")
                .append("</p>\n<table>\n");
        row(html, "Migration", m.id());
        row(html, "Strategy", m.strategy().name());
        row(html, "By", m.createdBy());
        row(html, "Started", m.createdAt().toString());
        row(html, "Finished", finishedAt.toString());
        row(html, "Cluster", (context.setName().equals("none") ? "" : "replica set " + context.setName() + " on ")
                + (context.hosts().isEmpty() ? "hosts unknown" : String.join(", ", context.hosts())));
        row(html, "Key vault", m.keyVault());
        row(html, "From", "provider " + m.sourceProvider());
        row(html, "To", m.target() == null ? "plaintext" : m.target().describe());
        if (m.rekey() == null) {
            row(html, "Data keys", m.keyCount() + " in " + m.chunks().size() + " chunk(s)");
            row(html, "Rewrap time", String.format("%.1f s (%.0f keys/s)", rewrapDuration.toMillis() / 1000.0, keysPerSecond()));
        } else {
            row(html, "Data keys", m.keyCount() + (m.strategy() == io.keyshift.core.migrate.Strategy.REKEY
                    ? " replaced by new keys" + (m.rekey().altNamesMoved() ? "; alt names moved to the new keys" : "")
                    : " whose values were decrypted"));
            row(html, "Run time", String.format("%.1f s", rewrapDuration.toMillis() / 1000.0));
            for (MigrationRecord.CollectionCheckpoint c : m.rekey().collections()) {
                row(html, c.namespace(), c.scanned() + " documents read (" + c.skipped() + " had nothing to convert), "
                        + c.converted() + " values converted, "
                        + c.conflicts() + " conflicts retried, " + c.failed() + " values failed"
                        + (c.errors().isEmpty() ? "" : "\n" + String.join("\n", c.errors())));
            }
        }
        row(html, "KMS retries", String.valueOf(retries));
        nextSteps.schema().ifPresent(schema -> row(html, "Schema", schema.sentence()));
        row(html, "Backup", m.backupFile() + "\nSHA-256 " + m.backupSha256());
        if (!context.history().isEmpty()) {
            row(html, "Runs", String.join("\n", MigrationEvent.sentences(context.history())));
        }
        html.append("</table>\n<h2>Verification").append(m.target() == null ? ""
                : " (with only the " + escape(m.target().provider()) + " provider)").append("</h2>\n<table><tr><th>Check</th><th>Result</th><th>Details</th></tr>\n");
        for (Verification.Check check : verification.checks()) {
            html.append("<tr><td>").append(escape(check.name())).append("</td><td class=\"")
                    .append(check.ok() ? "ok\">✓ " : "fail\">✗ ").append(check.passed()).append(" / ").append(check.total())
                    .append("</td><td>").append(escape(String.join("\n", details(check))).replace("\n", "<br>")).append("</td></tr>\n");
        }
        html.append("</table>\n");
        html.append("<h2>Next steps</h2><ol>");
        nextSteps.steps().forEach(step -> html.append("<li>").append(escape(step)).append("</li>"));
        html.append("</ol>\n");
        if (!m.warnings().isEmpty()) {
            html.append("<h2>Warnings</h2><ul>");
            m.warnings().forEach(w -> html.append("<li>").append(escape(w)).append("</li>"));
            html.append("</ul>\n");
        }
        html.append("<h2>Data keys</h2>\n<table><tr><th>Key</th>")
                .append(m.rekey() != null && !m.rekey().dekMapping().isEmpty() ? "<th>Replaced by</th>" : "")
                .append("<th>Alt names before the migration</th></tr>\n");
        Map<UUID, UUID> oldToNew = m.rekey() == null ? Map.of() : m.rekey().oldToNew();
        for (UUID id : m.keyIds()) {
            html.append("<tr><td><code>").append(id).append("</code></td>")
                    .append(oldToNew.isEmpty() ? "" : "<td><code>" + (oldToNew.containsKey(id) ? oldToNew.get(id) : "—") + "</code></td>")
                    .append("<td>").append(escape(String.join(", ", context.altNames().getOrDefault(id, List.of()))))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        return html.toString();
    }

    /** What a check found wrong; a failed check that listed nothing still says how many did not pass. */
    private static List<String> details(Verification.Check check) {
        if (check.ok() || !check.failures().isEmpty()) {
            return check.failures();
        }
        return List.of((check.total() - check.passed()) + " of " + check.total() + " did not pass.");
    }

    /** Writes {@code <id>.json} and {@code <id>.html} into the directory; returns the HTML file. */
    public Path write(Path directory) {
        try {
            OwnerOnlyFiles.write(directory.resolve(migration.id() + ".json"), toJson() + "\n");
            return OwnerOnlyFiles.write(directory.resolve(migration.id() + ".html"), toHtml());
        } catch (IOException e) {
            throw new KeyShiftException("The migration is done, but its report could not be written to " + directory
                    + ": " + e.getMessage() + ". The journal keeps the same facts; see `keyshift migrations`.", e);
        }
    }

    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".local", "share", "keyshift", "reports");
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(escape(label)).append("</th><td>")
                .append(escape(value).replace("\n", "<br>")).append("</td></tr>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
