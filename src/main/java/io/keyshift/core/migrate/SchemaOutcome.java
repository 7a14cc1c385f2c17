package io.keyshift.core.migrate;

import io.keyshift.core.schema.SchemaPreview;
import io.keyshift.core.schema.SchemaChange;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.nio.file.Path;

/**
 * What became of the applications' automatic-encryption rules in a REKEY or DECRYPT, as journaled
 * when the schema step ends, for the next steps and the report.
 *
 * @param where        the rules read ({@code schema file /etc/app/schema.json}); empty for {@link Kind#NO_SCHEMA_MAP}
 * @param writtenTo    what was written (the file, or the validators of which namespaces); empty unless rewritten
 * @param backup       the rules as they were; empty unless rewritten
 * @param rulesChanged keyIds replaced plus encrypt blocks removed
 */
public record SchemaOutcome(Kind kind, String where, String writtenTo, String backup, int rulesChanged) {

    public enum Kind {
        /** The rules were rewritten for the migration. */
        REWRITTEN,
        /** Rules were found, but none names a migrated key or a decrypted field. */
        NOTHING_TO_CHANGE,
        /** The DBA declared that the applications use no schema map, and no validator holds rules. */
        NO_SCHEMA_MAP
    }

    public static SchemaOutcome rewritten(SchemaPreview preview, Path backup) {
        return new SchemaOutcome(Kind.REWRITTEN, preview.source().description(), SchemaChange.target(preview),
                backup.toString(), preview.changes().size());
    }

    public static SchemaOutcome nothingToChange(SchemaPreview preview) {
        return new SchemaOutcome(Kind.NOTHING_TO_CHANGE, preview.source().description(), "", "", 0);
    }

    public static SchemaOutcome noSchemaMap() {
        return new SchemaOutcome(Kind.NO_SCHEMA_MAP, "", "", "", 0);
    }

    public boolean rewritten() {
        return kind == Kind.REWRITTEN;
    }

    /** One sentence for the next steps, the report and the Verify page. */
    public String sentence() {
        return switch (kind) {
            case REWRITTEN -> "Schema rewritten: " + writtenTo + " (" + rulesChanged + " rule" + (rulesChanged == 1 ? "" : "s")
                    + " changed); the rules as they were are saved as " + backup + ".";
            case NOTHING_TO_CHANGE -> "No schema was rewritten: the rules in the " + where + " name none of the migrated"
                    + " keys or fields.";
            case NO_SCHEMA_MAP -> "No schema was rewritten: it was declared that the applications use no schema map,"
                    + " and no server validator holds encryption rules.";
        };
    }

    BsonDocument toBson() {
        return new BsonDocument("kind", new BsonString(kind.name()))
                .append("where", new BsonString(where))
                .append("writtenTo", new BsonString(writtenTo))
                .append("backup", new BsonString(backup))
                .append("rulesChanged", new BsonInt32(rulesChanged));
    }

    static SchemaOutcome fromBson(BsonDocument document) {
        return new SchemaOutcome(Kind.valueOf(document.getString("kind").getValue()),
                document.getString("where").getValue(), document.getString("writtenTo").getValue(),
                document.getString("backup").getValue(), document.getInt32("rulesChanged").getValue());
    }
}
