package io.keyshift.core.audit;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.audit.AuditReport.AgeBucket;
import io.keyshift.core.audit.AuditReport.Dangling;
import io.keyshift.core.audit.AuditReport.Drift;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.files.OwnerOnlyFiles;
import io.keyshift.core.kms.CmkStatus;
import io.keyshift.core.scan.KeyUse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The audit as a self-contained HTML page: the summary, charts drawn as inline SVG, and every number of
 * every chart again in a table (to read aloud, to copy). No external asset, so it opens from an archive.
 */
public final class AuditHtml {

    private static final String[] COLORS = {"#0969da", "#1a7f37", "#9a6700", "#8250df", "#cf222e", "#1b7c83",
            "#bc4c00", "#6e7781"};
    private static final int CHART_WIDTH = 640;
    private static final int LABEL_WIDTH = 220;
    private static final int BAR_HEIGHT = 18;
    private static final int ROW_GAP = 6;

    private AuditHtml() {
    }

    public static String toHtml(AuditReport report, PolicyVerdict policy) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>KeyShift audit of ").append(escape(report.keyVault())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:72rem}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d7de;padding:.35rem .6rem;")
                .append("text-align:left;vertical-align:top}th{background:#f6f8fa}td.n{text-align:right}")
                .append(".ok{color:#1a7f37;font-weight:bold}.fail{color:#cf222e;font-weight:bold}")
                .append(".strip{display:flex;gap:1rem;flex-wrap:wrap}.strip div{border:1px solid #d0d7de;border-radius:6px;")
                .append("padding:.5rem 1rem}.strip b{display:block;font-size:1.6rem}svg text{font-size:12px;fill:#1f2328}")
                .append("code{font-family:ui-monospace,monospace;font-size:.9em}</style></head><body>\n");
        html.append("<h1>KeyShift audit of ").append(escape(report.keyVault())).append("</h1>\n<p>Audited ")
                .append(escape(report.auditedAt().toString())).append(", scan ").append(escape(report.scan().toString()))
                .append(", rules from ").append(escape(report.schemaSources().isEmpty() ? "no schema (drift not assessed)"
                        : String.join(" and ", report.schemaSources()))).append(".</p>\n");
        summary(html, report);
        if (policy != null) {
            html.append("<h2>Policy</h2>\n<p class=\"").append(policy.passed() ? "ok\">Every rule holds." : "fail\">"
                    + policy.failures().size() + " rule failure(s).").append("</p>\n");
            if (!policy.passed()) {
                table(html, List.of("Rule", "Evidence"), policy.failures().stream()
                        .map(failure -> List.of(failure.rule(), failure.evidence())).toList());
            }
        }
        valuesPerKey(html, report);
        ages(html, report);
        masterKeys(html, report);
        keys(html, report);
        findings(html, report);
        versions(html, report);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void summary(StringBuilder html, AuditReport report) {
        html.append("<div class=\"strip\">");
        report.keysByProvider().forEach((provider, count) -> tile(html, count, "keys under " + provider));
        tile(html, report.danglingValues(), "dangling values");
        tile(html, report.unusedKeys().size(), "unused keys");
        tile(html, report.drift().size(), "drift findings");
        tile(html, report.kmsProblems().size(), "KMS problems");
        html.append("</div>\n");
    }

    private static void tile(StringBuilder html, long count, String label) {
        html.append("<div><b>").append(count).append("</b>").append(escape(label)).append("</div>");
    }

    private static void valuesPerKey(StringBuilder html, AuditReport report) {
        List<String> namespaces = new ArrayList<>(new TreeSet<>(report.keys().stream()
                .flatMap(key -> key.usedBy().stream()).filter(use -> use.source() == KeyUse.Source.DATA)
                .map(KeyUse::namespace).toList()));
        html.append("<h2>Values per data key and collection</h2>\n");
        List<Bar> bars = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (KeyHealth key : report.keys()) {
            Map<String, Long> perNamespace = new LinkedHashMap<>();
            key.usedBy().stream().filter(use -> use.source() == KeyUse.Source.DATA)
                    .forEach(use -> perNamespace.merge(use.namespace(), use.values(), Long::sum));
            List<Long> segments = namespaces.stream().map(ns -> perNamespace.getOrDefault(ns, 0L)).toList();
            bars.add(new Bar(keyLabel(key), segments));
            perNamespace.forEach((ns, values) -> rows.add(List.of(keyLabel(key), ns, String.valueOf(values))));
        }
        svg(html, "Values per data key, stacked by collection", bars, namespaces);
        table(html, List.of("Data key", "Collection", "Values"), rows);
    }

    private static void ages(StringBuilder html, AuditReport report) {
        html.append("<h2>Key age</h2>\n");
        List<Bar> bars = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<AgeBucket, Long> bucket : report.ageDistribution().entrySet()) {
            bars.add(new Bar(bucket.getKey().label(), List.of(bucket.getValue())));
            rows.add(List.of(bucket.getKey().label(), String.valueOf(bucket.getValue())));
        }
        svg(html, "Data keys by age since creation", bars, List.of("keys"));
        table(html, List.of("Age since creation", "Data keys"), rows);
        report.oldestKey().ifPresent(key -> html.append("<p>Oldest key: ").append(escape(keyLabel(key))).append(", ")
                .append(key.ageDays()).append(" days.</p>\n"));
        report.longestSinceRewrap().ifPresent(key -> html.append("<p>Longest since its material was wrapped: ")
                .append(escape(keyLabel(key))).append(", ").append(key.daysSinceRewrap()).append(" days.</p>\n"));
    }

    private static void masterKeys(StringBuilder html, AuditReport report) {
        html.append("<h2>Keys per master key</h2>\n");
        List<Bar> bars = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (MasterKeyHealth masterKey : report.masterKeys()) {
            String label = masterKey.provider() + " " + masterKey.masterKey();
            bars.add(new Bar(label, List.of((long) masterKey.keyIds().size())));
            CmkStatus aws = masterKey.aws();
            rows.add(List.of(masterKey.provider(), masterKey.masterKey(), String.valueOf(masterKey.keyIds().size()),
                    aws == null ? "-" : AuditJson.name(aws.state()) + (aws.deletionDate() == null ? ""
                            : " (deletion " + aws.deletionDate() + ")"),
                    aws == null || aws.rotationEnabled() == null ? "-" : aws.rotationEnabled() ? "on" : "off",
                    aws == null || aws.account() == null ? "-" : aws.account(),
                    masterKey.verdict()));
        }
        svg(html, "Data keys per master key", bars, List.of("keys"));
        table(html, List.of("Provider", "Master key", "Data keys", "State", "Rotation", "Account", "Health"), rows);
    }

    private static void keys(StringBuilder html, AuditReport report) {
        html.append("<h2>Data keys</h2>\n");
        table(html, List.of("Id", "Alt names", "Provider", "Created", "Age (days)", "Since rewrap (days)", "Values",
                "Unused"), report.keys().stream().map(key -> List.of(key.id().toString(),
                String.join(", ", key.keyAltNames()), key.provider(), String.valueOf(key.creationDate()),
                String.valueOf(key.ageDays()), String.valueOf(key.daysSinceRewrap()), String.valueOf(key.values()),
                key.unused() ? "unused" : "")).toList());
    }

    private static void findings(StringBuilder html, AuditReport report) {
        html.append("<h2>Dangling references</h2>\n");
        table(html, List.of("Collection", "Field", "Missing key", "Values", "Example _ids", "Named by schema"),
                report.dangling().stream().map((Dangling d) -> List.of(d.namespace(), d.path(), d.keyId().toString(),
                        String.valueOf(d.values()), String.join(", ", d.ids()), d.namedBySchema() ? "yes" : "no")).toList());
        html.append("<h2>Schema and data drift</h2>\n");
        table(html, List.of("Kind", "Collection", "Field", "Values", "Example _ids", "Schema says", "Data holds"),
                report.drift().stream().map((Drift d) -> List.of(AuditJson.name(d.kind()), d.namespace(), d.path(),
                        String.valueOf(d.values()), String.join(", ", d.ids()), d.expected() == null ? "-" : d.expected(),
                        d.found())).toList());
    }

    private static void versions(StringBuilder html, AuditReport report) {
        AuditReport.Versions v = report.versions();
        html.append("<h2>Versions</h2>\n");
        table(html, List.of("Component", "Version"), List.of(List.of("Server", v.serverVersion() + " (" + v.serverFlavor()
                + ", FCV " + v.featureCompatibilityVersion() + ")"), List.of("Java driver", v.driver()),
                List.of("libmongocrypt", v.libmongocrypt())));
        v.warnings().forEach(warning -> html.append("<p class=\"fail\">").append(escape(warning)).append("</p>\n"));
        report.namespaces().stream().filter(scan -> scan.truncated()).forEach(scan -> html.append("<p>")
                .append(escape(scan.namespace())).append(" has more distinct fields than the audit keeps; counts of")
                .append(" those kept are exact.</p>\n"));
    }

    private record Bar(String label, List<Long> segments) {
        long total() {
            return segments.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Horizontal bars, stacked when there are several series; the scale starts at zero. */
    private static void svg(StringBuilder html, String title, List<Bar> bars, List<String> series) {
        long max = Math.max(1, bars.stream().mapToLong(Bar::total).max().orElse(1));
        int legendHeight = series.size() > 1 ? 22 : 0;
        int height = legendHeight + bars.size() * (BAR_HEIGHT + ROW_GAP) + ROW_GAP;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(CHART_WIDTH + 60)
                .append("\" height=\"").append(height).append("\"><title>").append(escape(title)).append("</title>\n");
        for (int s = 0; s < series.size() && legendHeight > 0; s++) {
            int x = s * 170;
            html.append("<rect x=\"").append(x).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLORS[s % COLORS.length]).append("\"/><text x=\"").append(x + 16).append("\" y=\"14\">")
                    .append(escape(series.get(s))).append("</text>\n");
        }
        int barSpace = CHART_WIDTH - LABEL_WIDTH;
        for (int b = 0; b < bars.size(); b++) {
            Bar bar = bars.get(b);
            int y = legendHeight + ROW_GAP + b * (BAR_HEIGHT + ROW_GAP);
            html.append("<text x=\"0\" y=\"").append(y + 13).append("\">").append(escape(shorten(bar.label())))
                    .append("</text>");
            double x = LABEL_WIDTH;
            for (int s = 0; s < bar.segments().size(); s++) {
                double width = (double) bar.segments().get(s) * barSpace / max;
                if (width > 0) {
                    html.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                            x, y, width, BAR_HEIGHT, COLORS[s % COLORS.length]));
                }
                x += width;
            }
            html.append(String.format("<text x=\"%.1f\" y=\"%d\">%d</text>%n", x + 4, y + 13, bar.total()));
        }
        html.append("</svg>\n");
    }

    private static String shorten(String label) {
        return label.length() <= 34 ? label : label.substring(0, 33) + "…";
    }

    private static String keyLabel(KeyHealth key) {
        return key.keyAltNames().isEmpty() ? key.id().toString() : key.keyAltNames().get(0) + " " + key.id();
    }

    private static void table(StringBuilder html, List<String> headers, List<List<String>> rows) {
        if (rows.isEmpty()) {
            html.append("<p>None.</p>\n");
            return;
        }
        html.append("<table><tr>");
        headers.forEach(header -> html.append("<th>").append(escape(header)).append("</th>"));
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append(cell.matches("\\d+") ? "<td class=\"n\">" : "<td>").append(escape(cell))
                    .append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Writes {@code audit-<time>.html} and {@code .json} into the directory, owner-only (they name key
     * ids). Returns the HTML file.
     */
    public static Path write(AuditReport report, PolicyVerdict policy, Path directory) {
        String name = "audit-" + report.auditedAt().toString().replace(":", "").replaceFirst("\\.\\d+", "");
        try {
            OwnerOnlyFiles.write(directory.resolve(name + ".json"), AuditJson.toJson(report, policy) + "\n");
            return OwnerOnlyFiles.write(directory.resolve(name + ".html"), toHtml(report, policy));
        } catch (IOException e) {
            throw new KeyShiftException("The audit report could not be written to " + directory + " ("
                    + e.getMessage() + "): choose a directory you may write to.", e);
        }
    }
}
