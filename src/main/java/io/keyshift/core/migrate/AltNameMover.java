package io.keyshift.core.migrate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Moves each old key's keyAltNames to its new key, after verification. Alt names are unique in the
 * key vault, so each name is removed from the old key before it is added to the new one; the names
 * come from the backup taken before the migration, so a run stopped between the two steps is
 * finished by running again. The key vault is updated directly rather than through the driver's
 * removeKeyAltName, whose aggregation-pipeline update not every server accepts; like it, the field
 * is removed rather than left empty, since an empty array would collide in the unique alt-name index.
 */
final class AltNameMover {

    private final MongoCollection<BsonDocument> keyVault;

    /** @param keyVault with write concern majority */
    AltNameMover(MongoCollection<BsonDocument> keyVault) {
        this.keyVault = keyVault;
    }

    /** @return the number of names moved by this call */
    int move(Map<UUID, List<String>> altNamesAsBackedUp, Map<UUID, UUID> oldToNew) {
        int moved = 0;
        for (Map.Entry<UUID, List<String>> oldKey : altNamesAsBackedUp.entrySet()) {
            UUID newKey = oldToNew.get(oldKey.getKey());
            for (String name : oldKey.getValue()) {
                if (holds(newKey, name)) {
                    continue;
                }
                BsonBinary oldId = new BsonBinary(oldKey.getKey());
                keyVault.updateOne(Filters.and(Filters.eq("_id", oldId), Filters.eq("keyAltNames", List.of(name))),
                        Updates.unset("keyAltNames"));
                keyVault.updateOne(Filters.and(Filters.eq("_id", oldId), Filters.eq("keyAltNames", name)),
                        Updates.pull("keyAltNames", name));
                keyVault.updateOne(Filters.eq("_id", new BsonBinary(newKey)), Updates.addToSet("keyAltNames", name));
                moved++;
            }
        }
        return moved;
    }

    private boolean holds(UUID key, String name) {
        return keyVault.countDocuments(Filters.and(Filters.eq("_id", new BsonBinary(key)),
                Filters.eq("keyAltNames", new BsonString(name)))) > 0;
    }
}
