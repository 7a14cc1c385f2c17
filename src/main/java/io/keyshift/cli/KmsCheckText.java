package io.keyshift.cli;

import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints a target's checks, for {@code check-kms} and {@code check-aws}, and says what the outcome means. */
final class KmsCheckText {

    private KmsCheckText() {
    }

    /** Prints the report as text or JSON and returns the exit code: 1 when the KMS did not answer, 2 when a check failed. */
    static int conclude(KmsCheckReport report, boolean json, String command, PrintWriter out) {
        if (json) {
            out.println(report.toJson());
        } else {
            print(report, command, out);
        }
        out.flush();
        if (!report.reachable()) {
            return ExitCodes.USAGE_OR_CONNECTION;
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.BLOCKED;
    }

    private static void print(KmsCheckReport report, String command, PrintWriter out) {
        out.println("KMS check of " + report.target());
        for (KmsCheck check : report.checks()) {
            out.printf("  %-7s %-32s %s%n", check.status().name().toLowerCase(Locale.ROOT), check.name().label(),
                    check.message());
        }
        long failed = count(report, KmsCheck.Status.FAIL);
        long warnings = count(report, KmsCheck.Status.WARN);
        out.println(failed == 0 ? "All checks passed" + (warnings == 0 ? "" : " (read the " + warnings
                + (warnings == 1 ? " warning" : " warnings") + ")") + ": this key can be used for the migration."
                : failed + (failed == 1 ? " check" : " checks") + " failed: fix " + (failed == 1 ? "it" : "them")
                  + " and run " + command + " again. Nothing was written.");
    }

    private static long count(KmsCheckReport report, KmsCheck.Status status) {
        return report.checks().stream().filter(check -> check.status() == status).count();
    }
}
