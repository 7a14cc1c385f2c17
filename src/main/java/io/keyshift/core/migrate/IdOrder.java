package io.keyshift.core.migrate;

import com.mongodb.client.model.Filters;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents after a checkpoint in {@code _id} order. {@code $gt} compares within one BSON type
 * only, while a sort on {@code _id} runs across types in MongoDB's comparison order; so "after" is
 * "greater, or of a type that sorts later".
 */
final class IdOrder {

    /**
     * Each type's rank in MongoDB's comparison order (numbers rank together), and its $type alias.
     * Symbol (deprecated), MinKey and MaxKey are left out: some servers refuse their aliases, and an
     * _id of those types, if one exists, is still converted by the final pass, which reads everything.
     */
    private static final Map<BsonType, Rank> RANKS = new LinkedHashMap<>();

    private record Rank(int order, String alias) {
    }

    static {
        rank(2, BsonType.NULL, "null");
        rank(3, BsonType.INT32, "int");
        rank(3, BsonType.INT64, "long");
        rank(3, BsonType.DOUBLE, "double");
        rank(3, BsonType.DECIMAL128, "decimal");
        rank(4, BsonType.STRING, "string");
        rank(5, BsonType.DOCUMENT, "object");
        rank(7, BsonType.BINARY, "binData");
        rank(8, BsonType.OBJECT_ID, "objectId");
        rank(9, BsonType.BOOLEAN, "bool");
        rank(10, BsonType.DATE_TIME, "date");
        rank(11, BsonType.TIMESTAMP, "timestamp");
        rank(12, BsonType.REGULAR_EXPRESSION, "regex");
    }

    private IdOrder() {
    }

    private static void rank(int order, BsonType type, String alias) {
        RANKS.put(type, new Rank(order, alias));
    }

    static Bson after(BsonValue lastId) {
        Rank last = RANKS.get(lastId.getBsonType());
        int order = last == null ? Integer.MAX_VALUE : last.order();
        List<BsonValue> later = RANKS.values().stream().filter(rank -> rank.order() > order)
                .map(rank -> (BsonValue) new BsonString(rank.alias())).toList();
        Bson greater = Filters.gt("_id", lastId);
        if (later.isEmpty()) {
            return greater;
        }
        return Filters.or(greater, new BsonDocument("_id", new BsonDocument("$type", new BsonArray(later))));
    }
}
