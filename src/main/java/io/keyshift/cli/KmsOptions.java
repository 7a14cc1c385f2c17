package io.keyshift.cli;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.audit.AuditRequest;
import io.keyshift.core.kms.AccessTokens;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.core.kms.ProviderType;
import io.keyshift.core.migrate.MigrationRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The options of every KMS provider. Each configures its provider on whichever side it is: the source (what the
 * selected keys are under today) or the target (where they go). Only the local key files and AWS's {@code --from-…}
 * options differ by side. No option carries a secret.
 */
final class KmsOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @ArgGroup(exclusive = false, heading = "%nAWS KMS (credentials: --profile, or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"
            + " and AWS_SESSION_TOKEN, or the rest of the default chain):%n")
    private AwsOptions aws;

    @ArgGroup(exclusive = false, heading = "%nAn AWS source with other credentials than the target (each defaults to"
            + " the option without from-):%n")
    private AwsSourceOptions awsSource;

    @ArgGroup(exclusive = false, heading = "%nKMIP:%n")
    private KmipOptions kmip;

    @ArgGroup(exclusive = false, heading = "%nLocal master key files:%n")
    private LocalKeyOptions local;

    @ArgGroup(exclusive = false, heading = "%nAzure Key Vault (credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and"
            + " AZURE_CLIENT_SECRET, or --azure-access-token-file):%n")
    private AzureOptions azure;

    @ArgGroup(exclusive = false, heading = "%nGoogle Cloud KMS (credentials: --gcp-credentials-file, or"
            + " GOOGLE_APPLICATION_CREDENTIALS, or --gcp-access-token-file):%n")
    private GcpOptions gcp;

    /** Each group as given, or with none of its options set when none was given. */
    private AwsOptions aws() {
        return aws == null ? new AwsOptions() : aws;
    }

    private AwsSourceOptions awsSource() {
        return awsSource == null ? new AwsSourceOptions() : awsSource;
    }

    private KmipOptions kmip() {
        return kmip == null ? new KmipOptions() : kmip;
    }

    private LocalKeyOptions local() {
        return local == null ? new LocalKeyOptions() : local;
    }

    private AzureOptions azure() {
        return azure == null ? new AzureOptions() : azure;
    }

    private GcpOptions gcp() {
        return gcp == null ? new GcpOptions() : gcp;
    }

    private Map<String, String> environment() {
        // A command run on its own, as tests do, reads the process's environment.
        return spec.root().userObject() instanceof KeyShiftCommand root ? root.environment() : System.getenv();
    }

    /**
     * The target of {@code --to type}: its provider, and the key in it from the options (aws {@code --region --cmk},
     * kmip {@code --kmip-key-id} or a key the server creates, local {@code --new-local-key}).
     */
    KmsTarget target(ProviderType type) {
        String why = "for --to " + type.wireName();
        return switch (type) {
            case AWS -> {
                require(aws().region, "--region", why);
                require(aws().cmk, "--cmk", why);
                yield aws().kmsTarget();
            }
            case KMIP -> closedIfRefused(kmipProvider(why), provider -> KmsTarget.kmip(provider, kmip().keyId));
            case LOCAL -> KmsTarget.local(localTargetProvider(why));
            case AZURE -> {
                AzureOptions options = azure();
                require(options.keyVaultEndpoint, AzureOptions.KEY_VAULT_ENDPOINT, why);
                require(options.keyName, AzureOptions.KEY_NAME, why);
                yield closedIfRefused(azureProvider(), provider ->
                        provider.target(options.keyVaultEndpoint, options.keyName, options.keyVersion));
            }
            case GCP -> {
                GcpOptions options = gcp();
                require(options.projectId, GcpOptions.PROJECT_ID, why);
                require(options.location, GcpOptions.LOCATION, why);
                require(options.keyRing, GcpOptions.KEY_RING, why);
                require(options.keyName, GcpOptions.KEY_NAME, why);
                yield closedIfRefused(gcpProvider(), provider -> provider.target(options.projectId, options.location,
                        options.keyRing, options.keyName, options.keyVersion, options.endpoint));
            }
        };
    }

    /**
     * The target a migration was journaled with: the key from the journal, the provider from the options (credentials
     * and key files are never journaled).
     */
    KmsTarget journaledTarget(MigrationRecord.Target journaled) {
        ProviderType type = ProviderType.ofProviderName(journaled.provider()).orElseThrow(() -> new KeyShiftException(
                "The migration was journaled with provider \"" + journaled.provider() + "\", which this version of"
                + " KeyShift does not know: resume it with the version that started it."));
        return closedIfRefused(targetProvider(type, "for the journaled target " + journaled.describe()), provider ->
                new KmsTarget(provider, journaled.masterKey()));
    }

    private KmsProvider targetProvider(ProviderType type, String why) {
        return switch (type) {
            case AWS -> aws().provider();
            case KMIP -> kmipProvider(why);
            case LOCAL -> localTargetProvider(why);
            case AZURE -> azureProvider();
            case GCP -> gcpProvider();
        };
    }

    /** The provider that opens the keys under {@code providerName} ({@code local}, {@code aws:prod} …), as below. */
    OpenedProviders sourceProviders(String providerName) {
        ProviderType type = ProviderType.ofProviderName(providerName).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "\"" + providerName + "\" is not a KMS provider KeyShift knows: give local, aws,"
                + " azure, gcp or kmip, or a named one such as local:old."));
        return sourceProviders(List.of(type));
    }

    /**
     * The providers that open keys of {@code types} on the source side, one per type: the key file of
     * {@code --local-key}; AWS with the {@code --from-…} options, else the AWS ones (the default chain when none is
     * given); the kmip, azure and gcp options. A type whose options are missing is bad usage, naming the option. The
     * engine names each after the keys it opens ({@code local:old}); the caller closes them.
     */
    OpenedProviders sourceProviders(Collection<ProviderType> types) {
        List<KmsProvider> providers = new ArrayList<>();
        try {
            Set<ProviderType> distinct = EnumSet.noneOf(ProviderType.class);
            distinct.addAll(types);
            for (ProviderType type : distinct) {
                String why = "for the keys under " + type.wireName();
                providers.add(switch (type) {
                    case LOCAL -> LocalProvider.load(require(local().sourceKeyFile, LocalKeyOptions.SOURCE, why));
                    case AWS -> AwsProvider.of(AwsOptions.credentials(first(awsSource().profile, aws().profile)), null,
                            first(awsSource().caFile, aws().caFile));
                    case KMIP -> kmipProvider(why);
                    case AZURE -> azureProvider();
                    case GCP -> gcpProvider();
                });
            }
            return new OpenedProviders(providers);
        } catch (RuntimeException refused) {
            providers.forEach(KmsProvider::close);
            throw refused;
        }
    }

    /**
     * The source providers the options and the environment configure, for a command that opens whatever keys a
     * file holds (restore-keys, audit): local with {@code --local-key}, kmip with {@code --kmip-endpoint}, azure with
     * AZURE_TENANT_ID set or an access token, gcp with a credentials file or an access token; aws always, as its
     * default chain may hold credentials. A
     * key whose provider is left out is refused by the engine, with what to give.
     */
    OpenedProviders givenSourceProviders() {
        Set<ProviderType> given = EnumSet.of(ProviderType.AWS);
        if (local().sourceKeyFile != null) {
            given.add(ProviderType.LOCAL);
        }
        if (kmip().endpoint != null) {
            given.add(ProviderType.KMIP);
        }
        if (azure().accessTokenFile != null || environment().containsKey(AzureProvider.TENANT_ID_VARIABLE)) {
            given.add(ProviderType.AZURE);
        }
        if (gcp().credentialsFile != null || gcp().accessTokenFile != null
                || environment().containsKey(GcpProvider.CREDENTIALS_VARIABLE)) {
            given.add(ProviderType.GCP);
        }
        return sourceProviders(given);
    }

    /** Whether {@code --local-key} was given, so a check of a new local key can compare the two. */
    boolean sourceLocalKeyGiven() {
        return local().sourceKeyFile != null;
    }

    /** How an audit reaches AWS KMS: the credentials, and the region and endpoint given for the keys' CMKs. */
    AuditRequest.AwsAccess awsAccess() {
        return new AuditRequest.AwsAccess(aws().credentials(), aws().region, aws().endpoint, aws().caFile);
    }

    private KmipProvider kmipProvider(String why) {
        KmipOptions options = kmip();
        return KmipProvider.of(require(options.endpoint, KmipOptions.ENDPOINT, why),
                require(options.caFile, KmipOptions.CA_FILE, why),
                require(options.clientCertificate, KmipOptions.CLIENT_CERT, why));
    }

    private AzureProvider azureProvider() {
        AzureOptions options = azure();
        Map<String, String> environment = environment();
        return AzureProvider.tokenOrPrincipal(accessToken(options.accessTokenFile, AzureProvider.ACCESS_TOKEN),
                environment.get(AzureProvider.TENANT_ID_VARIABLE), environment.get(AzureProvider.CLIENT_ID_VARIABLE),
                environment.get(AzureProvider.CLIENT_SECRET_VARIABLE), options.identityEndpoint, options.caFile);
    }

    private GcpProvider gcpProvider() {
        GcpOptions options = gcp();
        String token = accessToken(options.accessTokenFile, GcpProvider.ACCESS_TOKEN);
        return token == null && options.credentialsFile == null
                ? GcpProvider.fromEnvironment(environment(), options.endpoint, options.caFile)
                : GcpProvider.tokenOrKeyFile(token, options.credentialsFile, options.endpoint, options.caFile);
    }

    /** The token in the file of an access-token option; null when the option was not given. */
    private static String accessToken(Path file, String what) {
        return file == null ? null : AccessTokens.read(file, what);
    }

    private LocalProvider localTargetProvider(String why) {
        return LocalProvider.load(require(local().targetKeyFile, LocalKeyOptions.TARGET, why));
    }

    /** The target made from {@code provider}; the provider is closed if the rest of the target is refused. */
    static <P extends KmsProvider> KmsTarget closedIfRefused(P provider, Function<P, KmsTarget> target) {
        try {
            return target.apply(provider);
        } catch (RuntimeException refused) {
            provider.close();
            throw refused;
        }
    }

    private static <T> T first(T given, T fallback) {
        return given != null ? given : fallback;
    }

    /** A missing option is bad usage, named as picocli names its own required options. */
    private <T> T require(T value, String option, String why) {
        if (value == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option " + why + ": '" + option + "="
                    + spec.findOption(option).paramLabel() + "'");
        }
        return value;
    }
}
