package io.keyshift.core.migrate;

import org.bson.BsonDocument;
import org.bson.BsonString;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run of a migration starting, or stopping before the end, as the journal keeps it for the report:
 * who, when, and where the migration stood. A run that starts after another started and never said it
 * stopped follows a crash or a killed process.
 *
 * @param where where the migration stood, in words ("120 of 300 documents converted")
 */
public record MigrationEvent(Kind kind, Instant at, String by, String where) {

    public enum Kind {
        /** A run began: the first one, or a resume. */
        RUN_STARTED,
        /** A run stopped, resumable: a pause, Ctrl-C, or a KMS that did not answer. */
        INTERRUPTED
    }

    /** Now, by this user on this host, at the point {@code migration} (as journaled) stands. */
    static MigrationEvent of(Kind kind, MigrationRecord migration) {
        return new MigrationEvent(kind, Instant.now(), MigrationIds.whoAmI(), whereItStands(migration));
    }

    static String whereItStands(MigrationRecord migration) {
        String stage = migration.stage().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (migration.rekey() == null) {
            return migration.keysDone() + " of " + migration.keyCount() + " keys rewrapped (stage: " + stage + ")";
        }
        long done = migration.rekey().collections().stream().mapToLong(c -> Math.min(c.scanned(), c.documents())).sum();
        long total = migration.rekey().collections().stream().mapToLong(MigrationRecord.CollectionCheckpoint::documents).sum();
        long values = migration.rekey().collections().stream().mapToLong(MigrationRecord.CollectionCheckpoint::converted).sum();
        return done + " of " + total + " documents read, " + values + " values converted, "
                + migration.rekey().dekMapping().size() + " new keys (stage: " + stage + ")";
    }

    /** The history in sentences, oldest first, with a line for each stop that was never journaled. */
    public static List<String> sentences(List<MigrationEvent> events) {
        List<String> lines = new ArrayList<>();
        MigrationEvent previous = null;
        for (MigrationEvent event : events) {
            if (event.kind() == Kind.RUN_STARTED && previous != null && previous.kind() == Kind.RUN_STARTED) {
                lines.add("The run started " + previous.at() + " stopped without a pause (the process was killed or its"
                        + " machine stopped); the journal kept everything written before.");
            }
            lines.add(event.at() + " " + event.by() + (event.kind() == Kind.RUN_STARTED
                    ? (previous == null ? " started the run at: " : " resumed it at: ")
                    : " interrupted it at: ") + event.where() + ".");
            previous = event;
        }
        return lines;
    }

    /** As the journal and the report's JSON hold it. */
    public BsonDocument toBson() {
        return new BsonDocument("event", new BsonString(kind.name().toLowerCase(Locale.ROOT)))
                .append("at", new BsonString(at.toString()))
                .append("by", new BsonString(by))
                .append("where", new BsonString(where));
    }

    static MigrationEvent fromBson(BsonDocument document) {
        return new MigrationEvent(Kind.valueOf(document.getString("event").getValue().toUpperCase(Locale.ROOT)),
                Instant.parse(document.getString("at").getValue()), document.getString("by").getValue(),
                document.getString("where").getValue());
    }
}
