package io.keyshift.core.migrate;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** A document's {@code _id} as a DBA would type it in mongosh's relaxed JSON: 3, "a", {"$oid": "…"}. */
final class DocumentIds {

    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final String PREFIX = "{\"_id\": ";

    private DocumentIds() {
    }

    static String describe(BsonValue id) {
        String json = new BsonDocument("_id", id).toJson(RELAXED);
        return json.substring(PREFIX.length(), json.length() - 1);
    }
}
