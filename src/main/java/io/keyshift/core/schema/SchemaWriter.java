package io.keyshift.core.schema;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import io.keyshift.core.schema.ServerValidators.CollectionValidator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes exactly what a preview showed, and nothing if the source changed since: a file through a
 * backup, a temp file and an atomic move; validators through {@code collMod}.
 */
public final class SchemaWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaWriter.class);
    private static final DateTimeFormatter BACKUP_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String DIFF_AGAIN = " Run `keyshift schema diff` again and review the new diff.";

    private final Clock clock;

    public SchemaWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Replaces a schema file with the previewed result after copying it beside itself.
     *
     * @return the backup of the file as it was
     * @throws SchemaChangedException if the file is no longer the one previewed
     * @throws SchemaRefusedException  if the proposed rules name a data key the key vault does not hold
     */
    public Path writeFile(SchemaPreview preview) {
        if (!(preview.source() instanceof SchemaFile source)) {
            throw new IllegalArgumentException("not a file preview: " + preview.source().description());
        }
        requireChange(preview);
        Path file = source.path();
        byte[] current = ExtendedJson.readBytes(file, "schema file");
        if (!SchemaDiff.sha256Hex(current).equals(SchemaDiff.sha256Hex(source.sourceBytes()))) {
            throw new SchemaChangedException("The schema file " + file + " changed since the preview, so nothing"
                    + " was written." + DIFF_AGAIN);
        }
        Path stamped = file.resolveSibling(file.getFileName() + ".keyshift-backup-" + BACKUP_STAMP.format(clock.instant()));
        Path backup;
        try {
            backup = newBackup(stamped, "", current);
        } catch (IOException e) {
            throw new KeyShiftException("Could not write the backup " + stamped + " (" + e.getMessage() + "), so the"
                    + " schema file was not changed: check that its folder is writable.", e);
        }
        replaceAtomically(file, preview.proposedBytes());
        LOG.info("Wrote the schema file {} (backup {})", file, backup);
        return backup;
    }

    /**
     * Writes a new owner-only backup at the stamped name, or at {@code -2}, {@code -3} … after it when a backup
     * of the same second is there: a backup is never overwritten, and a second rewrite within a second still gets one.
     */
    private static Path newBackup(Path stamped, String extension, byte[] content) throws IOException {
        for (int copy = 1; ; copy++) {
            Path backup = stamped.resolveSibling(stamped.getFileName() + (copy == 1 ? "" : "-" + copy) + extension);
            try {
                return OwnerOnlyFiles.create(backup, content);
            } catch (FileAlreadyExistsException sameSecond) {
                LOG.debug("Backup {} exists; taking the next name", backup);
            }
        }
    }

    /**
     * Runs {@code collMod} for every collection whose validator the preview changes, after saving the
     * previewed validators to {@code backupDir} and checking that every live validator is still the
     * previewed one.
     *
     * @return the backup of the validators as they were
     * @throws SchemaChangedException if any live validator differs from the preview; then nothing is written
     * @throws SchemaRefusedException  if the proposed rules name a data key the key vault does not hold
     */
    public Path writeValidators(MongoClient client, SchemaPreview preview, Path backupDir) {
        if (!(preview.source() instanceof ServerValidators source)) {
            throw new IllegalArgumentException("not a validator preview: " + preview.source().description());
        }
        requireChange(preview);
        List<CollectionValidator> changed = source.collections().stream()
                .filter(collection -> preview.changedNamespaces().contains(collection.namespace()))
                .toList();
        for (CollectionValidator previewed : changed) {
            CollectionValidator live = SchemaSource.readValidator(client, previewed.namespace());
            if (!canonical(live).equals(canonical(previewed))) {
                throw new SchemaChangedException("The validator of " + previewed.namespace() + " changed since the"
                        + " preview, so no validator was changed." + DIFF_AGAIN);
            }
        }
        Path stamped = backupDir.resolve("validators.keyshift-backup-" + BACKUP_STAMP.format(clock.instant()));
        Path backup;
        try {
            backup = newBackup(stamped, ".json", preview.before().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KeyShiftException("Could not write the backup " + stamped + ".json (" + e.getMessage() + "), so no"
                    + " validator was changed: choose a writable folder for the backup.", e);
        }
        List<String> done = new ArrayList<>();
        for (CollectionValidator previewed : changed) {
            String namespace = previewed.namespace();
            String database = namespace.substring(0, namespace.indexOf('.'));
            try {
                client.getDatabase(database).runCommand(collModCommand(previewed, preview.rewrite().rules().get(namespace)));
            } catch (MongoException e) {
                throw new KeyShiftException("collMod on " + namespace + " failed (" + e.getMessage() + ")"
                        + (done.isEmpty() ? "" : " after the validators of " + String.join(", ", done) + " were changed")
                        + ". Check the user's collMod privilege, then run `keyshift schema diff` again; the old"
                        + " validators are in " + backup + ".", e);
            }
            done.add(namespace);
            LOG.info("Changed the validator of {} (backup {})", namespace, backup);
        }
        return backup;
    }

    private static void requireChange(SchemaPreview preview) {
        if (!preview.changesSomething()) {
            throw new KeyShiftException("The preview of the " + preview.source().description() + " changes nothing,"
                    + " so nothing was written.");
        }
        preview.requireKnownKeys();
    }

    /**
     * The {@code collMod} that installs {@code newValidator} and keeps the collection's validation
     * level and action as they were.
     */
    static BsonDocument collModCommand(CollectionValidator previewed, BsonDocument newValidator) {
        String namespace = previewed.namespace();
        BsonDocument command = new BsonDocument("collMod", new BsonString(namespace.substring(namespace.indexOf('.') + 1)));
        command.putAll(previewed.asDocument(newValidator));
        command.put("writeConcern", new BsonDocument("w", new BsonString("majority")));
        return command;
    }

    private static String canonical(CollectionValidator collection) {
        return ExtendedJson.canonical(collection.asDocument(collection.validator()));
    }

    private static void replaceAtomically(Path file, byte[] content) {
        Path temp = null;
        try {
            temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            keepPermissions(file, temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new KeyShiftException("Could not replace the schema file " + file + " (" + e.getMessage() + "); it"
                    + " was left as it was. Check that its folder is writable and on one file system.", e);
        }
    }

    /** A temp file is created owner-only; the schema file keeps the permissions it had. */
    private static void keepPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (source != null) {
            Files.setPosixFilePermissions(to, source.readAttributes().permissions());
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not delete the temp file {}", temp, e);
        }
    }
}
