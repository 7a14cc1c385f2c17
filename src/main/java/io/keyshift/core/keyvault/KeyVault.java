package io.keyshift.core.keyvault;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Read-only access to a key vault collection. Every read uses read concern majority, so a key
 * seen here survives a failover; nothing here ever writes (unlike mongosh's getKeyVault(), which
 * creates the keyAltNames index as a side effect).
 */
public final class KeyVault {

    /** Keys per round trip when a page is larger: small documents, so few round trips. */
    private static final int BATCH_SIZE = 1000;

    private final MongoNamespace namespace;
    private final MongoCollection<BsonDocument> collection;

    private KeyVault(MongoNamespace namespace, MongoCollection<BsonDocument> collection) {
        this.namespace = namespace;
        this.collection = collection;
    }

    /** Parses {@code DB.COLL}, the way the driver and mongosh write a key vault namespace. */
    public static MongoNamespace namespace(String fullName) {
        int dot = fullName.indexOf('.');
        if (dot <= 0 || dot == fullName.length() - 1) {
            throw new KeyShiftException("The key vault namespace \"" + fullName + "\" is not DB.COLLECTION:"
                    + " pass it as, for example, encryption.__keyVault.");
        }
        try {
            return new MongoNamespace(fullName);
        } catch (IllegalArgumentException e) {
            throw new KeyShiftException("The key vault namespace \"" + fullName + "\" is not valid (" + e.getMessage()
                    + "): pass it as, for example, encryption.__keyVault.", e);
        }
    }

    /**
     * Opens the key vault after checking that the collection exists and holds data keys, so a
     * mistyped namespace is reported as such rather than as an empty vault.
     */
    public static KeyVault open(MongoClient client, MongoNamespace namespace) {
        boolean exists = client.getDatabase(namespace.getDatabaseName())
                .listCollectionNames()
                .into(new ArrayList<>())
                .contains(namespace.getCollectionName());
        if (!exists) {
            throw new KeyShiftException("There is no collection " + namespace.getFullName() + " on this cluster:"
                    + " check the key vault namespace (DB.COLLECTION, default encryption.__keyVault).");
        }
        MongoCollection<BsonDocument> collection = client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class)
                .withReadConcern(ReadConcern.MAJORITY);
        // One document tells a mistyped namespace; listing then checks every key's _id and masterKey.
        BsonDocument first = collection.find().limit(1).first();
        if (first != null && !(first.containsKey("masterKey") && first.containsKey("keyMaterial"))) {
            throw notAKeyVault(namespace, first.get("_id"), "it has no masterKey or keyMaterial field");
        }
        return new KeyVault(namespace, collection);
    }

    public MongoNamespace namespace() {
        return namespace;
    }

    /** Keys matching {@code filter} (e.g. {@code {"masterKey.provider": "local"}}), one page at a time. */
    public KeyPage list(Bson filter, Page page) {
        Bson window = page.after() == null ? filter
                : Filters.and(filter, Filters.gt("_id", new BsonBinary(page.after())));
        List<DataKey> keys = read(window, page.size(), Math.min(page.size(), BATCH_SIZE));
        Optional<Page> next = keys.size() < page.size() ? Optional.empty()
                : Optional.of(new Page(keys.get(keys.size() - 1).id(), page.size()));
        return new KeyPage(keys, next);
    }

    /**
     * Every key matching {@code filter}, in {@code _id} order, through one cursor fetching
     * {@code batchSize} keys per round trip.
     */
    public List<DataKey> listAll(Bson filter, int batchSize) {
        return read(filter, 0, batchSize);
    }

    /** The id of every key, to tell whether a keyId names a key that exists. */
    public Set<UUID> ids() {
        return listAll(Filters.empty(), BATCH_SIZE).stream().map(DataKey::id).collect(Collectors.toSet());
    }

    /** Every key's alt names by its id, so a keyId can be shown as the key a DBA knows by name. */
    public Map<UUID, List<String>> altNamesById() {
        Map<UUID, List<String>> altNames = new LinkedHashMap<>();
        listAll(Filters.empty(), BATCH_SIZE).forEach(key -> altNames.put(key.id(), key.keyAltNames()));
        return altNames;
    }

    /** @param limit at most this many keys; 0 for all */
    private List<DataKey> read(Bson filter, int limit, int batchSize) {
        List<DataKey> keys = new ArrayList<>();
        try (MongoCursor<BsonDocument> cursor = collection.find(filter)
                .projection(Projections.exclude("keyMaterial"))
                .sort(Sorts.ascending("_id"))
                .limit(limit)
                .batchSize(batchSize)
                .iterator()) {
            cursor.forEachRemaining(doc -> keys.add(toDataKey(namespace, doc)));
        }
        return keys;
    }

    /**
     * Whether the unique, partial keyAltNames index exists. The server's ability to build partial
     * indexes is the caller's to tell, since only a write could prove it.
     */
    public AltNamesIndex altNamesIndex(boolean serverSupportsPartialIndexes) {
        AltNamesIndex found = AltNamesIndex.MISSING;
        for (BsonDocument index : collection.listIndexes(BsonDocument.class)) {
            BsonDocument keys = index.getDocument("key", new BsonDocument());
            if (keys.size() == 1 && keys.containsKey("keyAltNames")) {
                boolean unique = index.getBoolean("unique", BsonBoolean.FALSE).getValue();
                boolean partial = index.containsKey("partialFilterExpression");
                if (unique && partial) {
                    return AltNamesIndex.PRESENT;
                }
                found = AltNamesIndex.INCOMPLETE;
            }
        }
        return serverSupportsPartialIndexes ? found : AltNamesIndex.NOT_SUPPORTED;
    }

    static DataKey toDataKey(MongoNamespace namespace, BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id == null || !id.isBinary() || id.asBinary().getType() != BsonBinarySubType.UUID_STANDARD.getValue()
                || id.asBinary().getData().length != 16) {
            throw notAKeyVault(namespace, id, "its _id is not a UUID");
        }
        BsonDocument masterKey = doc.get("masterKey") instanceof BsonDocument mk ? mk : new BsonDocument();
        if (!masterKey.isString("provider")) {
            throw notAKeyVault(namespace, id, "its masterKey has no provider");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        masterKey.forEach((name, value) -> {
            if (!name.equals("provider")) {
                fields.put(name, value.isString() ? value.asString().getValue() : value.toString());
            }
        });
        List<String> altNames = new ArrayList<>();
        if (doc.get("keyAltNames") instanceof BsonArray names) {
            names.forEach(name -> altNames.add(name.isString() ? name.asString().getValue() : name.toString()));
        }
        return new DataKey(id.asBinary().asUuid(),
                altNames,
                new MasterKeyRef(masterKey.getString("provider").getValue(), fields),
                instant(doc.get("creationDate")),
                instant(doc.get("updateDate")),
                doc.get("status") != null && doc.get("status").isNumber() ? doc.get("status").asNumber().intValue() : null);
    }

    private static Instant instant(BsonValue value) {
        return value != null && value.isDateTime() ? Instant.ofEpochMilli(value.asDateTime().getValue()) : null;
    }

    private static KeyShiftException notAKeyVault(MongoNamespace namespace, BsonValue id, String why) {
        return new KeyShiftException(namespace.getFullName() + " is not a key vault: the document with _id "
                + (id == null ? "(none)" : new BsonDocument("_id", id).toJson().replaceAll("^\\{\"_id\": |}$", ""))
                + " is not a data key (" + why + "). Check the key vault"
                + " namespace (DB.COLLECTION, default encryption.__keyVault).");
    }
}
