package io.keyshift.testing;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an attacker with write access to a backup file would do: damage one key's material, then write
 * the SHA-256 of the edited keys into the file, so the file's own hash agrees with its content.
 */
public final class TamperedBackups {

    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private TamperedBackups() {
    }

    /** Writes {@code backup} to {@code to} with one byte of the first key's material flipped, and re-hashed. */
    public static void damageFirstKeyAndRehash(Path backup, Path to) throws IOException, NoSuchAlgorithmException {
        BsonDocument document = BsonDocument.parse(Files.readString(backup));
        BsonArray keys = document.getArray("keys");
        BsonDocument first = keys.get(0).asDocument();
        byte[] material = first.getBinary("keyMaterial").getData().clone();
        material[material.length / 2] ^= 1;
        first.put("keyMaterial", new BsonBinary(material));
        String keysJson = new BsonDocument("keys", keys).toJson(CANONICAL);
        document.put("sha256", new BsonString(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(keysJson.getBytes(StandardCharsets.UTF_8)))));
        Files.writeString(to, document.toJson(CANONICAL) + "\n");
    }
}
