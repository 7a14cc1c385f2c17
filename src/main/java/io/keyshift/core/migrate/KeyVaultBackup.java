package io.keyshift.core.migrate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The backup taken before any write to a key vault: the selected key documents as canonical
 * Extended JSON, with a SHA-256 of exactly those bytes recorded beside them, so a restore can prove
 * the file is the one that was written.
 *
 * <p>File shape: {@code {"format": "keyshift-key-backup/1", "keyVault": NS, "createdAt": ISO,
 * "sha256": HEX, "keys": [...]}} where {@code sha256} covers the canonical JSON of {@code keys}.
 */
public final class KeyVaultBackup {

    /** What a backup file holds, once its hash has been checked. */
    public record Contents(String keyVaultNamespace, Instant createdAt, String sha256, List<BsonDocument> keys) {

        /** Each key's keyAltNames as they were when the backup was taken. */
        public Map<UUID, List<String>> altNames() {
            Map<UUID, List<String>> names = new LinkedHashMap<>();
            for (BsonDocument key : keys) {
                names.put(key.getBinary("_id").asUuid(), key.getArray("keyAltNames", new BsonArray()).stream()
                        .map(name -> name.asString().getValue()).toList());
            }
            return names;
        }
    }

    static final String FORMAT = "keyshift-key-backup/1";

    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultBackup.class);
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private KeyVaultBackup() {
    }

    /**
     * Exports the keys with the given ids to {@code file} (atomically: a partial file never has the
     * final name) and returns the hash recorded in it. Fails if any id is not in the vault.
     */
    public static String write(MongoCollection<BsonDocument> keyVault, String keyVaultNamespace,
                               Collection<UUID> ids, Path file) {
        List<BsonDocument> keys = keyVault.find(Filters.in("_id", ids.stream().map(BsonBinary::new).toList()))
                .sort(new BsonDocument("_id", new org.bson.BsonInt32(1)))
                .into(new ArrayList<>());
        if (keys.size() != ids.size()) {
            throw new KeyShiftException("The backup found " + keys.size() + " of the " + ids.size()
                    + " selected data keys in " + keyVaultNamespace + "; a key was removed since the plan was made."
                    + " Nothing was written. Inspect the key vault again and re-plan.");
        }
        String keysJson = new BsonDocument("keys", new BsonArray(keys)).toJson(CANONICAL);
        String sha256 = sha256(keysJson);
        BsonDocument backup = new BsonDocument("format", new BsonString(FORMAT))
                .append("keyVault", new BsonString(keyVaultNamespace))
                .append("createdAt", new BsonString(Instant.now().toString()))
                .append("sha256", new BsonString(sha256))
                .append("keys", new BsonArray(keys));
        try {
            OwnerOnlyFiles.write(file, backup.toJson(CANONICAL) + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not write the key vault backup to " + file + ": " + e.getMessage()
                    + ". Nothing was changed in the cluster. Choose a writable backup location.", e);
        }
        LOG.info("Backed up {} data keys to {} (sha256 {})", keys.size(), file, sha256);
        return sha256;
    }

    /** Reads a backup file and checks its hash; a file that was altered is refused. */
    public static Contents read(Path file) {
        BsonDocument backup;
        try {
            backup = BsonDocument.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the backup file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KeyShiftException("The file " + file + " is not a KeyShift key backup (it is not valid JSON: "
                    + e.getMessage() + ").", e);
        }
        if (!FORMAT.equals(backup.getString("format", new BsonString("")).getValue())) {
            throw new KeyShiftException("The file " + file + " is not a KeyShift key backup (no \"format\": \""
                    + FORMAT + "\").");
        }
        List<BsonDocument> keys = backup.getArray("keys").stream().map(value -> value.asDocument()).toList();
        String recorded = backup.getString("sha256").getValue();
        String actual = sha256(new BsonDocument("keys", new BsonArray(keys)).toJson(CANONICAL));
        if (!recorded.equals(actual)) {
            throw new KeyShiftException("The backup file " + file + " was changed after it was written (its SHA-256 is "
                    + actual + ", the file records " + recorded + "). It was not restored.");
        }
        return new Contents(backup.getString("keyVault").getValue(),
                Instant.parse(backup.getString("createdAt").getValue()), recorded, keys);
    }

    /** A timestamped backup path under the user's data dir. */
    public static Path defaultPath(Instant now) {
        String stamp = now.toString().replace(":", "").replaceAll("\\.\\d+", "");
        return Path.of(System.getProperty("user.home"), ".local", "share", "keyshift", "backups",
                "key-vault-" + stamp + ".json");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
