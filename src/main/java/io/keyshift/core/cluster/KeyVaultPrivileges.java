package io.keyshift.core.cluster;

import com.mongodb.MongoNamespace;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/** Checks the privileges {@code connectionStatus} reports against what a migration needs on the key vault. */
final class KeyVaultPrivileges {

    private KeyVaultPrivileges() {
    }

    /**
     * Warnings for the actions the authenticated user lacks on the key vault. None when nobody is
     * authenticated (access control is then off, or the server would have refused us) or when the
     * server doesn't list privileges.
     */
    static List<String> missing(Document authInfo, MongoNamespace keyVault) {
        List<Document> users = authInfo.getList("authenticatedUsers", Document.class, List.of());
        if (users.isEmpty() || !(authInfo.get("authenticatedUserPrivileges") instanceof List<?>)) {
            return List.of();
        }
        List<Document> privileges = authInfo.getList("authenticatedUserPrivileges", Document.class);
        List<String> warnings = new ArrayList<>();
        if (!allows(privileges, keyVault, "find")) {
            warnings.add("The connected user lacks find on " + keyVault.getFullName()
                    + ": the key vault cannot be read; grant the read role on " + keyVault.getDatabaseName() + ".");
        }
        if (!allows(privileges, keyVault, "update")) {
            warnings.add("The connected user lacks update on " + keyVault.getFullName()
                    + ": inspecting works, but a migration will be refused; grant readWrite on "
                    + keyVault.getDatabaseName() + " before migrating.");
        }
        return warnings;
    }

    static boolean allows(List<Document> privileges, MongoNamespace namespace, String action) {
        for (Document privilege : privileges) {
            if (privilege.getList("actions", String.class, List.of()).contains(action)
                    && covers(privilege.get("resource", Document.class), namespace)) {
                return true;
            }
        }
        return false;
    }

    /** MongoDB resource documents: an empty db or collection name is a wildcard. */
    private static boolean covers(Document resource, MongoNamespace namespace) {
        if (resource == null) {
            return false;
        }
        if (Boolean.TRUE.equals(resource.getBoolean("anyResource"))) {
            return true;
        }
        if (!(resource.get("db") instanceof String db) || !(resource.get("collection") instanceof String collection)) {
            return false;
        }
        return (db.isEmpty() || db.equals(namespace.getDatabaseName()))
                && (collection.isEmpty() || collection.equals(namespace.getCollectionName()));
    }
}
