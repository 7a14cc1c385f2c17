package io.keyshift.testing;

import com.mongodb.AutoEncryptionSettings;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Sorts;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.PemTrust;
import io.keyshift.sandbox.SandboxInfo;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.UuidRepresentation;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Clients as an application configured for automatic decryption would hold them, each knowing one
 * provider only: the local master key (before a migration, or a new key file after a local → local
 * rotation), or the target's after it (aws, kmip, azure, gcp).
 */
public final class SandboxApplications {

    /** The sandbox's collections holding encrypted values. */
    public static final List<String> COLLECTIONS = List.of("hr.employees", "clinic.patients", "clinic.visits");

    private SandboxApplications() {
    }

    public static MongoClient localOnly(SandboxInfo info) {
        return localOnly(info, info.localKeyFile());
    }

    /** An application whose only provider is {@code local}, with the key in {@code keyFile}. */
    public static MongoClient localOnly(SandboxInfo info, Path keyFile) {
        try {
            return application(info, Map.of("local", Map.of("key", Files.readAllBytes(keyFile))), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MongoClient awsOnly(SandboxInfo info) {
        return awsOnly(info, info.aws().caFile());
    }

    /** With the CA of the KMS endpoint the keys name, e.g. a proxy's. */
    public static MongoClient awsOnly(SandboxInfo info, Path kmsCaFile) {
        SandboxInfo.Credentials migrator = info.aws().migrator();
        return application(info, Map.of("aws", Map.of("accessKeyId", migrator.accessKeyId(),
                        "secretAccessKey", migrator.secretAccessKey())),
                Map.of("aws", PemTrust.sslContext(kmsCaFile)));
    }

    /** An application whose only provider is the sandbox's KMIP server, with KeyShift's client certificate. */
    public static MongoClient kmipOnly(SandboxInfo info) {
        return application(info, Map.of("kmip", Map.of("endpoint", info.kmip().endpoint())),
                Map.of("kmip", kmipTls(info)));
    }

    /** TLS to the sandbox's KMIP server with KeyShift's client certificate, as KeyShift's own provider sets it up. */
    public static SSLContext kmipTls(SandboxInfo info) {
        try (KmipProvider kmip = KmipProvider.of(info.kmip().endpoint(), info.kmip().caFile(), info.kmip().clientCertFile())) {
            return kmip.sslContext().orElseThrow();
        }
    }

    public static MongoClient azureOnly(SandboxInfo info) {
        return azureOnly(info, info.azure().identityPlatformEndpoint(), info.azure().caFile());
    }

    /**
     * Knowing only the sandbox's Azure Key Vault emulator, signing in as its migrator at
     * {@code identityEndpoint} and trusting {@code caFile} (a proxy's, when the keys name one).
     */
    public static MongoClient azureOnly(SandboxInfo info, String identityEndpoint, Path caFile) {
        return application(info, Map.of("azure", azureEntry(info, identityEndpoint)), Map.of("azure", PemTrust.sslContext(caFile)));
    }

    /** The kmsProviders entry of the sandbox's Azure migrator, signing in at {@code identityEndpoint}. */
    public static Map<String, Object> azureEntry(SandboxInfo info, String identityEndpoint) {
        SandboxInfo.Azure azure = info.azure();
        return Map.of("tenantId", azure.tenantId(), "clientId", azure.clientId(), "clientSecret", azure.clientSecret(),
                "identityPlatformEndpoint", identityEndpoint);
    }

    /** Knowing only the sandbox's Google Cloud KMS emulator, as the service account of its key file. */
    public static MongoClient gcpOnly(SandboxInfo info) {
        return application(info, Map.of("gcp", gcpEntry(info)), Map.of("gcp", PemTrust.sslContext(info.gcp().caFile())));
    }

    /** The kmsProviders entry of the sandbox's GCP service account, read from its key file as an application would. */
    public static Map<String, Object> gcpEntry(SandboxInfo info) {
        try {
            Document account = Document.parse(Files.readString(info.gcp().credentialsFile()));
            String privateKey = account.getString("private_key").replaceAll("-----[A-Z ]+-----|\\s", "");
            return Map.of("email", account.getString("client_email"), "privateKey", privateKey,
                    "endpoint", info.gcp().endpoint());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MongoClient application(SandboxInfo info, Map<String, Map<String, Object>> providers,
                                           Map<String, SSLContext> tls) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD)
                .autoEncryptionSettings(AutoEncryptionSettings.builder()
                        .keyVaultNamespace(info.keyVaultNamespace())
                        .kmsProviders(providers)
                        .kmsProviderSslContextMap(tls)
                        .bypassAutoEncryption(true)
                        .build())
                .build());
    }

    /** Every document of the sandbox's collections, decrypted, in _id order; closes the client. */
    public static Map<String, List<BsonDocument>> readDecrypted(MongoClient application) {
        try (application) {
            return COLLECTIONS.stream().collect(Collectors.toMap(ns -> ns, ns -> {
                MongoNamespace namespace = new MongoNamespace(ns);
                return application.getDatabase(namespace.getDatabaseName())
                        .getCollection(namespace.getCollectionName(), BsonDocument.class)
                        .find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
            }));
        }
    }
}
