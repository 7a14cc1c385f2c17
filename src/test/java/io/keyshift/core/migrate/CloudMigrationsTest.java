package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.KmsFaultProxy.Fault;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure Key Vault and Google Cloud KMS on either side of a migration through the one door, on the
 * sandbox's emulators: each ends verified, and an application that knows only the target provider
 * reads every document back as it was.
 */
class CloudMigrationsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(12);

    @Test
    void rewrapFromLocalToAzureRetriesItsThrottlingAndAnAzureOnlyApplicationReadsEveryDocument() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        SandboxInfo.Azure azure = info().azure();
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (KmsFaultProxy proxy = KmsFaultProxy.start(azure.keyVaultEndpoint(), azure.caFile(), dir.resolve("proxy"));
             LocalProvider local = LocalProvider.load(info().localKeyFile());
             AzureProvider provider = AzureProvider.of(azure.tenantId(), azure.clientId(), azure.clientSecret(),
                     proxy.endpoint(), proxy.caFile())) {
            KmsTarget target = provider.target(proxy.endpoint(), azure.keyName(), null);
            Migrations migrations = migrations();
            MigrationPlan plan = migrations.plan(new MigrationRequest(Strategy.REWRAP, List.of(), "local", target,
                    MigrationRequest.DEFAULT_CHUNK, MigrationRequest.DEFAULT_BATCH, MigrationRequest.DEFAULT_WORKERS,
                    false, false, dir.resolve("backup.json")));
            assertThat(plan.describe()).anySatisfy(line -> assertThat(line)
                    .contains("; " + plan.keyIds().size() + " call(s) to Azure Key Vault expected"));
            assertThat(migrations.preflight(plan, List.of(local), target).blockers()).isEmpty();
            MigrationRecord record = migrations.begin(plan);
            proxy.arm(Fault.status(429).onlyFor("wrapkey").forNext(2));

            MigrationResult result = migrations.run(record.id(), List.of(local), target, dir.resolve("reports"),
                    new MigrationListener() {
                        @Override
                        public void retrying(String what, int attempt, Duration delay, String reason) {
                            reasons.add(reason);
                        }
                    }, () -> false);

            assertThat(result.verified()).as(String.valueOf(result.report().verification())).isTrue();
            assertThat(reasons).isNotEmpty().allMatch(reason -> reason.equals("Azure Key Vault is throttling requests"));
            // The keys name the proxy as their vault: the application reaches the emulator through it.
            assertThat(SandboxApplications.readDecrypted(SandboxApplications.azureOnly(info(), proxy.endpoint(),
                    proxy.caFile())))
                    .isEqualTo(before);
        }
    }

    @Test
    void rekeyFromGcpToKmipDecryptsThroughGcpAndAKmipOnlyApplicationReadsEveryDocument() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        SandboxInfo.Gcp gcpInfo = info().gcp();
        SandboxInfo.Kmip kmipInfo = info().kmip();
        try (GcpProvider gcp = GcpProvider.fromCredentialsFile(gcpInfo.credentialsFile(), null, gcpInfo.caFile());
             KmipProvider kmip = KmipProvider.of(kmipInfo.endpoint(), kmipInfo.caFile(), kmipInfo.clientCertFile())) {
            putSeededKeysUnder(gcp.target(gcpInfo.projectId(), gcpInfo.location(), gcpInfo.keyRing(), gcpInfo.keyName(),
                    null, gcpInfo.endpoint()));
            KmsTarget target = KmsTarget.kmip(kmip, null);
            Migrations migrations = migrations();
            MigrationPlan plan = migrations.plan(new MigrationRequest(Strategy.REKEY, List.of(), "gcp", target,
                    MigrationRequest.DEFAULT_CHUNK, 10, 2, false, false, dir.resolve("backup.json")));
            assertThat(migrations.preflight(plan, List.of(gcp), target).blockers()).isEmpty();
            MigrationRecord record = migrations.begin(plan);
            migrations.createKeys(record.id(), target, MigrationListener.NONE);

            MigrationResult result = migrations.run(record.id(), List.of(gcp), target, dir.resolve("reports"),
                    MigrationListener.NONE, () -> false);

            assertThat(result.verified()).as(String.valueOf(result.report().verification())).isTrue();
            assertThat(result.report().verification().checks()).extracting(Verification.Check::name)
                    .anySatisfy(name -> assertThat(name).contains("kmip"));
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.kmipOnly(info()))).isEqualTo(before);
    }

    /** What a vault under GCP looks like: every seeded key rewrapped to it with the driver alone. */
    private void putSeededKeysUnder(KmsTarget gcp) {
        try (LocalProvider local = LocalProvider.load(info().localKeyFile());
             KmsProviders providers = new KmsProviders().with(local).with(gcp.provider());
             ClientEncryption encryption = ClientEncryptions.create(stack.settings(), keyVaultNamespace(), providers)) {
            encryption.rewrapManyDataKey(new BsonDocument(),
                    new RewrapManyDataKeyOptions().provider("gcp").masterKey(gcp.masterKey()));
        }
    }

    private Migrations migrations() {
        return new Migrations(stack.client(), stack.settings(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
    }

    private MongoNamespace keyVaultNamespace() {
        return new MongoNamespace(info().keyVaultNamespace());
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
