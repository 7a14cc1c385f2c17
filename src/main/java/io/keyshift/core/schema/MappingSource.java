package io.keyshift.core.schema;

import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads the old → new DEK mapping of a REKEY: from a mapping file {@code {"<old uuid>": "<new uuid>"}}
 * or from the migration journal, documented in docs/schema-mapping.md.
 */
public final class MappingSource {

    /** The journal collection, in the key vault's database. */
    public static final String JOURNAL_COLLECTION = "keyshift_migrations";

    private static final Pattern UUID_TEXT =
            Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private MappingSource() {
    }

    /**
     * @param altNamesMoved whether the migration moved the old DEKs' keyAltNames to the new DEKs
     */
    public static DekMapping readFile(Path file, boolean altNamesMoved) {
        String name = "The mapping file " + file;
        BsonDocument content = ExtendedJson.parse(ExtendedJson.readBytes(file, "mapping file"), name);
        Map<UUID, UUID> oldToNew = new LinkedHashMap<>();
        content.forEach((oldId, newId) -> oldToNew.put(
                uuid(new BsonString(oldId), name + " has the key \"" + oldId + "\""),
                uuid(newId, name + " has a value for " + oldId)));
        return mapping(oldToNew, altNamesMoved, name);
    }

    /**
     * Reads {@code dekMapping} and {@code altNamesMoved} of migration {@code migrationId} from
     * {@code <keyVaultDb>.keyshift_migrations}, with read concern majority.
     */
    public static DekMapping readJournal(MongoClient client, MongoNamespace keyVault, String migrationId) {
        String journal = keyVault.getDatabaseName() + "." + JOURNAL_COLLECTION;
        try {
            MongoDatabase database = client.getDatabase(keyVault.getDatabaseName());
            if (!database.listCollectionNames().into(new ArrayList<>()).contains(JOURNAL_COLLECTION)) {
                throw new KeyShiftException("No journal collection " + journal + " found on the cluster, so there is"
                        + " no migration " + migrationId + ": check --key-vault, or give the mapping with --mapping FILE.");
            }
            MongoCollection<BsonDocument> collection = database.getCollection(JOURNAL_COLLECTION, BsonDocument.class)
                    .withReadConcern(ReadConcern.MAJORITY);
            BsonDocument entry = collection.find(new BsonDocument("_id", migrationIdValue(collection, migrationId))).first();
            if (entry == null) {
                throw new KeyShiftException("No migration ID " + migrationId + " found in " + journal + ": check the ID"
                        + " in the migration's report, or give the mapping with --mapping FILE.");
            }
            return journalMapping(entry, "Migration " + migrationId + " in " + journal);
        } catch (MongoException e) {
            throw new KeyShiftException("Could not read the migration journal " + journal + " (" + e.getMessage()
                    + "): check that the user may read the key vault's database.", e);
        }
    }

    /** The journal's {@code _id} is the ID as a string; an ObjectId's hex form is accepted too. */
    private static BsonValue migrationIdValue(MongoCollection<BsonDocument> collection, String migrationId) {
        BsonValue asString = new BsonString(migrationId);
        if (ObjectId.isValid(migrationId) && collection.countDocuments(new BsonDocument("_id", asString)) == 0) {
            return new BsonObjectId(new ObjectId(migrationId));
        }
        return asString;
    }

    static DekMapping journalMapping(BsonDocument entry, String name) {
        if (!entry.isArray("dekMapping")) {
            throw new KeyShiftException(name + " has no dekMapping: a REWRAP migration changes no schema, and a REKEY"
                    + " records its mapping when its new DEKs are created. Check the ID, or use --mapping FILE.");
        }
        Map<UUID, UUID> oldToNew = new LinkedHashMap<>();
        for (BsonValue pair : entry.getArray("dekMapping", new BsonArray())) {
            BsonDocument document = pair.isDocument() ? pair.asDocument() : new BsonDocument();
            String what = name + " has a dekMapping entry " + pair;
            oldToNew.put(uuid(document.get("old"), what), uuid(document.get("new"), what));
        }
        boolean altNamesMoved = entry.isBoolean("altNamesMoved") && entry.getBoolean("altNamesMoved").getValue();
        return mapping(oldToNew, altNamesMoved, name);
    }

    private static DekMapping mapping(Map<UUID, UUID> oldToNew, boolean altNamesMoved, String name) {
        if (oldToNew.isEmpty()) {
            throw new KeyShiftException(name + " maps no DEK: give at least one \"<old uuid>\": \"<new uuid>\" pair.");
        }
        Set<UUID> seen = new HashSet<>();
        for (UUID newId : oldToNew.values()) {
            if (!seen.add(newId)) {
                throw new KeyShiftException(name + " maps two old DEKs to " + newId + ": each old DEK needs its own"
                        + " new DEK.");
            }
        }
        return new DekMapping(oldToNew, altNamesMoved);
    }

    /** A UUID written as a string, as {@code {"$uuid": …}} or as binary subtype 4. */
    private static UUID uuid(BsonValue value, String what) {
        if (value != null && value.isBinary() && SchemaSource.isUuid(value.asBinary())) {
            return value.asBinary().asUuid();
        }
        if (value != null && value.isString() && UUID_TEXT.matcher(value.asString().getValue()).matches()) {
            return UUID.fromString(value.asString().getValue());
        }
        throw new KeyShiftException(what + ", which is not a DEK id: write DEK ids as UUIDs such as"
                + " 0f8fad5b-d9cb-469f-a165-70867728950e.");
    }
}
