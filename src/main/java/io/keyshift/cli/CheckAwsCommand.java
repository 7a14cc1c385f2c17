package io.keyshift.cli;

import io.keyshift.core.kms.AwsKmsCheck;
import io.keyshift.core.kms.AwsTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
        try (AwsTarget target = aws.target()) {
            return KmsCheckText.conclude(new AwsKmsCheck().run(target), json, "check-aws", spec.commandLine().getOut());
        }
    }
}
