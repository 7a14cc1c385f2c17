package io.keyshift.cli;

import io.keyshift.core.audit.AuditReport;
import io.keyshift.core.audit.AuditReport.Dangling;
import io.keyshift.core.audit.AuditReport.Drift;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.audit.PolicyVerdict;
import io.keyshift.core.kms.CmkStatus;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints an audit for a terminal: the summary, then each finding, then the policy's verdict. */
final class AuditText {

    private AuditText() {
    }

    static void print(AuditReport report, PolicyVerdict verdict, PrintWriter out) {
        out.println("Audit of " + report.keyVault() + " (scan " + report.scan() + ", rules from "
                + (report.schemaSources().isEmpty() ? "no schema: drift not assessed" : String.join(" and ", report.schemaSources()))
                + ")");
        out.println("  keys           " + report.keys().size() + " (" + report.keysByProvider().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ")");
        out.println("  dangling       " + report.danglingValues() + " value(s) whose key is not in the vault");
        out.println("  unused keys    " + report.unusedKeys().size());
        out.println("  drift          " + report.drift().size() + " finding(s)");
        out.println("  KMS problems   " + report.kmsProblems().size());
        report.oldestKey().ifPresent(key -> out.println("  oldest key     " + name(key) + ", " + key.ageDays() + " days"));
        out.println("  ages           " + report.ageDistribution().entrySet().stream()
                .map(e -> e.getKey().label() + ": " + e.getValue()).collect(Collectors.joining(", ")));
        AuditReport.Versions v = report.versions();
        out.println("  versions       server " + v.serverVersion() + " (" + v.serverFlavor() + ", FCV "
                + v.featureCompatibilityVersion() + "), driver " + v.driver() + ", libmongocrypt " + v.libmongocrypt());
        v.warnings().forEach(warning -> out.println("  WARNING        " + warning));

        if (!report.dangling().isEmpty()) {
            out.println();
            out.println("Dangling references (values whose data key is not in the key vault)");
            TextTable table = new TextTable("COLLECTION", "FIELD", "MISSING KEY", "VALUES", "EXAMPLE _IDS");
            for (Dangling d : report.dangling()) {
                table.row(d.namespace(), d.path(), d.keyId().toString(), String.valueOf(d.values()), String.join(", ", d.ids()));
            }
            table.print(out, "  ");
        }
        if (!report.unusedKeys().isEmpty()) {
            out.println();
            out.println("Unused keys (no value and no schema uses them; nothing was deleted)");
            TextTable table = new TextTable("ID", "ALT NAMES", "PROVIDER", "AGE (DAYS)");
            for (KeyHealth key : report.unusedKeys()) {
                table.row(key.id().toString(), String.join(", ", key.keyAltNames()), key.provider(),
                        String.valueOf(key.ageDays()));
            }
            table.print(out, "  ");
        }
        if (!report.drift().isEmpty()) {
            out.println();
            out.println("Schema and data drift");
            TextTable table = new TextTable("KIND", "COLLECTION", "FIELD", "VALUES", "SCHEMA SAYS", "DATA HOLDS", "EXAMPLE _IDS");
            for (Drift d : report.drift()) {
                table.row(d.kind().name().toLowerCase(Locale.ROOT), d.namespace(), d.path(), String.valueOf(d.values()),
                        d.expected() == null ? "-" : d.expected(), d.found(), String.join(", ", d.ids()));
            }
            table.print(out, "  ");
        }
        out.println();
        out.println("Master keys");
        TextTable table = new TextTable("PROVIDER", "MASTER KEY", "KEYS", "STATE", "ROTATION", "HEALTH");
        for (MasterKeyHealth m : report.masterKeys()) {
            CmkStatus aws = m.aws();
            table.row(m.provider(), m.masterKey(), String.valueOf(m.keyIds().size()),
                    aws == null ? "-" : aws.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    aws == null || aws.rotationEnabled() == null ? "-" : aws.rotationEnabled() ? "on" : "off",
                    m.verdict());
        }
        table.print(out, "  ");
        if (verdict != null) {
            out.println();
            out.println(verdict.passed() ? "Policy: every rule holds." : "Policy: " + verdict.failures().size() + " failure(s)");
            verdict.failures().forEach(failure -> out.println(failureLine(failure)));
        }
        out.flush();
    }

    /** One line per broken rule, for people and for grep: {@code FAIL rule: evidence}. */
    static String failureLine(PolicyVerdict.Failure failure) {
        return "FAIL " + failure.rule() + ": " + failure.evidence();
    }

    private static String name(KeyHealth key) {
        return key.id() + (key.keyAltNames().isEmpty() ? "" : " (" + String.join(", ", key.keyAltNames()) + ")");
    }
}
