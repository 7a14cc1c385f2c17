package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonReader;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads files of Extended JSON (canonical, relaxed, or the legacy {@code {"$binary": …, "$type": …}}
 * form) and writes canonical Extended JSON, the one text form in which two equal documents are
 * always equal strings.
 */
final class ExtendedJson {

    /** Canonical mode ("$numberInt", "$binary" with "subType"), one field per line. */
    private static final JsonWriterSettings CANONICAL_PRETTY = JsonWriterSettings.builder()
            .outputMode(JsonMode.EXTENDED).indent(true).build();

    private static final JsonWriterSettings CANONICAL_COMPACT = JsonWriterSettings.builder()
            .outputMode(JsonMode.EXTENDED).build();

    private ExtendedJson() {
    }

    /** The exact bytes of a file, with a sentence naming it when it cannot be read. */
    static byte[] readBytes(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyShiftException("The " + what + " " + file + " does not exist: check the path.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the " + what + " " + file + " (" + e.getMessage()
                    + "): check that it is a readable file.", e);
        }
    }

    /** Parses one JSON object of Extended JSON; {@code sourceName} names it in error messages. */
    static BsonDocument parse(byte[] bytes, String sourceName) {
        String text = decodeUtf8(bytes, sourceName);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        JsonSyntax.requireObject(text, sourceName);
        try {
            return new BsonDocumentCodec().decode(new JsonReader(text), DecoderContext.builder().build());
        } catch (JsonParseException | BsonInvalidOperationException | IllegalArgumentException e) {
            throw new KeyShiftException(sourceName + " is valid JSON but not valid Extended JSON (" + e.getMessage()
                    + "): fix the value named there and run the command again.", e);
        }
    }

    static String canonicalPretty(BsonDocument document) {
        return document.toJson(CANONICAL_PRETTY);
    }

    static String canonical(BsonDocument document) {
        return document.toJson(CANONICAL_COMPACT);
    }

    private static String decodeUtf8(byte[] bytes, String sourceName) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new KeyShiftException(sourceName + " is not UTF-8 text, so it cannot be JSON: check that you chose"
                    + " the right file.", e);
        }
    }
}
