package io.keyshift.core.crypto;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.function.BiConsumer;

/** Finds the ciphertext (BSON binary subtype 6) values of a document, at any depth, arrays included. */
public final class Ciphertexts {

    private Ciphertexts() {
    }

    /**
     * Calls {@code visitor} with the dotted path of each ciphertext value (array positions as
     * indexes, e.g. {@code phones.1}, usable in an update) and the value itself.
     */
    public static void forEach(BsonDocument document, BiConsumer<String, BsonBinary> visitor) {
        document.forEach((name, value) -> visit(name, value, visitor));
    }

    private static void visit(String path, BsonValue value, BiConsumer<String, BsonBinary> visitor) {
        if (value.isBinary() && value.asBinary().getType() == BsonBinarySubType.ENCRYPTED.getValue()) {
            visitor.accept(path, value.asBinary());
        } else if (value.isDocument()) {
            value.asDocument().forEach((name, child) -> visit(path + "." + name, child, visitor));
        } else if (value.isArray()) {
            BsonArray array = value.asArray();
            for (int i = 0; i < array.size(); i++) {
                visit(path + "." + i, array.get(i), visitor);
            }
        }
    }
}
