package io.keyshift.cli;

import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code keyshift check-aws}: runs the AWS checks and prints them. Credentials come from a profile or
 * the default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN); there is
 * deliberately no option for a secret, so it never lands in shell history or a process list.
 */
@Command(name = "check-aws",
        mixinStandardHelpOptions = true,
        description = {"Check that the AWS credentials, region and CMK will work for the migration.",
                "Calls STS and KMS only (an Encrypt + Decrypt of a random value); writes nothing.",
                "Credentials: --profile, or the environment variables AWS_ACCESS_KEY_ID,"
                + " AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the rest of the default chain."},
        exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings allowed)",
                "1:bad usage, or KMS could not be reached",
                "2:a check failed"})
final class CheckAwsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private AwsOptions aws;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        aws.requireRegionAndCmk(spec.commandLine());
        try (AwsTarget target = aws.target(null, null, null)) {
            KmsCheckReport report = new AwsKmsCheck().run(target);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(report.toJson());
            } else {
                print(report, out);
            }
            out.flush();
            if (!report.reachable()) {
                return ExitCodes.USAGE_OR_CONNECTION;
            }
            return report.passed() ? ExitCodes.OK : ExitCodes.BLOCKED;
        }
    }

    private static void print(KmsCheckReport report, PrintWriter out) {
        out.println("KMS check of " + report.target());
        for (KmsCheck check : report.checks()) {
            out.printf("  %-7s %-30s %s%n", check.status().name().toLowerCase(Locale.ROOT),
                    check.name().label(), check.message());
        }
        long failed = count(report, KmsCheck.Status.FAIL);
        long warnings = count(report, KmsCheck.Status.WARN);
        out.println(failed == 0 ? "All checks passed" + (warnings == 0 ? "" : " (read the " + warnings
                + (warnings == 1 ? " warning" : " warnings") + ")") + ": this CMK can be used for the migration."
                : failed + (failed == 1 ? " check" : " checks") + " failed: fix "
                  + (failed == 1 ? "it" : "them") + " and run check-aws again. Nothing was written.");
    }

    private static long count(KmsCheckReport report, KmsCheck.Status status) {
        return report.checks().stream().filter(check -> check.status() == status).count();
    }
}
