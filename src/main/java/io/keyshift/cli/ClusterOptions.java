package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.inspect.InspectRequest;
import io.keyshift.core.keyvault.KeyVault;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How a command reaches the cluster and its key vault: shared by every command that connects. */
final class ClusterOptions {

    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "Connection string, e.g. mongodb://user:pass@host:27017/?replicaSet=rs0.")
    String uri;

    @Option(names = "--key-vault", paramLabel = "DB.COLL", description = "Key vault namespace (default: ${DEFAULT-VALUE}).")
    String keyVault = InspectRequest.DEFAULT_KEY_VAULT;

    @Option(names = "--tls-ca-file", paramLabel = "FILE", description = "PEM file of the CA that signed the server's certificate.")
    Path caFile;

    @Option(names = "--tls-certificate-key-file", paramLabel = "FILE",
            description = "PEM file with the client certificate and its private key.")
    Path clientCertificateKeyFile;

    ConnectionProfile profile() {
        return ConnectionProfile.of(uri, caFile, clientCertificateKeyFile);
    }

    MongoNamespace keyVaultNamespace() {
        return KeyVault.namespace(keyVault);
    }
}
