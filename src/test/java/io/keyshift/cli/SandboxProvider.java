package io.keyshift.cli;

import com.mongodb.ClientEncryptionSettings;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.vault.RewrapManyDataKeyOptions;
import com.mongodb.client.vault.ClientEncryption;
import com.mongodb.client.vault.ClientEncryptions;
import io.keyshift.core.kms.AzureProvider;
import io.keyshift.core.kms.PemTrust;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.bson.BsonString;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A KMS provider of the sandbox as the matrix tests use it on either side of a migration: the options a
 * DBA types for it, an application that knows only it, and (for a source other than local) how to put
 * the seeded keys under it beforehand, with the driver alone.
 */
enum SandboxProvider {
    LOCAL("local"), AWS("aws"), AZURE("azure"), GCP("gcp"), KMIP("kmip");

    private final String wireName;

    SandboxProvider(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The options that reach this provider; for local, the sandbox's key file (a source's). */
    List<String> options(SandboxInfo info) {
        return switch (this) {
            case LOCAL -> List.of("--local-key", info.localKeyFile().toString());
            case AWS -> awsOptions(info);
            case KMIP -> kmipOptions(info);
            case AZURE -> azureOptions(info);
            case GCP -> gcpOptions(info);
        };
    }

    /** What the CLI reads from the environment for this provider: Azure's service principal, nothing for the others. */
    Map<String, String> environment(SandboxInfo info) {
        SandboxInfo.Azure azure = info.azure();
        return this == AZURE ? Map.of(AzureProvider.TENANT_ID_VARIABLE, azure.tenantId(),
                AzureProvider.CLIENT_ID_VARIABLE, azure.clientId(), AzureProvider.CLIENT_SECRET_VARIABLE, azure.clientSecret())
                : Map.of();
    }

    /**
     * {@code --to} and this provider's target options. The options a same-type source already gave serve
     * both sides; a rotation goes to the next CMK, the next Azure or GCP key, a new local key file, or a KMIP key the
     * server creates.
     */
    List<String> targetOptions(SandboxInfo info, SandboxProvider source, Path newLocalKey) {
        List<String> options = new ArrayList<>(List.of("--to", wireName));
        switch (this) {
            case LOCAL -> options.addAll(List.of("--new-local-key", newLocalKey.toString()));
            case AWS -> {
                options.addAll(List.of("--cmk", targetCmk(info, source)));
                if (source != AWS) {
                    options.addAll(awsOptions(info));
                }
            }
            case KMIP -> {
                if (source != KMIP) {
                    options.addAll(kmipOptions(info));
                }
            }
            case AZURE -> {
                options.addAll(List.of("--azure-key-vault-endpoint", info.azure().keyVaultEndpoint(),
                        "--azure-key-name", targetKeyName(info, source)));
                if (source != AZURE) {
                    options.addAll(azureOptions(info));
                }
            }
            case GCP -> {
                options.addAll(List.of("--gcp-project-id", info.gcp().projectId(), "--gcp-location", info.gcp().location(),
                        "--gcp-key-ring", info.gcp().keyRing(), "--gcp-key-name", targetKeyName(info, source)));
                if (source != GCP) {
                    options.addAll(gcpOptions(info));
                }
            }
        }
        return options;
    }

    /** The CMK an aws target wraps with: the next one when the keys are under the sandbox's CMK already. */
    static String targetCmk(SandboxInfo info, SandboxProvider source) {
        return source == AWS ? info.aws().nextCmkArn() : info.aws().cmkArn();
    }

    /** The Azure or GCP key a target of this type wraps with: the next one when the keys are under the first already. */
    String targetKeyName(SandboxInfo info, SandboxProvider source) {
        return switch (this) {
            case AZURE -> source == AZURE ? info.azure().nextKeyName() : info.azure().keyName();
            case GCP -> source == GCP ? info.gcp().nextKeyName() : info.gcp().keyName();
            default -> throw new IllegalArgumentException(this + " names its key otherwise");
        };
    }

