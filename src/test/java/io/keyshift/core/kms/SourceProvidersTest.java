package io.keyshift.core.kms;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SourceProvidersTest {

    @TempDir
    Path dir;

    private static DataKey keyUnder(String provider) {
        return new DataKey(UUID.randomUUID(), List.of(), new MasterKeyRef(provider, Map.of()), null, null, 0);
    }

    private LocalProvider localProvider() throws Exception {
        return LocalProvider.load(Files.write(dir.resolve("master.key"), new byte[96]));
    }

    @Test
    void aNamedProviderOnTheKeysIsServedByTheGivenProviderOfItsTypeUnderThatName() throws Exception {
        try (LocalProvider local = localProvider();
             SourceProviders sources = SourceProviders.forKeys(List.of(keyUnder("local"), keyUnder("local:old")),
                     List.of(local))) {
            assertThat(sources.providers()).containsOnlyKeys("local", "local:old");
            assertThat(sources.provider("local")).containsSame(local);
            assertThat(sources.provider("local:old").orElseThrow().name()).isEqualTo("local:old");
            assertThat(sources.missing()).isEmpty();
            try (KmsProviders providers = sources.kmsProviders()) {
                assertThat(providers.properties()).containsOnlyKeys("local", "local:old");
            }
        }
    }

    @Test
    void closingClosesOnlyTheRenamedCopies() throws Exception {
        try (LocalProvider local = localProvider()) {
            SourceProviders sources = SourceProviders.forKeys(List.of(keyUnder("local:old")), List.of(local));
            LocalProvider copy = (LocalProvider) sources.provider("local:old").orElseThrow();

            sources.close();

            assertThat(copy.masterKey().isDestroyed()).isTrue();
            assertThat(local.masterKey().isDestroyed()).isFalse();
        }
    }

    @Test
    void eachProviderGivenNothingSaysWhatToGive() {
        try (SourceProviders sources = SourceProviders.forKeys(List.of(keyUnder("local:old"), keyUnder("aws"),
                keyUnder("kmip"), keyUnder("gcp"), keyUnder("vault")), List.of())) {
            assertThat(sources.providers()).isEmpty();
            assertThat(sources.missing()).containsOnly(
                    Map.entry("local:old", "no local key file was given for provider local:old: give the local master"
                            + " key file its data keys were made with"),
                    Map.entry("aws", "no AWS credentials were given for provider aws: give AWS credentials (a profile,"
                            + " environment variables or access keys) that may use kms:Decrypt on its CMK"),
                    Map.entry("kmip", "no KMIP server was given for provider kmip: give its endpoint, the CA file that"
                            + " signed its certificate and KeyShift's client certificate"),
                    Map.entry("gcp", "no Google Cloud KMS credentials were given for provider gcp: give credentials"
                            + " that may unwrap with its key"),
                    Map.entry("vault", "provider vault is not one KeyShift knows (local, aws, azure, gcp, kmip): leave"
                            + " its data keys out of the selection"));
        }
    }
}
