package io.keyshift.core.kms;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;

import java.util.Collection;

/**
 * The one entry point for proving, before anything is written, that a {@link KmsTarget} will work:
 * each provider type has its own checklist (aws: {@link AwsKmsCheck}; local: the new key file;
 * kmip: TLS with the client certificate, the key, a round trip; azure: {@link AzureKeyCheck}; gcp:
 * {@link GcpKeyCheck}). Every check ends in a sentence a DBA
 * can act on, gathered in one provider-neutral {@link KmsCheckReport}.
 *
 * <p>Runs on the caller's thread and may block for several seconds on the network.
 */
public final class TargetChecks {

    private final MongoClientSettings keyVaultClientSettings;
    private final MongoNamespace keyVault;

    /**
     * @param keyVaultClientSettings the cluster holding the key vault; a KMIP check writes one scratch data
     *                               key next to it (never into the key vault) and removes it
     */
    public TargetChecks(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault) {
        this.keyVaultClientSettings = keyVaultClientSettings;
        this.keyVault = keyVault;
    }

    /**
     * Runs the target's checks.
     *
     * @param sources the source providers, so a new local key can be compared with the old ones; may be empty
     */
    public KmsCheckReport run(KmsTarget target, Collection<? extends KmsProvider> sources) {
        return switch (target.type()) {
            case AWS -> {
                try (AwsTarget aws = AwsTarget.of(target)) {
                    yield new AwsKmsCheck().run(aws);
                }
            }
            case LOCAL -> LocalTargetCheck.run(target, sources);
            case KMIP -> new KmipTargetCheck(keyVaultClientSettings, keyVault).run(target);
            case AZURE -> AzureKeyCheck.run(target);
            case GCP -> GcpKeyCheck.run(target);
        };
    }
}
