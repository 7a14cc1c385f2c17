package io.keyshift.core.kms;

import org.bson.BsonDocument;

/** A Cloud KMS key's resource name, built from a gcp masterKey document. */
final class GcpKeyName {

    private GcpKeyName() {
    }

    /** {@code projects/P/locations/L/keyRings/R/cryptoKeys/K}. */
    static String of(BsonDocument masterKey) {
        return "projects/" + masterKey.getString("projectId").getValue()
                + "/locations/" + masterKey.getString("location").getValue()
                + "/keyRings/" + masterKey.getString("keyRing").getValue()
                + "/cryptoKeys/" + masterKey.getString("keyName").getValue();
    }
}
