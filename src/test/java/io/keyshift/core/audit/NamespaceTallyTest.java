package io.keyshift.core.audit;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceTallyTest {

    private static final UUID KEY = UUID.fromString("11111111-1111-4111-8111-111111111111");

    private static BsonBinary encrypted(int algorithm) {
        ByteBuffer buffer = ByteBuffer.allocate(18 + 32);
        buffer.put((byte) algorithm).putLong(KEY.getMostSignificantBits()).putLong(KEY.getLeastSignificantBits())
                .put((byte) BsonType.STRING.getValue());
        return new BsonBinary(BsonBinarySubType.ENCRYPTED, buffer.array());
    }

    private static RawBsonDocument raw(BsonDocument document) {
        return new RawBsonDocument(document, new BsonDocumentCodec());
    }

    @Test
    void countsEveryValueButNamesEachDocumentOnce() {
        NamespaceTally tally = new NamespaceTally("hr.employees", Set.of());
        for (int id = 1; id <= 3; id++) {
            tally.walk(raw(new BsonDocument("_id", new BsonInt32(id))
                    .append("phones", new BsonArray(List.of(encrypted(1), encrypted(1), encrypted(1))))));
        }

        NamespaceTally.Count count = tally.ciphers().get(new NamespaceTally.Cipher("phones.$", KEY, Algorithm.DETERMINISTIC));
        assertThat(count.values).isEqualTo(9);
        assertThat(count.ids).containsExactly("1", "2", "3");
    }

    @Test
    void plaintextAtAnEncryptedPathIsCountedWithoutItsValueAndNullIsNot() {
        NamespaceTally tally = new NamespaceTally("hr.employees", Set.of("ssn", "address.street", "vitals"));
        tally.walk(raw(new BsonDocument("_id", new BsonString("a")).append("ssn", new BsonString("123-45-6789"))
                .append("address", new BsonDocument("street", new BsonString("1 Main St")))
                .append("vitals", new BsonDocument("pulse", new BsonInt32(60)))));
        tally.walk(raw(new BsonDocument("_id", new BsonString("b")).append("ssn", encrypted(1))
                .append("address", new BsonDocument("street", BsonNull.VALUE))
                .append("vitals", encrypted(2))));

        assertThat(tally.plaintext()).containsOnlyKeys("ssn", "address.street", "vitals");
        assertThat(tally.plaintext().get("ssn").ids).containsExactly("\"a\"");
        assertThat(tally.plaintext().values()).allMatch(count -> count.values == 1);
        assertThat(tally.ciphers()).containsOnlyKeys(new NamespaceTally.Cipher("ssn", KEY, Algorithm.DETERMINISTIC),
                new NamespaceTally.Cipher("vitals", KEY, Algorithm.RANDOM));
    }
}
