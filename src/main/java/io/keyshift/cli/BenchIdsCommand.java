package io.keyshift.cli;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * {@code keyshift bench ids --docs N}: on a fresh sandbox, one collection of N documents per {@code _id}
 * type (int, long, string, UUID, ObjectId) and the median time of a find and of an update by {@code _id}
 * in each. On MongoDB both are an index lookup whatever the type; the sandbox's server must match that,
 * or a rehearsal at scale measures a full scan per document.
 */
@Command(name = "ids", mixinStandardHelpOptions = true,
        description = "Time a find and an update by _id for each _id type on a fresh sandbox of N documents per type.")
final class BenchIdsCommand implements Callable<Integer> {

    private static final int INSERT_BATCH = 1_000;

    private enum IdType {
        INT(i -> new BsonInt32(i)),
        LONG(i -> new BsonInt64(5_000_000_000L + i)),
        STRING(i -> new BsonString("customer-" + i)),
        UUID(i -> new BsonBinary(new java.util.UUID(0x4b65795368696674L, i))),
        OBJECT_ID(i -> new BsonObjectId(new ObjectId(1_700_000_000 + i, 0)));

        private final IntFunction<BsonValue> id;

        IdType(IntFunction<BsonValue> id) {
            this.id = id;
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--docs", paramLabel = "N", description = "Documents per _id type (default: ${DEFAULT-VALUE}).")
    private int documents = 10_000;

    @Option(names = "--lookups", paramLabel = "N", description = "Finds and updates timed per _id type (default: ${DEFAULT-VALUE}).")
    private int lookups = 200;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (BenchSandbox bench = new BenchSandbox("ids", 10)) {
            out.printf("%-10s %14s %16s   (median of %d each, %d documents per type)%n", "_id type", "find by _id",
                    "update by _id", lookups, documents);
            for (IdType type : IdType.values()) {
                MongoCollection<BsonDocument> collection = bench.client.getDatabase("bench_ids")
                        .getCollection(type.name().toLowerCase(), BsonDocument.class);
                seed(collection, type);
                Random random = new Random(type.ordinal());
                long[] finds = new long[lookups];
                long[] updates = new long[lookups];
                for (int i = 0; i < lookups; i++) {
                    BsonValue id = type.id.apply(random.nextInt(documents));
                    long started = System.nanoTime();
                    if (collection.find(Filters.eq("_id", id)).first() == null) {
                        throw new IllegalStateException("The document with _id " + id + " was not found.");
                    }
                    long found = System.nanoTime();
                    collection.updateOne(Filters.eq("_id", id), Updates.inc("n", 1));
                    finds[i] = found - started;
                    updates[i] = System.nanoTime() - found;
                }
                out.printf("%-10s %11.2f ms %13.2f ms   load average %s%n", type.name().toLowerCase(), median(finds),
                        median(updates), LoadAverage.now());
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    private void seed(MongoCollection<BsonDocument> collection, IdType type) {
        List<BsonDocument> pending = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < documents; i++) {
            pending.add(new BsonDocument("_id", type.id.apply(i)).append("n", new BsonInt32(0)));
            if (pending.size() == INSERT_BATCH || i == documents - 1) {
                collection.insertMany(pending);
                pending.clear();
            }
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
