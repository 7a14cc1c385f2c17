package io.keyshift.ui.settings;

import io.keyshift.core.files.OwnerOnlyFiles;

import org.bson.Document;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the settings file once and writes it back atomically (temp file, then move), debounced, so a
 * burst of changes makes one write and a crash mid-write never leaves half a file.
 */
public final class SettingsStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private static final long DEBOUNCE_MILLIS = 500;

    private final Path file;
    private final Settings settings;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keyshift-settings-writer");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> pendingWrite;

    private SettingsStore(Path file, Settings settings) {
        this.file = file;
        this.settings = settings;
    }

    /**
     * {@code -Dkeyshift.configDir}, else {@code $XDG_CONFIG_HOME/keyshift}, else {@code ~/.config/keyshift};
     * the file is {@code settings.json} there.
     */
    public static Path defaultFile() {
        String override = System.getProperty("keyshift.configDir");
        if (override != null) {
            return Path.of(override, "settings.json");
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("keyshift").resolve("settings.json");
    }

    /** Loads the file; a missing or unreadable file gives empty settings (and a log line), never a failure. */
    public static SettingsStore load(Path file) {
        Settings settings = new Settings();
        if (Files.exists(file)) {
            try {
                settings = Settings.fromDocument(Document.parse(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ignoring unreadable settings file {}; starting with defaults", file, e);
            }
        }
        return new SettingsStore(file, settings);
    }

    /** A copy-free view for reading; change settings through {@link #update}. */
    public synchronized Settings settings() {
        return settings;
    }

    /** Applies a change and schedules a write. */
    public synchronized void update(Consumer<Settings> change) {
        change.accept(settings);
        if (pendingWrite != null) {
            pendingWrite.cancel(false);
        }
        pendingWrite = writer.schedule(this::writeNow, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes any pending change now. */
    public synchronized void flush() {
        if (pendingWrite != null && pendingWrite.cancel(false)) {
            writeNow();
        }
        pendingWrite = null;
    }

    private synchronized void writeNow() {
        try {
            OwnerOnlyFiles.write(file, settings.toDocument().toJson(JsonWriterSettings.builder().indent(true).build()) + "\n");
        } catch (IOException e) {
            LOG.warn("Could not save the settings to {}", file, e);
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdown();
    }
}
