package io.keyshift.core.cluster;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterSettings;
import com.mongodb.connection.ServerDescription;
import io.keyshift.core.KeyShiftException;
import org.bson.Document;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Opens a client that is known to reach the cluster, and turns driver failures into sentences. */
public final class ClusterConnection {

    private ClusterConnection() {
    }

    /** A client whose first command ({@code ping}) succeeded; the caller closes it. */
    public static MongoClient open(MongoClientSettings settings) {
        MongoClient client = MongoClients.create(settings);
        try {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            return client;
        } catch (MongoException e) {
            KeyShiftException failure = describe(e, settings, client);
            client.close();
            throw failure;
        }
    }

    /**
     * One sentence for a driver failure while talking to the cluster: which host, what went wrong,
     * what to do. The connection string's password is never part of it.
     */
    public static KeyShiftException describe(MongoException e, MongoClientSettings settings, MongoClient client) {
        String hosts = hosts(settings);
        if (e instanceof MongoSecurityException) {
            String user = settings.getCredential() == null ? "(none)" : settings.getCredential().getUserName();
            return new KeyShiftException("Authentication failed for user " + user + " at " + hosts
                    + ": check the user name, password and authSource in the connection string.", e);
        }
        if (e instanceof MongoTimeoutException) {
            long seconds = settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.SECONDS);
            return new KeyShiftException("Could not reach the MongoDB server at " + hosts + " within " + seconds
                    + " seconds (" + unreachableReason(client) + "): check the host and port in the connection"
                    + " string, that the server is running, and that this workstation may connect to it.", e);
        }
        if (e instanceof MongoCommandException command && command.getErrorCode() == 13) {
            return new KeyShiftException("The server at " + hosts + " refused a read (" + command.getErrorMessage()
                    + "): grant the user read access to the key vault and the collections to inspect.", e);
        }
        return new KeyShiftException("The MongoDB server at " + hosts + " failed a request (" + e.getMessage()
                + "): check the server's log, then try again.", e);
    }

    static String hosts(MongoClientSettings settings) {
        ClusterSettings cluster = settings.getClusterSettings();
        if (cluster.getSrvHost() != null) {
            return cluster.getSrvHost();
        }
        return cluster.getHosts().stream().map(ServerAddress::toString).collect(Collectors.joining(","));
    }

    private static String unreachableReason(MongoClient client) {
        return client.getClusterDescription().getServerDescriptions().stream()
                .map(ServerDescription::getException)
                .filter(Objects::nonNull)
                .map(ClusterConnection::reason)
                .findFirst()
                .orElse("no suitable server answered; a replica set may have no primary");
    }

    private static String reason(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof SocketTimeoutException) {
            return "connecting timed out";
        }
        if (root instanceof SSLException || exception.getCause() instanceof SSLException) {
            return "TLS handshake failed: " + root.getMessage();
        }
        return root.getMessage();
    }
}
