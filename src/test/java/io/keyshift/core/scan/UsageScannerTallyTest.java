package io.keyshift.core.scan;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
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

class UsageScannerTallyTest {

    private static final UUID SSN_KEY = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID PHONE_KEY = UUID.fromString("22222222-2222-4222-8222-222222222222");

    static BsonBinary encrypted(int algorithm, UUID keyId) {
        ByteBuffer buffer = ByteBuffer.allocate(18 + 66);
        buffer.put((byte) algorithm).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .put((byte) BsonType.STRING.getValue());
        return new BsonBinary(BsonBinarySubType.ENCRYPTED, buffer.array());
    }

    private static RawBsonDocument raw(BsonDocument document) {
        return new RawBsonDocument(document, new BsonDocumentCodec());
    }

    private static BsonDocument employee() {
        return new BsonDocument("_id", new BsonInt32(1))
                .append("name", new BsonString("Ada"))
                .append("ssn", encrypted(1, SSN_KEY))
                .append("contact", new BsonDocument("phones", new BsonArray(List.of(
                        encrypted(2, PHONE_KEY), encrypted(2, PHONE_KEY)))))
                .append("photo", new BsonBinary(new byte[] {1, 2, 3}));
    }

    @Test
    void countsValuesPerPathAndKeyWithArrayPositionsAsDollar() {
        UsageScanner.Tally tally = new UsageScanner.Tally();
        tally.walk(raw(employee()));
        tally.walk(raw(employee()));

        NamespaceUsage usage = tally.toUsage("hr.employees");

        assertThat(usage.documentsScanned()).isEqualTo(2);
        assertThat(usage.fields()).containsExactly(
                new FieldUsage("contact.phones.$", PHONE_KEY, 4, Set.of(Algorithm.RANDOM)),
                new FieldUsage("ssn", SSN_KEY, 2, Set.of(Algorithm.DETERMINISTIC)));
        assertThat(usage.unreadable()).isEmpty();
        assertThat(usage.truncated()).isFalse();
    }

    @Test
    void reportsSubtypeSixValuesWithoutAReadableHeader() {
        UsageScanner.Tally tally = new UsageScanner.Tally();
        tally.walk(raw(new BsonDocument("blob", new BsonBinary(BsonBinarySubType.ENCRYPTED, new byte[5]))));

        NamespaceUsage usage = tally.toUsage("misc.blobs");

        assertThat(usage.fields()).isEmpty();
        assertThat(usage.unreadable()).singleElement().satisfies(unreadable -> {
            assertThat(unreadable.path()).isEqualTo("blob");
            assertThat(unreadable.values()).isEqualTo(1);
            assertThat(unreadable.reason()).contains("5 bytes");
        });
    }

    @Test
    void keepsABoundedNumberOfDistinctPathsAndSaysSo() {
        UsageScanner.Tally tally = new UsageScanner.Tally();
        for (int i = 0; i <= UsageScanner.MAX_PAIRS_PER_NAMESPACE; i++) {
            tally.walk(raw(new BsonDocument("field" + i, encrypted(1, SSN_KEY))));
        }

        NamespaceUsage usage = tally.toUsage("dynamic.keys");

        assertThat(usage.fields()).hasSize(UsageScanner.MAX_PAIRS_PER_NAMESPACE);
        assertThat(usage.truncated()).isTrue();
        assertThat(usage.documentsScanned()).isEqualTo(UsageScanner.MAX_PAIRS_PER_NAMESPACE + 1);
    }
}
