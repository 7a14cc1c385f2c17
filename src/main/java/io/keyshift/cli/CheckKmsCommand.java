package io.keyshift.cli;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.kms.TargetChecks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code keyshift check-kms --to PROVIDER}: runs the target KMS's checks and prints them. */
@Command(name = "check-kms",
        mixinStandardHelpOptions = true,
        description = {"Check that the target KMS will work for the migration, each check with a sentence saying what to"
                + " fix. aws: the credentials, the CMK and an Encrypt + Decrypt round trip (the same checks as check-aws)."
                + " kmip: a TLS handshake with the client certificate, the key (found, or created by the server when no"
                + " --kmip-key-id is given) and a round trip through a scratch data key beside the key vault of --uri,"
                + " removed again. local: the new key file, which must be readable by its owner only and differ from"
                + " the source key (--local-key).",
                "Writes nothing to the key vault; no option carries a secret."},
        exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings allowed)",
                "1:bad usage, or the KMS could not be reached",
                "2:a check failed"})
final class CheckKmsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TargetOption to;

    @Mixin
    private KmsOptions kms;

    /** Only the KMIP checks need the cluster: the driver is KeyShift's only KMIP client, and it needs a key vault. */
    @ArgGroup(exclusive = false, heading = "%nThe cluster (for --to kmip):%n")
    private ClusterOptions cluster;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        KmsTarget target = kms.target(to.type);
        try (KmsProvider provider = target.provider()) {
            if (to.type == ProviderType.KMIP && cluster == null) {
                throw new ParameterException(spec.commandLine(), "Missing required option for --to kmip: '--uri=URI' (the"
                        + " KMIP checks wrap a scratch data key beside its key vault, then remove it)");
            }
            // A new local key is checked against the source key, when one is given.
            try (OpenedProviders sources = kms.sourceProviders(to.type == ProviderType.LOCAL && kms.sourceLocalKeyGiven()
                    ? List.of(ProviderType.LOCAL) : List.of())) {
                MongoClientSettings settings = cluster == null ? null : cluster.profile().clientSettings();
                MongoNamespace keyVault = cluster == null ? null : cluster.keyVaultNamespace();
                KmsCheckReport report = new TargetChecks(settings, keyVault).run(target, sources.providers());
                return KmsCheckText.conclude(report, json, "check-kms", spec.commandLine().getOut());
            }
        }
    }
}
