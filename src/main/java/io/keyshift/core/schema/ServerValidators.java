package io.keyshift.core.schema;

import org.bson.BsonDocument;
import org.bson.BsonString;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side {@code $jsonSchema} validators that hold encryption rules, as listed by
 * {@code listCollections}.
 *
 * @param location the hosts they were read from, for messages (never the connection string)
 */
public record ServerValidators(String location, List<CollectionValidator> collections,
                               List<QueryableEncryptionUse> queryableEncryption) implements SchemaSnapshot {

    /**
     * One collection's validator and the validation settings a {@code collMod} must keep; a setting
     * the server did not list is null.
     */
    public record CollectionValidator(String namespace, BsonDocument validator,
                                      String validationLevel, String validationAction) {

        public CollectionValidator {
            validator = validator.clone();
        }

        @Override
        public BsonDocument validator() {
            return validator.clone();
        }

        /** As rendered for the diff and the preview hash: the validator with its settings. */
        BsonDocument asDocument(BsonDocument withValidator) {
            BsonDocument document = new BsonDocument("validator", withValidator);
            Optional.ofNullable(validationLevel).ifPresent(level -> document.put("validationLevel", new BsonString(level)));
            Optional.ofNullable(validationAction).ifPresent(action -> document.put("validationAction", new BsonString(action)));
            return document;
        }
    }

    public ServerValidators {
        collections = List.copyOf(collections);
        queryableEncryption = List.copyOf(queryableEncryption);
    }

    @Override
    public String description() {
        return "server-side validators on " + location;
    }

    @Override
    public byte[] sourceBytes() {
        return render(rules()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, BsonDocument> rules() {
        Map<String, BsonDocument> rules = new LinkedHashMap<>();
        collections.forEach(collection -> rules.put(collection.namespace(), collection.validator()));
        return rules;
    }

    @Override
    public String render(Map<String, BsonDocument> rules) {
        BsonDocument result = new BsonDocument();
        collections.forEach(collection -> result.put(collection.namespace(),
                collection.asDocument(rules.getOrDefault(collection.namespace(), collection.validator()))));
        return ExtendedJson.canonicalPretty(result) + "\n";
    }

    /** The validator listed for {@code namespace}, if any. */
    public Optional<CollectionValidator> collection(String namespace) {
        return collections.stream().filter(collection -> collection.namespace().equals(namespace)).findFirst();
    }
}
