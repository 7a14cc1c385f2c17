package io.keyshift.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files only their owner may read (0600 where the file system has POSIX permissions): every
 * file KeyShift writes that holds key material, key ids or secrets goes through here. The file is
 * written in full under a temporary name, then moved into place, so a failed write never leaves half
 * a file, and the permissions hold from the first byte (never world-readable, even for a moment).
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code file}, replacing what was there; creates missing folders. */
    public static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code content} to {@code file}, replacing what was there; creates missing folders. */
    public static Path write(Path file, byte[] content) throws IOException {
        Path folder = folderOf(file);
        Path temporary = Files.createTempFile(folder, "." + file.getFileName() + ".", ".partial", ownerOnly(folder));
        try {
            writeAll(temporary, content, StandardOpenOption.WRITE);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** As {@link #write(Path, String)}, but never replaces a file: fails if {@code file} exists. */
    public static Path create(Path file, String text) throws IOException {
        return create(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #write(Path, byte[])}, but never replaces a file: fails if {@code file} exists. */
    public static Path create(Path file, byte[] content) throws IOException {
        Path folder = folderOf(file);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly(folder))) {
            write(channel, content);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof FileAlreadyExistsException)) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        return file;
    }

    private static Path folderOf(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        return folder;
    }

    private static void writeAll(Path file, byte[] content, StandardOpenOption... options) throws IOException {
        try (FileChannel channel = FileChannel.open(file, options)) {
            write(channel, content);
        }
    }

    private static void write(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    private static FileAttribute<?>[] ownerOnly(Path folder) throws IOException {
        return Files.getFileStore(folder).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }
}
