package io.keyshift.sandbox.emulator;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.bson.Document;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * A throwaway Google service account key pair, written as the JSON key file Google hands out, for the
 * sandbox's {@link GcpKmsEmulator}.
 */
public record ServiceAccountKey(String email, KeyPair keyPair) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static ServiceAccountKey generate(String email) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return new ServiceAccountKey(email, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("Could not generate a service account key: " + e.getMessage(), e);
        }
    }

    /** The account as the emulator knows it: its public key and the given permissions. */
    public GcpKmsEmulator.ServiceAccount withPermissions(Set<GcpKmsEmulator.Permission> permissions) {
        return new GcpKmsEmulator.ServiceAccount(email, keyPair.getPublic(), permissions);
    }

    /** Writes the service-account JSON key file (owner-only: it holds the private key). */
    public void writeJsonFile(Path file, String projectId, String tokenEndpoint) {
        byte[] id = new byte[20];
        RANDOM.nextBytes(id);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keyPair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Document json = new Document("type", "service_account")
                .append("project_id", projectId)
                .append("private_key_id", HexFormat.of().formatHex(id))
                .append("private_key", pem)
                .append("client_email", email)
                .append("token_uri", "https://" + tokenEndpoint + "/token");
        try {
            OwnerOnlyFiles.write(file, json.toJson(JsonWriterSettings.builder().indent(true).build()) + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[email=" + email + ", keyPair=****]";
    }
}
