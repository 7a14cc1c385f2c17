package io.keyshift.core.cluster;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import io.keyshift.core.KeyShiftException;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How to reach a cluster: a connection string (authentication and TLS options as in the string),
 * plus an optional CA file and client certificate for TLS. Its {@link #toString()} never shows the
 * password.
 */
public final class ConnectionProfile {

    /** Long enough for a healthy server across a WAN, short enough that a typo fails at once. */
    static final int DEFAULT_TIMEOUT_SECONDS = 5;

    private final ConnectionString connectionString;
    private final Path caFile;
    private final Path clientCertificateKeyFile;

    private ConnectionProfile(ConnectionString connectionString, Path caFile, Path clientCertificateKeyFile) {
        this.connectionString = connectionString;
        this.caFile = caFile;
        this.clientCertificateKeyFile = clientCertificateKeyFile;
    }

    public static ConnectionProfile of(String uri) {
        return of(uri, null, null);
    }

    /**
     * @param caFile                   PEM file of the CAs to trust, or null for the JVM's defaults
     * @param clientCertificateKeyFile PEM file with the client certificate and its unencrypted
     *                                 private key (as mongosh's {@code --tlsCertificateKeyFile}), or null
     */
    public static ConnectionProfile of(String uri, Path caFile, Path clientCertificateKeyFile) {
        if (uri == null || uri.isBlank()) {
            throw new KeyShiftException("No connection string given: pass one such as mongodb://host:27017.");
        }
        ConnectionString connectionString;
        try {
            connectionString = new ConnectionString(uri.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyShiftException("The connection string is not valid: " + withoutPassword(e.getMessage(), uri)
                    + " Expected the form mongodb://[user:password@]host[:port][/?options].", e);
        }
        return new ConnectionProfile(connectionString, caFile, clientCertificateKeyFile);
    }

    /** The hosts as typed in the connection string, for messages: {@code db1:27017,db2:27017}. */
    public String hosts() {
        return String.join(",", connectionString.getHosts());
    }

    public Optional<String> userName() {
        return Optional.ofNullable(connectionString.getUsername());
    }

    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    public Optional<Path> clientCertificateKeyFile() {
        return Optional.ofNullable(clientCertificateKeyFile);
    }

    /**
     * Driver settings: the connection string's own options win; where it sets no timeout, server
     * selection and connecting give up after a few seconds so an unreachable host fails fast.
     */
    public MongoClientSettings clientSettings() {
        MongoClientSettings.Builder builder = MongoClientSettings.builder()
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .applyConnectionString(connectionString);
        if (caFile != null || clientCertificateKeyFile != null) {
            SSLContext context = TlsFiles.sslContext(caFile, clientCertificateKeyFile);
            builder.applyToSslSettings(ssl -> ssl.enabled(true).context(context));
        }
        return builder.build();
    }

    /** The connection string with its password removed ({@code mongodb://dba@host/…}), safe to store or show. */
    public static String withoutPassword(String uri) {
        return uri.replaceFirst("^(mongodb(?:\\+srv)?://[^:@/]*):[^@/]*@", "$1@");
    }

    private static String withoutPassword(String message, String uri) {
        String text = message == null ? "" : message;
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        if (at > 0 && scheme >= 0) {
            String userInfo = uri.substring(scheme + 3, at);
            int colon = userInfo.indexOf(':');
            if (colon >= 0 && colon + 1 < userInfo.length()) {
                text = text.replace(userInfo.substring(colon + 1), "****");
            }
        }
        return text.endsWith(".") ? text : text + ".";
    }

    @Override
    public String toString() {
        return "ConnectionProfile[hosts=" + hosts() + ", user=" + userName().orElse("none")
                + ", caFile=" + caFile + ", clientCertificate=" + clientCertificateKeyFile + "]";
    }
}
