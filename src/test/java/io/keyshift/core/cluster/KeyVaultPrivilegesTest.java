package io.keyshift.core.cluster;

import com.mongodb.MongoNamespace;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyVaultPrivilegesTest {

    private static final MongoNamespace KEY_VAULT = new MongoNamespace("encryption", "__keyVault");

    private static Document privilege(String db, String collection, String... actions) {
        return new Document("resource", new Document("db", db).append("collection", collection))
                .append("actions", List.of(actions));
    }

    private static Document authInfo(Document... privileges) {
        return new Document("authenticatedUsers", List.of(new Document("user", "dba").append("db", "admin")))
                .append("authenticatedUserPrivileges", List.of(privileges));
    }

    @Test
    void readOnlyUserIsWarnedItCannotMigrate() {
        List<String> warnings = KeyVaultPrivileges.missing(authInfo(privilege("encryption", "", "find")), KEY_VAULT);

        assertThat(warnings).singleElement().asString()
                .contains("lacks update on encryption.__keyVault")
                .contains("grant readWrite on encryption");
    }

    @Test
    void privilegesOnAnyDatabaseOrAnyResourceCover() {
        assertThat(KeyVaultPrivileges.missing(authInfo(privilege("", "", "find", "update")), KEY_VAULT)).isEmpty();
        assertThat(KeyVaultPrivileges.missing(authInfo(new Document("resource", new Document("anyResource", true))
                .append("actions", List.of("find", "update"))), KEY_VAULT)).isEmpty();
    }

    @Test
    void privilegesOnAnotherCollectionDoNotCover() {
        assertThat(KeyVaultPrivileges.missing(authInfo(privilege("encryption", "other", "find", "update")), KEY_VAULT))
                .hasSize(2);
    }

    @Test
    void noWarningWhenNobodyIsAuthenticated() {
        Document authInfo = new Document("authenticatedUsers", List.of()).append("authenticatedUserPrivileges", List.of());

        assertThat(KeyVaultPrivileges.missing(authInfo, KEY_VAULT)).isEmpty();
    }
}
