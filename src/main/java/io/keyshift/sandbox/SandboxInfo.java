package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.bson.Document;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything a client needs to reach a running sandbox; stored as {@code sandbox.json}. The field
 * names are a contract with the tests and with users' scripts: change them nowhere else.
 */
public record SandboxInfo(String mongodbUri,
                          String keyVaultNamespace,
                          Path localKeyFile,
                          Path schemaMapFile,
                          Aws aws,
                          Kmip kmip,
                          Azure azure,
                          Gcp gcp) {

    /**
     * The AWS side: the emulator's endpoint and CA, the CMK, a second CMK to rotate to, and two IAM
     * users' throwaway keys.
     */
    public record Aws(String region,
                      String cmkArn,
                      String aliasArn,
                      String nextCmkArn,
                      String endpoint,
                      Path caFile,
                      Credentials migrator,
                      Credentials readOnly) {
    }

    /**
     * The KMIP server: {@code endpoint} is HOST:PORT, {@code caFile} the CA that issued its certificate,
     * {@code clientCertFile} KeyShift's client certificate and its private key (PKCS#8) in one PEM.
     */
    public record Kmip(String endpoint, Path caFile, Path clientCertFile) {
    }

    /**
     * The Azure Key Vault emulator: one {@code host:port} serves both the vault and the identity platform;
     * a client allowed to wrap and unwrap with both keys, and one only allowed to read them.
     */
    public record Azure(String keyVaultEndpoint,
                        String keyName,
                        String nextKeyName,
                        String identityPlatformEndpoint,
                        String tenantId,
                        String clientId,
                        String clientSecret,
                        String readOnlyClientId,
                        String readOnlyClientSecret,
                        Path caFile) {
        @Override
        public String toString() {
            return "Azure[keyVaultEndpoint=" + keyVaultEndpoint + ", keyName=" + keyName + ", tenantId=" + tenantId
                    + ", clientId=" + clientId + ", clientSecret=****]";
        }
    }

    /**
     * The Google Cloud KMS emulator: {@code endpoint} serves both the token and the KMS calls; the
     * service-account JSON key files of an account allowed to encrypt and decrypt, and one only allowed to read.
     */
    public record Gcp(String projectId,
                      String location,
                      String keyRing,
                      String keyName,
                      String nextKeyName,
                      String endpoint,
                      Path credentialsFile,
                      Path readOnlyCredentialsFile,
                      Path caFile) {
    }

    /** Throwaway credentials of an IAM user that exists only inside the sandbox's emulator. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }

    public static final String FILE_NAME = "sandbox.json";

    private static final String NOTE = "Throwaway credentials of local AWS KMS, Azure Key Vault and Google Cloud KMS"
            + " emulators and a KMIP server, valid only inside this sandbox.";

    public void write(Path file) {
        Document aws = new Document("region", aws().region())
                .append("cmkArn", aws().cmkArn())
                .append("aliasArn", aws().aliasArn())
                .append("nextCmkArn", aws().nextCmkArn())
                .append("endpoint", aws().endpoint())
                .append("caFile", aws().caFile().toString())
                .append("migrator", credentials(aws().migrator()))
                .append("readOnly", credentials(aws().readOnly()));
        Document doc = new Document("note", NOTE)
                .append("mongodbUri", mongodbUri)
                .append("keyVaultNamespace", keyVaultNamespace)
                .append("localKeyFile", localKeyFile.toString())
                .append("schemaMapFile", schemaMapFile.toString())
                .append("aws", aws)
                .append("kmip", new Document("endpoint", kmip.endpoint())
                        .append("caFile", kmip.caFile().toString())
                        .append("clientCertFile", kmip.clientCertFile().toString()))
                .append("azure", new Document("keyVaultEndpoint", azure.keyVaultEndpoint())
                        .append("keyName", azure.keyName())
                        .append("nextKeyName", azure.nextKeyName())
                        .append("identityPlatformEndpoint", azure.identityPlatformEndpoint())
                        .append("tenantId", azure.tenantId())
                        .append("clientId", azure.clientId())
                        .append("clientSecret", azure.clientSecret())
                        .append("readOnlyClientId", azure.readOnlyClientId())
                        .append("readOnlyClientSecret", azure.readOnlyClientSecret())
                        .append("caFile", azure.caFile().toString()))
                .append("gcp", new Document("projectId", gcp.projectId())
                        .append("location", gcp.location())
                        .append("keyRing", gcp.keyRing())
                        .append("keyName", gcp.keyName())
                        .append("nextKeyName", gcp.nextKeyName())
                        .append("endpoint", gcp.endpoint())
                        .append("credentialsFile", gcp.credentialsFile().toString())
                        .append("readOnlyCredentialsFile", gcp.readOnlyCredentialsFile().toString())
                        .append("caFile", gcp.caFile().toString()));
        try {
            OwnerOnlyFiles.write(file, doc.toJson(JsonWriterSettings.builder().indent(true).build()) + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    public static SandboxInfo read(Path file) {
        try {
            Document doc = Document.parse(Files.readString(file, StandardCharsets.UTF_8));
            Document aws = doc.get("aws", Document.class);
            Document kmip = doc.get("kmip", Document.class);
            Document azure = doc.get("azure", Document.class);
            Document gcp = doc.get("gcp", Document.class);
            return new SandboxInfo(doc.getString("mongodbUri"),
                    doc.getString("keyVaultNamespace"),
                    Path.of(doc.getString("localKeyFile")),
                    Path.of(doc.getString("schemaMapFile")),
                    new Aws(aws.getString("region"),
                            aws.getString("cmkArn"),
                            aws.getString("aliasArn"),
                            aws.getString("nextCmkArn"),
                            aws.getString("endpoint"),
                            Path.of(aws.getString("caFile")),
                            credentials(aws.get("migrator", Document.class)),
                            credentials(aws.get("readOnly", Document.class))),
                    new Kmip(kmip.getString("endpoint"),
                            Path.of(kmip.getString("caFile")),
                            Path.of(kmip.getString("clientCertFile"))),
                    new Azure(azure.getString("keyVaultEndpoint"),
                            azure.getString("keyName"),
                            azure.getString("nextKeyName"),
                            azure.getString("identityPlatformEndpoint"),
                            azure.getString("tenantId"),
                            azure.getString("clientId"),
                            azure.getString("clientSecret"),
                            azure.getString("readOnlyClientId"),
                            azure.getString("readOnlyClientSecret"),
                            Path.of(azure.getString("caFile"))),
                    new Gcp(gcp.getString("projectId"),
                            gcp.getString("location"),
                            gcp.getString("keyRing"),
                            gcp.getString("keyName"),
                            gcp.getString("nextKeyName"),
                            gcp.getString("endpoint"),
                            Path.of(gcp.getString("credentialsFile")),
                            Path.of(gcp.getString("readOnlyCredentialsFile")),
                            Path.of(gcp.getString("caFile"))));
        } catch (IOException | RuntimeException e) {
            throw new KeyShiftException("Could not read the sandbox description " + file + ": " + e.getMessage(), e);
        }
    }

    private static Document credentials(Credentials credentials) {
        return new Document("accessKeyId", credentials.accessKeyId())
                .append("secretAccessKey", credentials.secretAccessKey());
    }

    private static Credentials credentials(Document doc) {
        return new Credentials(doc.getString("accessKeyId"), doc.getString("secretAccessKey"));
    }
}
