package io.keyshift.sandbox;

import io.keyshift.sandbox.emulator.AzureKeyVaultEmulator;
import io.keyshift.sandbox.emulator.AzureKeyVaultEmulator.KeyPermission;
import io.keyshift.sandbox.emulator.GcpKmsEmulator;
import io.keyshift.sandbox.emulator.GcpKmsEmulator.Permission;
import io.keyshift.sandbox.emulator.ServiceAccountKey;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The sandbox's Azure Key Vault and Google Cloud KMS emulators, in this JVM: for each cloud a key to
 * move to, a second key to rotate to, a principal allowed to use them and one only allowed to read them.
 */
final class SandboxCloudKms implements AutoCloseable {

    static final String AZURE_TENANT = "keyshift-sandbox-tenant";
    static final String AZURE_MIGRATOR = "keyshift-migrator";
    static final String AZURE_READ_ONLY = "keyshift-read-only";
    static final String KEY_NAME = "keyshift-sandbox";
    static final String NEXT_KEY_NAME = "keyshift-sandbox-next";
    static final String GCP_PROJECT = "keyshift-sandbox";
    static final String GCP_LOCATION = "global";
    static final String GCP_KEY_RING = "keyshift-sandbox";
    static final String GCP_MIGRATOR = "keyshift-migrator@keyshift-sandbox.iam.gserviceaccount.com";
    static final String GCP_READ_ONLY = "keyshift-read-only@keyshift-sandbox.iam.gserviceaccount.com";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AzureKeyVaultEmulator azure;
    private final GcpKmsEmulator gcp;
    private final SandboxInfo.Azure azureInfo;
    private final SandboxInfo.Gcp gcpInfo;

    private SandboxCloudKms(TlsCertificates.Issued server, TlsCertificates authority, Path caFile, Path dir) {
        KeyStore keyStore = server.keyStore(authority.authorityCertificate());
        String migratorSecret = secret();
        String readOnlySecret = secret();
        azure = AzureKeyVaultEmulator.start(AZURE_TENANT,
                List.of(new AzureKeyVaultEmulator.Client(AZURE_MIGRATOR, migratorSecret, Set.of(KeyPermission.values())),
                        new AzureKeyVaultEmulator.Client(AZURE_READ_ONLY, readOnlySecret, Set.of(KeyPermission.GET))),
                List.of(AzureKeyVaultEmulator.KeySpec.wrapping(KEY_NAME), AzureKeyVaultEmulator.KeySpec.wrapping(NEXT_KEY_NAME)),
                keyStore);
        ServiceAccountKey migrator = ServiceAccountKey.generate(GCP_MIGRATOR);
        ServiceAccountKey readOnly = ServiceAccountKey.generate(GCP_READ_ONLY);
        try {
            gcp = GcpKmsEmulator.start(List.of(migrator.withPermissions(Set.of(Permission.values())),
                            readOnly.withPermissions(Set.of(Permission.GET_KEY, Permission.GET_VERSION))),
                    List.of(GcpKmsEmulator.KeySpec.encryptDecrypt(GCP_PROJECT, GCP_LOCATION, GCP_KEY_RING, KEY_NAME),
                            GcpKmsEmulator.KeySpec.encryptDecrypt(GCP_PROJECT, GCP_LOCATION, GCP_KEY_RING, NEXT_KEY_NAME)),
                    keyStore);
        } catch (RuntimeException e) {
            azure.close();
            throw e;
        }
        Path migratorFile = dir.resolve("gcp-migrator.json");
        Path readOnlyFile = dir.resolve("gcp-read-only.json");
        migrator.writeJsonFile(migratorFile, GCP_PROJECT, gcp.endpoint());
        readOnly.writeJsonFile(readOnlyFile, GCP_PROJECT, gcp.endpoint());
        azureInfo = new SandboxInfo.Azure(azure.endpoint(), KEY_NAME, NEXT_KEY_NAME, azure.endpoint(), AZURE_TENANT,
                AZURE_MIGRATOR, migratorSecret, AZURE_READ_ONLY, readOnlySecret, caFile);
        gcpInfo = new SandboxInfo.Gcp(GCP_PROJECT, GCP_LOCATION, GCP_KEY_RING, KEY_NAME, NEXT_KEY_NAME, gcp.endpoint(),
                migratorFile, readOnlyFile, caFile);
    }

    /**
     * Starts both emulators with {@code server}'s certificate (issued by {@code authority}, whose PEM is
     * {@code caFile}); the service accounts' JSON key files are written to {@code dir}.
     */
    static SandboxCloudKms start(TlsCertificates authority, TlsCertificates.Issued server, Path caFile, Path dir) {
        return new SandboxCloudKms(server, authority, caFile, dir);
    }

    SandboxInfo.Azure azureInfo() {
        return azureInfo;
    }

    SandboxInfo.Gcp gcpInfo() {
        return gcpInfo;
    }

    /** Throwaway client secrets use only the characters the drivers send unencoded. */
    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        azure.close();
        gcp.close();
    }
}
