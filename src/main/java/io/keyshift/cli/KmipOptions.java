package io.keyshift.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The KMIP server, on whichever side it is. The client certificate's private key is read from its PEM file,
 * never taken on the command line.
 */
final class KmipOptions {

    static final String ENDPOINT = "--kmip-endpoint";
    static final String CA_FILE = "--kmip-ca-file";
    static final String CLIENT_CERT = "--kmip-client-cert";

    @Option(names = ENDPOINT, paramLabel = "HOST:PORT", description = "The KMIP server, e.g. kmip.example.com:5696.")
    String endpoint;

    @Option(names = CA_FILE, paramLabel = "PEM", description = "PEM file of the CA that signed the KMIP server's certificate.")
    Path caFile;

    @Option(names = CLIENT_CERT, paramLabel = "PEM",
            description = "PEM file with KeyShift's client certificate and its private key, as the KMIP server expects.")
    Path clientCertificate;

    @Option(names = "--kmip-key-id", paramLabel = "ID", description = "Target: the KMIP key to wrap the data keys with"
            + " (default: the KMIP server creates one).")
    String keyId;
}
