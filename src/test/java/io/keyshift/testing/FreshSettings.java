package io.keyshift.testing;

import io.keyshift.ui.settings.SettingsStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** A settings store of its own for each window a test opens, so no test sees what another remembered. */
public final class FreshSettings {

    private FreshSettings() {
    }

    public static SettingsStore store() {
        try {
            return SettingsStore.load(Files.createTempDirectory("keyshift-settings").resolve("settings.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
