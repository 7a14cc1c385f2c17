package io.keyshift.core.schema;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.keyshift.core.KeyShiftException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Finds and reads automatic-encryption rules: a schema-map file, or the server's validators. */
public final class SchemaSource {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaSource.class);

    /** Databases that never hold application collections. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");

    private SchemaSource() {
    }

    /**
     * Reads a schema-map file keyed by namespace, in canonical or relaxed Extended JSON or with the
     * legacy {@code {"$binary": "<base64>", "$type": "04"}} binaries.
     */
    public static SchemaFile readFile(Path file) {
        byte[] bytes = ExtendedJson.readBytes(file, "schema file");
        String name = "The schema file " + file;
        BsonDocument content = ExtendedJson.parse(bytes, name);
        List<QueryableEncryptionUse> queryableEncryption = new ArrayList<>();
        content.forEach((namespace, value) -> {
            if (!isNamespace(namespace) || !value.isDocument()) {
                throw new KeyShiftException(name + " is not a schema map: its key \"" + namespace + "\" should be a"
                        + " namespace (database.collection) holding a document, as in {\"hr.employees\": {…}}.");
            }
            if (SchemaFile.isEncryptedFields(value.asDocument())) {
                queryableEncryption.add(queryableEncryptionUse(namespace, value.asDocument()));
            }
        });
        LOG.debug("Read {} namespaces from {}", content.size(), file);
        return new SchemaFile(file, bytes, content, queryableEncryption);
    }

    /**
     * Lists every collection of every application database and keeps the validators that hold
     * encryption rules, and the Queryable Encryption collections.
     *
     * @param location the hosts, for messages
     */
    public static ServerValidators readValidators(MongoClient client, String location) {
        List<ServerValidators.CollectionValidator> validators = new ArrayList<>();
        List<QueryableEncryptionUse> queryableEncryption = new ArrayList<>();
        for (String database : listDatabaseNames(client, location)) {
            if (SYSTEM_DATABASES.contains(database)) {
                continue;
            }
            for (BsonDocument collection : listCollections(client.getDatabase(database), new BsonDocument())) {
                String namespace = database + "." + collection.getString("name").getValue();
                BsonDocument options = collection.getDocument("options", new BsonDocument());
                if (options.isDocument("validator") && holdsEncryptionRules(options.getDocument("validator"))) {
                    validators.add(collectionValidator(namespace, options));
                }
                if (options.isDocument("encryptedFields")) {
                    queryableEncryption.add(queryableEncryptionUse(namespace, options.getDocument("encryptedFields")));
                }
            }
        }
        LOG.debug("Found {} validators with encryption rules on {}", validators.size(), location);
        return new ServerValidators(location, validators, queryableEncryption);
    }

    /** The live validator of one collection, read again just before a write. */
    static ServerValidators.CollectionValidator readValidator(MongoClient client, String namespace) {
        int dot = namespace.indexOf('.');
        MongoDatabase database = client.getDatabase(namespace.substring(0, dot));
        BsonDocument filter = new BsonDocument("name", new BsonString(namespace.substring(dot + 1)));
        List<BsonDocument> found = listCollections(database, filter);
        if (found.isEmpty()) {
            throw new SchemaChangedException("The collection " + namespace + " no longer exists, so its validator"
                    + " was not changed. Run `keyshift schema diff` again and review the new diff.");
        }
        return collectionValidator(namespace, found.get(0).getDocument("options", new BsonDocument()));
    }

    private static ServerValidators.CollectionValidator collectionValidator(String namespace, BsonDocument options) {
        return new ServerValidators.CollectionValidator(namespace,
                options.getDocument("validator", new BsonDocument()),
                options.isString("validationLevel") ? options.getString("validationLevel").getValue() : null,
                options.isString("validationAction") ? options.getString("validationAction").getValue() : null);
    }

    private static List<String> listDatabaseNames(MongoClient client, String location) {
        try {
            return client.listDatabaseNames().into(new ArrayList<>());
        } catch (MongoException e) {
            throw new KeyShiftException("Could not list the databases on " + location + " (" + e.getMessage()
                    + "): check that the user may run listDatabases, or give the rules with --schema-file.", e);
        }
    }

    private static List<BsonDocument> listCollections(MongoDatabase database, BsonDocument filter) {
        try {
            return database.listCollections(BsonDocument.class).filter(filter).into(new ArrayList<>());
        } catch (MongoException e) {
            throw new KeyShiftException("Could not list the collections of database " + database.getName() + " ("
                    + e.getMessage() + "): check that the user may run listCollections on it.", e);
        }
    }

    private static boolean isNamespace(String key) {
        int dot = key.indexOf('.');
        return dot > 0 && dot < key.length() - 1;
    }

    /** True if an {@code encrypt} or {@code encryptMetadata} keyword appears at any depth. */
    private static boolean holdsEncryptionRules(BsonValue value) {
        if (value.isDocument()) {
            return value.asDocument().entrySet().stream().anyMatch(entry ->
                    KeyIdRewriter.ENCRYPT.equals(entry.getKey()) || KeyIdRewriter.ENCRYPT_METADATA.equals(entry.getKey())
                    || holdsEncryptionRules(entry.getValue()));
        }
        return value.isArray() && value.asArray().stream().anyMatch(SchemaSource::holdsEncryptionRules);
    }

    private static QueryableEncryptionUse queryableEncryptionUse(String namespace, BsonDocument encryptedFields) {
        List<String> paths = new ArrayList<>();
        Set<UUID> keyIds = new LinkedHashSet<>();
        for (BsonValue field : encryptedFields.getArray("fields", new BsonArray())) {
            if (!field.isDocument()) {
                continue;
            }
            BsonDocument fieldDocument = field.asDocument();
            if (fieldDocument.isString("path")) {
                paths.add(fieldDocument.getString("path").getValue());
            }
            BsonValue keyId = fieldDocument.get("keyId");
            if (keyId != null && keyId.isBinary() && isUuid(keyId.asBinary())) {
                keyIds.add(keyId.asBinary().asUuid());
            }
        }
        return new QueryableEncryptionUse(namespace, paths, new ArrayList<>(keyIds));
    }

    static boolean isUuid(BsonBinary binary) {
        return binary.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && binary.getData().length == 16;
    }
}
