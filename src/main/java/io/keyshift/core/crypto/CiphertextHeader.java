package io.keyshift.core.crypto;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonType;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The clear header of an encrypted value (BSON binary subtype 6): which algorithm, which data key
 * and which original BSON type. Reading it needs no key, which is how usage is mapped.
 *
 * <p>Layout: byte 0 the blob subtype, bytes 1–16 the data key id, byte 17 the original BSON type.
 * Stored Queryable Encryption values share this prefix (for indexed values the id is the key that
 * derives the index tokens, which is the field's data key).
 */
public record CiphertextHeader(Algorithm algorithm, UUID keyId, BsonType originalType) {

    /** Bytes before the encrypted payload. */
    public static final int HEADER_LENGTH = 18;

    /** The algorithm family a blob subtype stands for. */
    public enum Algorithm {
        DETERMINISTIC(false),
        RANDOM(false),
        QUERYABLE_UNINDEXED(true),
        QUERYABLE_EQUALITY(true),
        QUERYABLE_RANGE(true),
        QUERYABLE_TEXT(true);

        private final boolean queryable;

        Algorithm(boolean queryable) {
            this.queryable = queryable;
        }

        /** True for Queryable Encryption values, which cannot be re-keyed in place. */
        public boolean isQueryable() {
            return queryable;
        }
    }

    public static CiphertextHeader parse(BsonBinary binary) {
        if (binary.getType() != BsonBinarySubType.ENCRYPTED.getValue()) {
            throw new KeyShiftException("Not an encrypted value: binary subtype " + binary.getType()
                    + ", expected 6.");
        }
        return parse(binary.getData());
    }

    /** Parses the payload of a subtype-6 binary. */
    public static CiphertextHeader parse(byte[] data) {
        if (data.length <= HEADER_LENGTH) {
            throw new KeyShiftException("Not an encrypted value: " + data.length + " bytes, shorter than the "
                    + (HEADER_LENGTH + 1) + " bytes of a header and a payload.");
        }
        Algorithm algorithm = algorithmOf(data[0]);
        ByteBuffer id = ByteBuffer.wrap(data, 1, 16);
        UUID keyId = new UUID(id.getLong(), id.getLong());
        BsonType originalType = originalTypeOf(data[HEADER_LENGTH - 1]);
        return new CiphertextHeader(algorithm, keyId, originalType);
    }

    private static Algorithm algorithmOf(byte subtype) {
        switch (subtype) {
            case 1: return Algorithm.DETERMINISTIC;
            case 2: return Algorithm.RANDOM;
            case 6: case 16: return Algorithm.QUERYABLE_UNINDEXED;
            case 7: case 14: return Algorithm.QUERYABLE_EQUALITY;
            case 9: case 15: return Algorithm.QUERYABLE_RANGE;
            case 17: return Algorithm.QUERYABLE_TEXT;
            case 0: case 3:
                throw new KeyShiftException("Not a stored encrypted value: blob subtype " + subtype
                        + " is an encryption placeholder that only exists inside a client.");
            case 4: case 5: case 10: case 11: case 12: case 13: case 18:
                throw new KeyShiftException("Not a stored encrypted value: blob subtype " + subtype
                        + " is a Queryable Encryption insert or query payload.");
            default:
                throw new KeyShiftException("Unknown encrypted value: blob subtype " + (subtype & 0xff)
                        + " is not one this version of KeyShift knows.");
        }
    }

    private static BsonType originalTypeOf(byte value) {
        BsonType type = BsonType.findByValue(value & 0xff);
        if (type == null || type == BsonType.END_OF_DOCUMENT) {
            throw new KeyShiftException("Not an encrypted value: original type byte 0x"
                    + String.format("%02x", value & 0xff) + " is not a BSON type.");
        }
        return type;
    }
}
