package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The places a migration writes files to, checked before its first write: a path that cannot be
 * written must stop the migration while nothing has changed, not once the keys have moved.
 */
final class OutputLocations {

    private OutputLocations() {
    }

    /** The key backup's file: its directory exists or can be created, and may be written. */
    public static void requireBackupFile(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new KeyShiftException("The backup file " + absolute + " is a directory: give the path of a file to"
                    + " write the key backup to. Nothing was written.");
        }
        requireWritableDirectory(absolute.getParent(), "The backup file " + absolute);
    }

    /** The directory the JSON and HTML reports go to: it exists or can be created, and may be written. */
    public static void requireReportDirectory(Path directory) {
        requireWritableDirectory(directory.toAbsolutePath(), "The report directory " + directory.toAbsolutePath());
    }

    private static void requireWritableDirectory(Path directory, String what) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String problem = existing == null ? "no part of its path exists"
                : !Files.isDirectory(existing) ? existing + " is a file, not a directory"
                : !Files.isWritable(existing) ? existing + " may not be written by this user"
                : null;
        if (problem != null) {
            throw new KeyShiftException(what + " cannot be written: " + problem + ". Choose a place you may write in."
                    + " Nothing was written.");
        }
    }
}
