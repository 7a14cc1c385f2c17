package io.keyshift.cli;

import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code keyshift check-aws}: runs the AWS checks and prints them. Credentials come from a profile or
 * the default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN); there is
 * deliberately no option for a secret, so it never lands in shell history or a process list.
 */
@Command(name = "check-aws",
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

    @Option(names = "--region", required = true, paramLabel = "REGION", description = "Region of the CMK, e.g. us-east-1.")
    private String region;

    @Option(names = "--cmk", required = true, paramLabel = "ARN",
            description = "The CMK: a key ARN, an alias ARN, or alias/NAME.")
    private String cmk;

    @Option(names = "--profile", paramLabel = "NAME", description = "A profile from ~/.aws/credentials or ~/.aws/config.")
    private String profile;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT", description = "A private or emulated KMS endpoint.")
    private String endpoint;

    @Option(names = "--kms-ca-file", paramLabel = "PEM",
            description = "CA certificate(s) to trust for the endpoint instead of the JVM's default trust.")
    private Path caFile;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        AwsCredentialSource credentials = profile == null
                ? AwsCredentialSource.defaultChain() : AwsCredentialSource.profile(profile);
        try (AwsTarget target = new AwsTarget(credentials, region, cmk, endpoint, caFile)) {
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
        out.println("AWS KMS check of " + report.cmk() + " in " + report.region()
                + (report.endpoint() == null ? "" : " at " + report.endpoint()));
        for (KmsCheck check : report.checks()) {
            out.printf("  %-5s %-30s %s%n", check.status().name().toLowerCase(Locale.ROOT),
                    check.name().label(), check.message());
        }
        long failed = report.checks().stream().filter(check -> check.status() == KmsCheck.Status.FAIL).count();
        out.println(failed == 0 ? "All checks passed: this CMK can be used for the migration."
                : failed + (failed == 1 ? " check" : " checks") + " failed: fix "
                  + (failed == 1 ? "it" : "them") + " and run check-aws again. Nothing was written.");
    }
}
