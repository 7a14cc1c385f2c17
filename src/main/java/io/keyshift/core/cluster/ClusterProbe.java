package io.keyshift.core.cluster;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ServerDescription;
import io.keyshift.core.cluster.ClusterReport.Member;
import io.keyshift.core.cluster.ClusterReport.Topology;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.keyshift.core.cluster.ClusterReport.UNKNOWN;

/**
 * Reads the deployment's shape with read-only admin commands. A command the server doesn't
 * implement or the user may not run leaves its part of the report "unknown" instead of failing.
 */
public final class ClusterProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterProbe.class);

    private final MongoClient client;
    private final MongoDatabase admin;

    public ClusterProbe(MongoClient client) {
        this.client = client;
        this.admin = client.getDatabase("admin");
    }

    /** @param keyVault the key vault whose find/update privileges are checked */
    public ClusterReport probe(MongoNamespace keyVault) {
        Document hello = run(new Document("hello", 1))
                .or(() -> run(new Document("isMaster", 1)))
                .orElse(new Document());
        Topology topology = topologyOf(hello);
        Document buildInfo = run(new Document("buildInfo", 1)).orElse(new Document());
        String version = buildInfo.get("version") instanceof String v ? v : UNKNOWN;
        String flavor = buildInfo.get("ferretdbVersion") instanceof String ferret ? "FerretDB " + ferret : "MongoDB";
        List<Member> members = members(topology, hello);
        String primary = primaryOf(topology, hello, members);
        Optional<Document> authInfo = run(new Document("connectionStatus", 1).append("showPrivileges", true))
                .map(status -> status.get("authInfo", Document.class));
        List<String> users = authInfo.map(info -> names(info, "authenticatedUsers", "user")).orElse(List.of(UNKNOWN));
        List<String> roles = authInfo.map(info -> names(info, "authenticatedUserRoles", "role")).orElse(List.of(UNKNOWN));

        List<String> warnings = new ArrayList<>();
        if (topology == Topology.STANDALONE) {
            warnings.add("This is a standalone server, not a replica set: there is no second copy of the data"
                    + " if a migration goes wrong, so take a backup first.");
        }
        if (isBelow42(version)) {
            warnings.add("Server version " + version + " is below 4.2, the first with Client-Side Field Level"
                    + " Encryption: upgrade the server before migrating.");
        }
        if (topology == Topology.REPLICA_SET && primary.equals("none")) {
            warnings.add("The replica set has no primary: majority reads and every write will fail until one"
                    + " is elected.");
        }
        authInfo.ifPresent(info -> warnings.addAll(KeyVaultPrivileges.missing(info, keyVault)));

        return new ClusterReport(topology,
                hello.get("setName") instanceof String name ? name : (topology == Topology.REPLICA_SET ? UNKNOWN : "none"),
                members,
                primary,
                version,
                flavor,
                featureCompatibilityVersion(),
                users,
                roles,
                warnings);
    }

    private static Topology topologyOf(Document hello) {
        if (hello.isEmpty()) {
            return Topology.UNKNOWN;
        }
        if ("isdbgrid".equals(hello.get("msg"))) {
            return Topology.SHARDED;
        }
        return hello.containsKey("setName") ? Topology.REPLICA_SET : Topology.STANDALONE;
    }

    /** hello's primary; FerretDB omits it, so else the member that says it is primary. */
    private static String primaryOf(Topology topology, Document hello, List<Member> members) {
        return switch (topology) {
            case REPLICA_SET -> hello.get("primary") instanceof String host ? host
                    : members.stream().filter(member -> member.state().equals("PRIMARY")).map(Member::host)
                            .findFirst().orElse("none");
            case STANDALONE, SHARDED -> "n/a";
            case UNKNOWN -> UNKNOWN;
        };
    }

    /** Members with state and health from replSetGetStatus, else as the driver's monitor sees them. */
    private List<Member> members(Topology topology, Document hello) {
        if (topology == Topology.REPLICA_SET) {
            Optional<List<Member>> fromStatus = run(new Document("replSetGetStatus", 1))
                    .map(status -> status.getList("members", Document.class, List.of()).stream()
                            .map(member -> new Member(member.getString("name"),
                                    member.get("stateStr") instanceof String state ? state : UNKNOWN,
                                    healthOf(member.get("health"))))
                            .toList())
                    .filter(list -> !list.isEmpty());
            if (fromStatus.isPresent()) {
                return fromStatus.get();
            }
        }
        List<Member> members = new ArrayList<>();
        for (ServerDescription server : client.getClusterDescription().getServerDescriptions()) {
            members.add(new Member(server.getAddress().toString(), stateOf(server),
                    server.isOk() ? "up" : "down"));
        }
        return members;
    }

    private static String stateOf(ServerDescription server) {
        return switch (server.getType()) {
            case REPLICA_SET_PRIMARY -> "PRIMARY";
            case REPLICA_SET_SECONDARY -> "SECONDARY";
            case REPLICA_SET_ARBITER -> "ARBITER";
            case SHARD_ROUTER -> "MONGOS";
            case STANDALONE -> "STANDALONE";
            default -> UNKNOWN;
        };
    }

    private static String healthOf(Object health) {
        if (health instanceof Number number) {
            return number.doubleValue() >= 1 ? "up" : "down";
        }
        return UNKNOWN;
    }

    private String featureCompatibilityVersion() {
        return run(new Document("getParameter", 1).append("featureCompatibilityVersion", 1))
                .map(result -> result.get("featureCompatibilityVersion"))
                .map(fcv -> fcv instanceof Document doc ? doc.get("version") : fcv)
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .orElse(UNKNOWN);
    }

    private static List<String> names(Document authInfo, String field, String nameKey) {
        return authInfo.getList(field, Document.class, List.of()).stream()
                .map(entry -> entry.getString(nameKey) + "@" + entry.getString("db"))
                .toList();
    }

    static boolean isBelow42(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major < 4 || (major == 4 && minor < 2);
        } catch (NumberFormatException notAVersion) {
            return false;
        }
    }

    /** Runs an admin command; empty when the server doesn't implement it or refuses it. */
    private Optional<Document> run(Document command) {
        try {
            return Optional.of(admin.runCommand(command));
        } catch (MongoCommandException e) {
            LOG.debug("{} is unavailable here ({}); reporting it as unknown", command.keySet().iterator().next(),
                    e.getErrorCodeName());
            return Optional.empty();
        }
    }
}
