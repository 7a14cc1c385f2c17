package io.keyshift.ui.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {

    @TempDir
    Path dir;

    @Test
    void recentConnectionsAreStoredWithoutTheirPassword() throws Exception {
        Path file = dir.resolve("settings.json");
        try (SettingsStore store = SettingsStore.load(file)) {
            store.update(s -> s.connectedTo("mongodb://dba:S3cret%40pw@db1:27017,db2:27017/?replicaSet=rs0"));
            store.update(s -> s.connectedTo("mongodb+srv://ops:hunter2@cluster0.example.net/"));
        }

        String written = Files.readString(file);
        assertThat(written).doesNotContain("S3cret").doesNotContain("hunter2");
        assertThat(SettingsStore.load(file).settings().recentConnections()).containsExactly(
                "mongodb+srv://ops@cluster0.example.net/",
                "mongodb://dba@db1:27017,db2:27017/?replicaSet=rs0");
    }

    @Test
    void everythingRememberedComesBackAfterARestart() {
        Path file = dir.resolve("nested").resolve("settings.json");
        try (SettingsStore store = SettingsStore.load(file)) {
            store.update(s -> s.lastKeyVault("encryption.__keyVault"));
            store.update(s -> s.lastAwsTarget("eu-west-1", "arn:aws:kms:eu-west-1:111122223333:alias/prod"));
            store.update(s -> s.windowBounds(10, 20, 1300, 800));
        }

        Settings reloaded = SettingsStore.load(file).settings();
        assertThat(reloaded.lastKeyVault()).isEqualTo("encryption.__keyVault");
        assertThat(reloaded.lastRegion()).isEqualTo("eu-west-1");
        assertThat(reloaded.lastCmk()).isEqualTo("arn:aws:kms:eu-west-1:111122223333:alias/prod");
        assertThat(reloaded.windowBounds()).containsExactly(10, 20, 1300, 800);
        assertThat(file.resolveSibling("settings.json.partial")).doesNotExist();
    }

    @Test
    void aBurstOfChangesIsWrittenOnceTheBurstIsOver() throws Exception {
        Path file = dir.resolve("settings.json");
        SettingsStore store = SettingsStore.load(file);
        for (int i = 0; i < 20; i++) {
            int n = i;
            store.update(s -> s.connectedTo("mongodb://host" + n + ":27017/"));
        }
        assertThat(file).as("nothing written during the burst").doesNotExist();

        Thread.sleep(1500);

        assertThat(SettingsStore.load(file).settings().recentConnections())
                .hasSize(Settings.MAX_RECENT_CONNECTIONS).first().isEqualTo("mongodb://host19:27017/");
        store.close();
    }

    @Test
    void anUnreadableFileGivesDefaultsInsteadOfAFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("settings.json"), "{ not json");

        assertThat(SettingsStore.load(file).settings().recentConnections()).isEmpty();
    }
}
