package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.GcpProvider;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KmsFaultProxy;
import io.keyshift.testing.KmsFaultProxy.Fault;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Azure and GCP faults through the KMS fault proxy in front of the sandbox's emulators: the driver
 * does not retry them, so KeyShift's retry must judge 429, 5xx and a dropped connection transient,
 * and a refusal (403) not.
 */
@ExtendWith(StackExtension.class)
class CloudKmsFaultsTest {

    @TempDir
    Path dir;

    @Test
    void azureServerErrorThrottlingAndDroppedConnectionAreTransientAndThenTheKeyIsMade(TestStack stack) {
        SandboxInfo.Azure azure = stack.info().azure();
        try (KmsFaultProxy proxy = KmsFaultProxy.start(azure.keyVaultEndpoint(), azure.caFile(), dir);
             AzureProvider provider = AzureProvider.of(azure.tenantId(), azure.clientId(), azure.clientSecret(),
                     proxy.endpoint(), proxy.caFile())) {
            KmsTarget target = provider.target(proxy.endpoint(), azure.keyName(), null);

            proxy.arm(Fault.status(503).onlyFor("wrapkey").forNext(1));
            assertThat(KmsRetry.isTransient(catchThrowable(() -> createKey(stack, target)))).isTrue();
            proxy.arm(Fault.status(429).onlyFor("token").forNext(1));
            assertThat(KmsRetry.isTransient(catchThrowable(() -> createKey(stack, target)))).isTrue();
            // The first drop lands on the connection kept from the calls before, and a kept connection that
            // fails before answering gets the request once more on a fresh one: the second drop is what surfaces.
            proxy.arm(Fault.dropConnection().onlyFor("wrapkey").forNext(2));
            assertThat(KmsRetry.isTransient(catchThrowable(() -> createKey(stack, target)))).isTrue();

            assertThat(catchThrowable(() -> createKey(stack, target))).isNull();
            assertThat(proxy.requests("wrapkey")).isEqualTo(4);
        }
    }

    @Test
    void gcpServerErrorIsTransientAndARefusalIsNot(TestStack stack) {
        SandboxInfo.Gcp gcp = stack.info().gcp();
        try (KmsFaultProxy proxy = KmsFaultProxy.start(gcp.endpoint(), gcp.caFile(), dir);
             GcpProvider provider = GcpProvider.fromCredentialsFile(gcp.credentialsFile(), proxy.endpoint(), proxy.caFile());
             GcpProvider readOnly = GcpProvider.fromCredentialsFile(gcp.readOnlyCredentialsFile(), proxy.endpoint(),
                     proxy.caFile())) {
            KmsTarget target = provider.target(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.keyName(), null,
                    proxy.endpoint());

            proxy.arm(Fault.status(500).onlyFor("encrypt").forNext(1));
            assertThat(KmsRetry.isTransient(catchThrowable(() -> createKey(stack, target)))).isTrue();
            assertThat(catchThrowable(() -> createKey(stack, target))).isNull();

            KmsTarget denied = readOnly.target(gcp.projectId(), gcp.location(), gcp.keyRing(), gcp.keyName(), null,
                    proxy.endpoint());
            Throwable refusal = catchThrowable(() -> createKey(stack, denied));
            assertThat(refusal).hasMessageContaining("HTTP status=403");
            assertThat(KmsRetry.isTransient(refusal)).isFalse();
        }
    }

    /** Creates a data key under the target and deletes it again. */
    private static void createKey(TestStack stack, KmsTarget target) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(stack.info().mongodbUri())).build();
        try (KmsProviders providers = new KmsProviders().with(target.provider());
             ClientEncryption encryption = ClientEncryptions.create(settings,
                     new MongoNamespace(stack.info().keyVaultNamespace()), providers)) {
            encryption.deleteKey(encryption.createDataKey(target.provider().name(),
                    new DataKeyOptions().masterKey(target.masterKey())));
        }
    }
}
