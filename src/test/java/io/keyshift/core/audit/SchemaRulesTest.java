package io.keyshift.core.audit;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaRulesTest {

    private static final UUID INHERITED = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID OWN = UUID.fromString("22222222-2222-4222-8222-222222222222");

    private static String binary(UUID id) {
        return "{\"$binary\": {\"base64\": \"" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array())
                + "\", \"subType\": \"04\"}}";
    }

    @Test
    void encryptMetadataPassesItsKeyAndAlgorithmDownAndAnEncryptBlockOverridesThem() {
        BsonDocument patients = BsonDocument.parse("{\"$jsonSchema\": {\"bsonType\": \"object\","
                + " \"encryptMetadata\": {\"keyId\": [" + binary(INHERITED) + "], \"algorithm\": \"AEAD_AES_256_CBC_HMAC_SHA_512-Random\"},"
                + " \"properties\": {"
                + "   \"vitals\": {\"encrypt\": {\"bsonType\": \"object\"}},"
                + "   \"insurance\": {\"bsonType\": \"object\", \"properties\": {\"memberId\": {\"encrypt\": {\"keyId\": ["
                + binary(OWN) + "], \"algorithm\": \"AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic\"}}}},"
                + "   \"scans\": {\"bsonType\": \"array\", \"items\": {\"encrypt\": {\"keyId\": \"/owner\"}}}}}}");

        List<SchemaRule> rules = SchemaRules.of(Map.of("clinic.patients", patients), "server validator");

        assertThat(rules).containsExactlyInAnyOrder(
                new SchemaRule("clinic.patients", "vitals", List.of(INHERITED), null, Algorithm.RANDOM, "server validator"),
                new SchemaRule("clinic.patients", "insurance.memberId", List.of(OWN), null, Algorithm.DETERMINISTIC,
                        "server validator"),
                new SchemaRule("clinic.patients", "scans.$", List.of(), "/owner", Algorithm.RANDOM, "server validator"));
    }
}
