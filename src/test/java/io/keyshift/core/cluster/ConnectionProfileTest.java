package io.keyshift.core.cluster;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionProfileTest {

    @Test
    void failsFastByDefault() {
        MongoClientSettings settings = ConnectionProfile.of("mongodb://db1:27017").clientSettings();

        assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void timeoutsInTheConnectionStringWin() {
        MongoClientSettings settings = ConnectionProfile.of(
                "mongodb://db1:27017/?serverSelectionTimeoutMS=30000&connectTimeoutMS=20000").clientSettings();

        assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.SECONDS)).isEqualTo(30);
        assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.SECONDS)).isEqualTo(20);
    }

    @Test
    void invalidConnectionStringIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> ConnectionProfile.of("mongodb://dba:s3cr3t-pw@db1:notaport/"))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageStartingWith("The connection string is not valid")
                .hasMessageNotContaining("s3cr3t-pw");
        assertThatThrownBy(() -> ConnectionProfile.of("http://db1")).hasMessageContaining("mongodb://");
    }

    @Test
    void describesItselfWithoutThePassword() {
        ConnectionProfile profile = ConnectionProfile.of("mongodb://dba:s3cr3t-pw@db1:27017,db2:27017/?replicaSet=rs0");

        assertThat(profile.hosts()).isEqualTo("db1:27017,db2:27017");
        assertThat(profile.toString()).contains("user=dba").doesNotContain("s3cr3t-pw");
    }

    @Test
    void authenticationFailureNamesUserAndHostAndWhatToCheck() {
        MongoClientSettings settings = ConnectionProfile.of("mongodb://dba:s3cr3t-pw@db1:27017/").clientSettings();
        MongoCredential credential = settings.getCredential();

        KeyShiftException error = ClusterConnection.describe(
                new MongoSecurityException(credential, "Exception authenticating " + credential), settings, null);

        assertThat(error.getMessage()).isEqualTo("Authentication failed for user dba at db1:27017: check the"
                + " user name, password and authSource in the connection string.");
    }
}
