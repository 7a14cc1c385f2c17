package io.keyshift.core.cluster;

import java.util.List;

/**
 * What a DBA checks before a migration: the shape of the deployment, who we are connected as, and
 * what looks risky. Values a server would not tell are the string {@value #UNKNOWN}.
 *
 * @param serverVersion the MongoDB version the server reports (FerretDB reports the one it emulates)
 * @param serverFlavor  {@code MongoDB}, or e.g. {@code FerretDB 1.24.2} for a compatible server
 * @param users         authenticated users as {@code name@db}; empty when not authenticated
 * @param roles         their roles as {@code role@db}
 */
public record ClusterReport(Topology topology,
                            String setName,
                            List<Member> members,
                            String primary,
                            String serverVersion,
                            String serverFlavor,
                            String featureCompatibilityVersion,
                            List<String> users,
                            List<String> roles,
                            List<String> warnings) {

    public static final String UNKNOWN = "unknown";

    public enum Topology {
        REPLICA_SET("replica set"),
        SHARDED("sharded"),
        STANDALONE("standalone"),
        UNKNOWN("unknown");

        private final String label;

        Topology(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A replica set member (or a mongos for a sharded cluster). */
    public record Member(String host, String state, String health) {
    }

    public ClusterReport {
        members = List.copyOf(members);
        users = List.copyOf(users);
        roles = List.copyOf(roles);
        warnings = List.copyOf(warnings);
    }

    /** FerretDB lacks collMod, {@code $jsonSchema} validators and partial indexes. */
    public boolean supportsPartialIndexes() {
        return !serverFlavor.startsWith("FerretDB");
    }
}
