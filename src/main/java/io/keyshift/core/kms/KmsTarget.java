package io.keyshift.core.kms;

import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * Where new and rewrapped data keys go: a provider and the {@code masterKey} document naming the key in
 * it (aws {@code {region, key, endpoint?}}; kmip {@code {keyId?, endpoint?, delegated?}}; local empty).
 * The provider stays owned by whoever built it.
 */
public record KmsTarget(KmsProvider provider, BsonDocument masterKey) {

    public KmsTarget {
        masterKey = masterKey.clone();
    }

    /** An AWS CMK: the region and CMK are validated as for {@link AwsTarget}. */
    public static KmsTarget aws(AwsProvider provider, String region, String cmk) {
        return new KmsTarget(provider, AwsTarget.masterKey(AwsTarget.requireRegion(region), CmkArn.parse(cmk),
                provider.endpoint().orElse(null)));
    }

    /**
     * A key on a KMIP server: the managed object {@code keyId}, or with none (null or blank) a key the
     * server creates when the first data key is made.
     */
    public static KmsTarget kmip(KmipProvider provider, String keyId) {
        BsonDocument masterKey = new BsonDocument();
        if (keyId != null && !keyId.isBlank()) {
            masterKey.append("keyId", new BsonString(keyId.strip()));
        }
        return new KmsTarget(provider, masterKey);
    }

    /** A new local key file. */
    public static KmsTarget local(LocalProvider provider) {
        return new KmsTarget(provider, new BsonDocument());
    }

    /** The masterKey document for {@code createDataKey} and {@code rewrapManyDataKey} (a copy). */
    @Override
    public BsonDocument masterKey() {
        return masterKey.clone();
    }

    public ProviderType type() {
        return provider.type();
    }

    /** One line, no secret: the provider and the key in it. */
    public String describe() {
        return switch (provider.type()) {
            case AWS -> provider.describe() + ", key " + masterKey.getString("key").getValue()
                    + " in " + masterKey.getString("region").getValue();
            case KMIP -> provider.describe() + (masterKey.containsKey("keyId")
                    ? ", key " + masterKey.getString("keyId").getValue()
                    : ", a key the KMIP server creates");
            case AZURE -> provider.describe() + ", key " + masterKey.getString("keyName").getValue()
                    + optional(" version ", "keyVersion") + " in " + masterKey.getString("keyVaultEndpoint").getValue();
            case GCP -> provider.describe() + ", key " + GcpKeyName.of(masterKey) + optional(" version ", "keyVersion");
            default -> provider.describe();
        };
    }

    private String optional(String prefix, String field) {
        return masterKey.containsKey(field) ? prefix + masterKey.getString(field).getValue() : "";
    }
}
