package io.keyshift.core.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileInANewFolderIsReadableByItsOwnerOnly() throws Exception {
        Path file = OwnerOnlyFiles.write(dir.resolve("reports/r.json"), "{}\n");

        assertThat(Files.readString(file)).isEqualTo("{}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve("reports")).isDirectoryNotContaining(path -> path.getFileName().toString().endsWith(".partial"));
    }

    @Test
    void replacingAWorldReadableFileLeavesItOwnerOnly() throws Exception {
        Path file = dir.resolve("backup.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnlyFiles.write(file, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void createIsOwnerOnlyAndNeverReplacesAFile() throws Exception {
        Path file = OwnerOnlyFiles.create(dir.resolve("schema.keyshift-backup"), "before");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> OwnerOnlyFiles.create(file, "after")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("before");
    }
}
