package io.keyshift.cli;

import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.KmsTarget;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The AWS side of a command. Credentials come from a named profile or the default chain
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, …): no option ever carries a secret.
 */
final class AwsOptions {

    @Option(names = "--region", paramLabel = "REGION", description = "Region of the CMK, e.g. us-east-1.")
    String region;

    @Option(names = "--cmk", paramLabel = "ARN",
            description = "The CMK: a key ARN, an alias ARN, or alias/NAME with --region.")
    String cmk;

    @Option(names = "--profile", paramLabel = "NAME", description = "A profile from ~/.aws/credentials or ~/.aws/config.")
    String profile;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT", description = "A private or emulated KMS endpoint.")
    String endpoint;

    @Option(names = "--kms-ca-file", paramLabel = "PEM",
            description = "PEM file of the CA that signed the KMS endpoint's certificate (default: the JVM's trust).")
    Path caFile;

    /** For commands with no journal to fall back on: the region and the CMK must be given. */
    void requireRegionAndCmk(picocli.CommandLine commandLine) {
        if (region == null) {
            throw new picocli.CommandLine.ParameterException(commandLine, "Missing required option: '--region=REGION'");
        }
        if (cmk == null) {
            throw new picocli.CommandLine.ParameterException(commandLine, "Missing required option: '--cmk=ARN'");
        }
    }

    AwsCredentialSource credentials() {
        return credentials(profile);
    }

    static AwsCredentialSource credentials(String profile) {
        return profile == null ? AwsCredentialSource.defaultChain() : AwsCredentialSource.profile(profile);
    }

    AwsProvider provider() {
        return AwsProvider.of(credentials(), endpoint, caFile);
    }

    /** The CMK of {@code --region --cmk}, which the caller has checked were given; the provider is closed if refused. */
    KmsTarget kmsTarget() {
        return KmsOptions.closedIfRefused(provider(), provider -> KmsTarget.aws(provider, region, cmk));
    }

    /** The CMK of {@code --region --cmk}, which the caller has checked were given. */
    AwsTarget target() {
        return new AwsTarget(credentials(), region, cmk, endpoint, caFile);
    }
}
