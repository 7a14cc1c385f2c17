package io.keyshift.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * An AWS source reached with other credentials than the target, as when rotating to a CMK in another account. Each
 * option not given takes the value of its target counterpart. There is no source region or endpoint: each data key's
 * masterKey names the region and endpoint of its CMK, and the driver opens the key there.
 */
final class AwsSourceOptions {

    @Option(names = "--from-profile", paramLabel = "NAME",
            description = "Profile whose credentials open the source keys (default: --profile, or the default chain).")
    String profile;

    @Option(names = "--from-kms-ca-file", paramLabel = "PEM",
            description = "PEM file of the CA for the source keys' KMS endpoint (default: --kms-ca-file).")
    Path caFile;
}
