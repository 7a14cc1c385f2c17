package io.keyshift.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Google Cloud KMS, on whichever side it is. The service account's key is read from its JSON file (or the file
 * GOOGLE_APPLICATION_CREDENTIALS names): no option carries a secret.
 */
final class GcpOptions {

    static final String PROJECT_ID = "--gcp-project-id";
    static final String LOCATION = "--gcp-location";
    static final String KEY_RING = "--gcp-key-ring";
    static final String KEY_NAME = "--gcp-key-name";

    @Option(names = PROJECT_ID, paramLabel = "P", description = "Target: the project of the key.")
    String projectId;

    @Option(names = LOCATION, paramLabel = "L", description = "Target: the key ring's location, e.g. global or us-east1.")
    String location;

    @Option(names = KEY_RING, paramLabel = "R", description = "Target: the key ring.")
    String keyRing;

    @Option(names = KEY_NAME, paramLabel = "N", description = "Target: the key to wrap the data keys with.")
    String keyName;

    @Option(names = "--gcp-key-version", paramLabel = "V", description = "Target: a key version to pin (default: the key's"
            + " primary version).")
    String keyVersion;

    @Option(names = "--gcp-endpoint", paramLabel = "HOST", description = "A private or emulated endpoint serving both the"
            + " OAuth token and the Cloud KMS calls (default: oauth2.googleapis.com and cloudkms.googleapis.com).")
    String endpoint;

    @Option(names = "--gcp-ca-file", paramLabel = "PEM",
            description = "PEM file of the CA that signed the endpoints' certificates (default: the JVM's trust).")
    Path caFile;

    @Option(names = "--gcp-credentials-file", paramLabel = "FILE",
            description = "A service account's JSON key file (default: the file GOOGLE_APPLICATION_CREDENTIALS names).")
    Path credentialsFile;

    @Option(names = "--gcp-access-token-file", paramLabel = "FILE",
            description = "A file holding an access token with the Cloud KMS scope, used instead of a service account"
                    + " key (`gcloud auth print-access-token > FILE`). It expires, in about an hour: KeyShift cannot"
                    + " renew it.")
    Path accessTokenFile;
}
