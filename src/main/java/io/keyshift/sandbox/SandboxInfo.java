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
                          Kmip kmip) {

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

    /** Throwaway credentials of an IAM user that exists only inside the sandbox's emulator. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }

    public static final String FILE_NAME = "sandbox.json";

    private static final String NOTE = "Throwaway credentials of a local AWS emulator and KMIP server,"
            + " valid only inside this sandbox.";

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
                        .append("clientCertFile", kmip.clientCertFile().toString()));
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
                            Path.of(kmip.getString("clientCertFile"))));
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
