package io.keyshift.core.schema;

import org.bson.BsonDocument;

import java.util.List;
import java.util.Map;

/**
 * Automatic-encryption rules exactly as read from one place, with the bytes read so a later write
 * can prove that nothing changed since the preview.
 */
public sealed interface SchemaSnapshot permits SchemaFile, ServerValidators {

    /** Where the rules were read from, for messages: "schema file /etc/app/schema-map.json". */
    String description();

    /** The exact bytes read: a file's content, or the validators in canonical Extended JSON. */
    byte[] sourceBytes();

    /** Namespace → rules document (a {@code $jsonSchema} schema, or a whole validator), in the order read. */
    Map<String, BsonDocument> rules();

    /** Queryable Encryption collections found beside the rules: reported, never rewritten. */
    List<QueryableEncryptionUse> queryableEncryption();

    /**
     * The whole source as canonical pretty Extended JSON with {@code rules} in place of the rules read:
     * for a file, the exact text that would be written.
     */
    String render(Map<String, BsonDocument> rules);
}