    /** An application configured with this provider only; for local, with the given key file. */
    MongoClient application(SandboxInfo info, Path localKeyFile) {
        return switch (this) {
            case LOCAL -> SandboxApplications.localOnly(info, localKeyFile);
            case AWS -> SandboxApplications.awsOnly(info);
            case KMIP -> SandboxApplications.kmipOnly(info);
            case AZURE -> SandboxApplications.azureOnly(info);
            case GCP -> SandboxApplications.gcpOnly(info);
        };
    }

    /**
     * Rewraps every seeded key from the local key file to this provider (the sandbox's CMK, Azure key or GCP key; a new
     * KMIP key each).
     */
    void putSeededKeysUnder(SandboxInfo info, MongoClientSettings keyVaultClient) {
        if (this == LOCAL) {
            return;
        }
        Map<String, Map<String, Object>> providers = new HashMap<>();
        Map<String, SSLContext> tls = new HashMap<>();
        providers.put("local", Map.of("key", read(info.localKeyFile())));
        BsonDocument masterKey = new BsonDocument();
        switch (this) {
            case AWS -> {
                providers.put("aws", Map.of("accessKeyId", info.aws().migrator().accessKeyId(),
                        "secretAccessKey", info.aws().migrator().secretAccessKey()));
                tls.put("aws", PemTrust.sslContext(info.aws().caFile()));
                masterKey.append("region", new BsonString(info.aws().region()))
                        .append("key", new BsonString(info.aws().cmkArn()))
                        .append("endpoint", new BsonString(info.aws().endpoint()));
            }
            case KMIP -> {
                providers.put("kmip", Map.of("endpoint", info.kmip().endpoint()));
                tls.put("kmip", SandboxApplications.kmipTls(info));
            }
            case AZURE -> {
                providers.put("azure", SandboxApplications.azureEntry(info, info.azure().identityPlatformEndpoint()));
                tls.put("azure", PemTrust.sslContext(info.azure().caFile()));
                masterKey.append("keyVaultEndpoint", new BsonString(info.azure().keyVaultEndpoint()))
                        .append("keyName", new BsonString(info.azure().keyName()));
            }
            case GCP -> {
                providers.put("gcp", SandboxApplications.gcpEntry(info));
                tls.put("gcp", PemTrust.sslContext(info.gcp().caFile()));
                masterKey.append("projectId", new BsonString(info.gcp().projectId()))
                        .append("location", new BsonString(info.gcp().location()))
                        .append("keyRing", new BsonString(info.gcp().keyRing()))
                        .append("keyName", new BsonString(info.gcp().keyName()))
                        .append("endpoint", new BsonString(info.gcp().endpoint()));
            }
        }
        try (ClientEncryption encryption = ClientEncryptions.create(ClientEncryptionSettings.builder()
                .keyVaultMongoClientSettings(keyVaultClient)
                .keyVaultNamespace(info.keyVaultNamespace())
                .kmsProviders(providers)
                .kmsProviderSslContextMap(tls)
                .build())) {
            encryption.rewrapManyDataKey(new BsonDocument(),
                    new RewrapManyDataKeyOptions().provider(wireName).masterKey(masterKey));
        }
    }

    /** Azure's service principal comes from {@link #environment}; these say where to sign in and whom to trust. */
    private static List<String> azureOptions(SandboxInfo info) {
        return List.of("--azure-identity-endpoint", info.azure().identityPlatformEndpoint(),
                "--azure-ca-file", info.azure().caFile().toString());
    }

    /** The emulator serves both the token and the KMS calls at one endpoint. */
    private static List<String> gcpOptions(SandboxInfo info) {
        return List.of("--gcp-credentials-file", info.gcp().credentialsFile().toString(),
                "--gcp-endpoint", info.gcp().endpoint(), "--gcp-ca-file", info.gcp().caFile().toString());
    }

    private static List<String> awsOptions(SandboxInfo info) {
        return List.of("--region", info.aws().region(), "--endpoint", info.aws().endpoint(),
                "--kms-ca-file", info.aws().caFile().toString());
    }

    private static List<String> kmipOptions(SandboxInfo info) {
        return List.of("--kmip-endpoint", info.kmip().endpoint(), "--kmip-ca-file", info.kmip().caFile().toString(),
                "--kmip-client-cert", info.kmip().clientCertFile().toString());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
