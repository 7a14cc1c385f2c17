package io.keyshift.testing;

import io.keyshift.sandbox.TlsCertificates;
import io.keyshift.sandbox.emulator.AzureKeyVaultEmulator;
import io.keyshift.sandbox.emulator.AzureKeyVaultEmulator.KeyPermission;
import io.keyshift.sandbox.emulator.GcpKmsEmulator;
import io.keyshift.sandbox.emulator.GcpKmsEmulator.Permission;
import io.keyshift.sandbox.emulator.ServiceAccountKey;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Both cloud KMS emulators with principals and keys for tests: for each cloud one principal allowed
 * everything and one allowed only to read key metadata, a usable key, and keys that are wrong in one
 * way each (disabled, expired, no wrapKey; a key for signing, a disabled primary, a rotated key), and an
 * Azure key for tests that rotate it.
 */
public final class CloudKmsEmulators implements AutoCloseable {

    public static final String TENANT = "keyshift-tenant";
    public static final AzureKeyVaultEmulator.Client AZURE_MIGRATOR = new AzureKeyVaultEmulator.Client("migrator-app",
            "migrator-secret-1", Set.of(KeyPermission.values()));
    public static final AzureKeyVaultEmulator.Client AZURE_READER = new AzureKeyVaultEmulator.Client("reader-app",
            "reader-secret-1", Set.of(KeyPermission.GET));
    public static final String AZURE_KEY = "keyshift-key";
    public static final String AZURE_DISABLED_KEY = "disabled-key";
    public static final String AZURE_EXPIRED_KEY = "expired-key";
    public static final String AZURE_SIGNING_KEY = "signing-key";
    /** A key for tests that rotate it, so no other test sees its version change. */
    public static final String AZURE_ROTATING_KEY = "rotating-key";

    public static final String PROJECT = "keyshift-project";
    public static final String LOCATION = "global";
    public static final String KEY_RING = "keyshift-ring";
    public static final String GCP_KEY = "keyshift-key";
    public static final String GCP_SIGNING_KEY = "signing-key";
    public static final String GCP_DISABLED_KEY = "disabled-key";
    /** Version 1 enabled, version 2 the enabled primary: a key that was rotated once. */
    public static final String GCP_ROTATED_KEY = "rotated-key";

    private final Path caFile;
    private final Path encrypterFile;
    private final Path viewerFile;
    private final ServiceAccountKey encrypter;
    private final ServiceAccountKey viewer;
    private final AzureKeyVaultEmulator azure;
    private final GcpKmsEmulator gcp;

    private CloudKmsEmulators(Path dir) {
        TlsCertificates authority = TlsCertificates.newAuthority("KeyShift test CA");
        caFile = dir.resolve("ca.pem");
        TlsCertificates.writePem(caFile, authority.authorityCertificate());
        KeyStore serverKeyStore = authority.issueLoopbackServer().keyStore(authority.authorityCertificate());
        azure = AzureKeyVaultEmulator.start(TENANT, List.of(AZURE_MIGRATOR, AZURE_READER), List.of(
                AzureKeyVaultEmulator.KeySpec.wrapping(AZURE_KEY),
                new AzureKeyVaultEmulator.KeySpec(AZURE_DISABLED_KEY, false, AzureKeyVaultEmulator.KeySpec.ALL_OPERATIONS, null),
                new AzureKeyVaultEmulator.KeySpec(AZURE_EXPIRED_KEY, true, AzureKeyVaultEmulator.KeySpec.ALL_OPERATIONS,
                        Instant.now().minusSeconds(86_400)),
                new AzureKeyVaultEmulator.KeySpec(AZURE_SIGNING_KEY, true, List.of("sign", "verify"), null),
                AzureKeyVaultEmulator.KeySpec.wrapping(AZURE_ROTATING_KEY)),
                serverKeyStore);
        encrypter = ServiceAccountKey.generate("migrator@" + PROJECT + ".iam.gserviceaccount.com");
        viewer = ServiceAccountKey.generate("viewer@" + PROJECT + ".iam.gserviceaccount.com");
        gcp = GcpKmsEmulator.start(List.of(encrypter.withPermissions(Set.of(Permission.values())),
                        viewer.withPermissions(Set.of(Permission.GET_KEY, Permission.GET_VERSION))),
                List.of(GcpKmsEmulator.KeySpec.encryptDecrypt(PROJECT, LOCATION, KEY_RING, GCP_KEY),
                        new GcpKmsEmulator.KeySpec(PROJECT, LOCATION, KEY_RING, GCP_SIGNING_KEY, "ASYMMETRIC_SIGN", List.of("ENABLED"), 1),
                        new GcpKmsEmulator.KeySpec(PROJECT, LOCATION, KEY_RING, GCP_DISABLED_KEY, "ENCRYPT_DECRYPT", List.of("DISABLED"), 1),
                        new GcpKmsEmulator.KeySpec(PROJECT, LOCATION, KEY_RING, GCP_ROTATED_KEY, "ENCRYPT_DECRYPT",
                                List.of("ENABLED", "ENABLED"), 2)),
                serverKeyStore);
        encrypterFile = dir.resolve("migrator.json");
        encrypter.writeJsonFile(encrypterFile, PROJECT, gcp.endpoint());
        viewerFile = dir.resolve("viewer.json");
        viewer.writeJsonFile(viewerFile, PROJECT, gcp.endpoint());
    }

    /** Starts both emulators; the CA and the service-account key files are written to {@code dir}. */
    public static CloudKmsEmulators start(Path dir) {
        return new CloudKmsEmulators(dir);
    }

    public Path caFile() {
        return caFile;
    }

    public AzureKeyVaultEmulator azure() {
        return azure;
    }

    public GcpKmsEmulator gcp() {
        return gcp;
    }

    public ServiceAccountKey encrypter() {
        return encrypter;
    }

    public ServiceAccountKey viewer() {
        return viewer;
    }

    /** The JSON key file of the service account allowed everything. */
    public Path encrypterFile() {
        return encrypterFile;
    }

    /** The JSON key file of the service account allowed only to read key metadata. */
    public Path viewerFile() {
        return viewerFile;
    }

    @Override
    public void close() {
        azure.close();
        gcp.close();
    }
}
