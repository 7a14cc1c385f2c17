package io.keyshift.core.migrate;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.List;

/**
 * What verification with a client that knows only the target provider found: each check with how
 * many items passed, and the first failures in words.
 */
public record Verification(List<Check> checks) {

    /** One verified property, e.g. "every migrated key decrypts with only the azure provider". */
    public record Check(String name, long passed, long total, List<String> failures) {
        public Check {
            failures = List.copyOf(failures);
        }

        public boolean ok() {
            return failures.isEmpty() && passed == total;
        }
    }

    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::ok);
    }

    public BsonDocument toBson() {
        BsonArray array = new BsonArray();
        for (Check check : checks) {
            array.add(new BsonDocument("name", new BsonString(check.name()))
                    .append("ok", BsonBoolean.valueOf(check.ok()))
                    .append("passed", new BsonInt64(check.passed()))
                    .append("total", new BsonInt64(check.total()))
                    .append("failures", new BsonArray(check.failures().stream().map(f -> (BsonValue) new BsonString(f)).toList())));
        }
        return new BsonDocument("passed", BsonBoolean.valueOf(passed())).append("checks", array);
    }
}
