package io.keyshift.sandbox;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lookup by {@code _id} is an index lookup for every {@code _id} type on the sandbox's server, as on
 * MongoDB: the sandbox seeds integer and UUID ids, and a full scan per lookup made a rehearsal at scale
 * take hours. And narrowing by the index never loses a document MongoDB would match.
 */
@ExtendWith(StackExtension.class)
class SandboxIdLookupTest {

    private static final List<BsonValue> IDS = List.of(new BsonInt32(7), new BsonInt64(5_000_000_007L),
            new BsonString("customer-7"), new BsonBinary(UUID.fromString("4b657953-6869-6674-0000-000000000007")),
            new BsonObjectId());

    @Test
    void everyIdTypeIsFoundThroughTheIdIndex(TestStack stack) {
        Assumptions.assumeTrue(stack.name().startsWith("local"), "MongoDB looks every _id up by its index");
        try (MongoClient client = SandboxStackTest.client(stack)) {
            MongoDatabase database = client.getDatabase("scratch_ids");
            MongoCollection<BsonDocument> collection = database.getCollection("lookups", BsonDocument.class);
            IDS.forEach(id -> collection.insertOne(new BsonDocument("_id", id)));
            try {
                for (BsonValue id : IDS) {
                    BsonDocument explain = explainFind(database, new BsonDocument("_id", id));
                    assertThat(explain.getBoolean("filterPushdown").getValue()).as("find by %s pushed down", id).isTrue();
                    assertThat(explain.toJson()).as("find by %s", id).contains("USING INDEX");
                    assertThat(collection.find(Filters.eq("_id", id)).first()).isEqualTo(new BsonDocument("_id", id));
                }
                BsonDocument in = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(IDS)));
                assertThat(explainFind(database, in).getBoolean("filterPushdown").getValue()).as("find by $in pushed down").isTrue();
                assertThat(collection.find(in).into(new ArrayList<>())).hasSize(IDS.size());
                BsonDocument and = new BsonDocument("$and", new BsonArray(List.of(new BsonDocument("_id", IDS.get(2)),
                        new BsonDocument("missing", new BsonDocument("$exists", org.bson.BsonBoolean.FALSE)))));
                assertThat(explainFind(database, and).getBoolean("filterPushdown").getValue()).as("$and pushed down").isTrue();
                assertThat(collection.find(and).into(new ArrayList<>())).containsExactly(new BsonDocument("_id", IDS.get(2)));
                // How a driver looks data keys up by id in the key vault.
                BsonDocument keyLookup = new BsonDocument("$or", new BsonArray(List.of(
                        new BsonDocument("_id", new BsonDocument("$in", new BsonArray(IDS.subList(3, 4)))),
                        new BsonDocument("keyAltNames", new BsonDocument("$in", new BsonArray())))));
                assertThat(explainFind(database, keyLookup).getBoolean("filterPushdown").getValue()).as("key lookup pushed down").isTrue();
                assertThat(collection.find(keyLookup).into(new ArrayList<>())).containsExactly(new BsonDocument("_id", IDS.get(3)));
            } finally {
                database.drop();
            }
        }
    }

    @Test
    void numbersOfEveryTypeFindTheirEqualsAsMongoDbDoes(TestStack stack) {
        try (MongoClient client = SandboxStackTest.client(stack)) {
            MongoDatabase database = client.getDatabase("scratch_numeric_ids");
            MongoCollection<BsonDocument> collection = database.getCollection("numbers", BsonDocument.class);
            collection.insertMany(List.of(named(new BsonDouble(-0.0), "double -0"), named(new BsonInt64(1), "long 1"),
                    named(new BsonDouble(2.0), "double 2"), named(new BsonInt32(3), "int 3"),
                    named(new BsonDouble(4.5), "double 4.5")));
            try {
                assertThat(names(collection, Filters.eq("_id", 0))).containsExactly("double -0");
                assertThat(names(collection, Filters.eq("_id", 1))).containsExactly("long 1");
                assertThat(names(collection, Filters.eq("_id", 2L))).containsExactly("double 2");
                assertThat(names(collection, Filters.eq("_id", 3.0))).containsExactly("int 3");
                assertThat(names(collection, Filters.eq("_id", 4.5))).containsExactly("double 4.5");
                assertThat(names(collection, Filters.in("_id", 0L, 3, 9))).containsExactlyInAnyOrder("double -0", "int 3");
            } finally {
                database.drop();
            }
        }
    }

    private static BsonDocument named(BsonValue id, String name) {
        return new BsonDocument("_id", id).append("name", new BsonString(name));
    }

    private static List<String> names(MongoCollection<BsonDocument> collection, org.bson.conversions.Bson filter) {
        return collection.find(filter).map(document -> document.getString("name").getValue()).into(new ArrayList<>());
    }

    private static BsonDocument explainFind(MongoDatabase database, BsonDocument filter) {
        return database.runCommand(new BsonDocument("explain",
                new BsonDocument("find", new BsonString("lookups")).append("filter", filter)), BsonDocument.class);
    }
}
