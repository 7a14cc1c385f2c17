package io.keyshift.core.crypto;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CiphertextHeaderTest {

    private static final UUID KEY = UUID.fromString("2b1a7c1e-3f4d-4c2a-9b8e-1d2c3b4a5f60");

    /** A subtype-6 payload: blob subtype, key id, original type, then 66 bytes standing for IV, ciphertext and HMAC. */
    static byte[] ciphertext(int blobSubtype, UUID keyId, BsonType originalType) {
        ByteBuffer buffer = ByteBuffer.allocate(CiphertextHeader.HEADER_LENGTH + 66);
        buffer.put((byte) blobSubtype).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .put((byte) originalType.getValue());
        return buffer.array();
    }

    @Test
    void readsDeterministicHeader() {
        CiphertextHeader header = CiphertextHeader.parse(new BsonBinary(BsonBinarySubType.ENCRYPTED,
                ciphertext(1, KEY, BsonType.STRING)));

        assertThat(header).isEqualTo(new CiphertextHeader(Algorithm.DETERMINISTIC, KEY, BsonType.STRING));
    }

    @Test
    void readsRandomHeaderOfAnEncryptedSubDocument() {
        CiphertextHeader header = CiphertextHeader.parse(ciphertext(2, KEY, BsonType.DOCUMENT));

        assertThat(header.algorithm()).isEqualTo(Algorithm.RANDOM);
        assertThat(header.originalType()).isEqualTo(BsonType.DOCUMENT);
    }

    @Test
    void reportsStoredQueryableEncryptionValuesAsSuch() {
        assertThat(CiphertextHeader.parse(ciphertext(14, KEY, BsonType.INT32)).algorithm())
                .isEqualTo(Algorithm.QUERYABLE_EQUALITY).matches(Algorithm::isQueryable);
        assertThat(CiphertextHeader.parse(ciphertext(15, KEY, BsonType.INT64)).algorithm()).isEqualTo(Algorithm.QUERYABLE_RANGE);
        assertThat(CiphertextHeader.parse(ciphertext(16, KEY, BsonType.STRING)).algorithm()).isEqualTo(Algorithm.QUERYABLE_UNINDEXED);
        assertThat(CiphertextHeader.parse(ciphertext(16, KEY, BsonType.STRING)).keyId()).isEqualTo(KEY);
        assertThat(Algorithm.DETERMINISTIC.isQueryable()).isFalse();
    }

    @Test
    void rejectsBinaryOfAnotherSubtype() {
        assertThatThrownBy(() -> CiphertextHeader.parse(new BsonBinary(KEY)))
                .isInstanceOf(KeyShiftException.class)
                .hasMessage("Not an encrypted value: binary subtype 4, expected 6.");
    }

    @Test
    void rejectsValueShorterThanAHeader() {
        assertThatThrownBy(() -> CiphertextHeader.parse(new byte[10]))
                .hasMessageContaining("10 bytes, shorter than");
    }

    @Test
    void rejectsUnknownBlobSubtype() {
        assertThatThrownBy(() -> CiphertextHeader.parse(ciphertext(42, KEY, BsonType.STRING)))
                .hasMessageContaining("blob subtype 42 is not one");
    }

    @Test
    void rejectsClientSidePayloadsThatAreNeverStored() {
        assertThatThrownBy(() -> CiphertextHeader.parse(ciphertext(0, KEY, BsonType.STRING)))
                .hasMessageContaining("placeholder");
        assertThatThrownBy(() -> CiphertextHeader.parse(ciphertext(11, KEY, BsonType.STRING)))
                .hasMessageContaining("insert or query payload");
    }

    @Test
    void rejectsAnOriginalTypeThatIsNoBsonType() {
        byte[] data = ciphertext(1, KEY, BsonType.STRING);
        data[17] = 0x55;

        assertThatThrownBy(() -> CiphertextHeader.parse(data)).hasMessageContaining("0x55 is not a BSON type");
    }
}
