package io.keyshift.core.crypto;

import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;

import javax.net.ssl.SSLContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The KMS providers one ClientEncryption knows: the old local key, the AWS CMK, or both. Keeping this
 * explicit is what lets verification use a client that knows ONLY the new provider.
 */
public final class KmsProviders implements AutoCloseable {

    private final Map<String, Map<String, Object>> properties = new HashMap<>();
    private final Map<String, Supplier<Map<String, Object>>> suppliers = new HashMap<>();
    private final Map<String, SSLContext> sslContexts = new HashMap<>();

    /** Adds a local provider under its name ({@code local} or a named one such as {@code local:old}). */
    public KmsProviders withLocal(String providerName, LocalMasterKey key) {
        properties.put(providerName, key.kmsProviderProperties());
        return this;
    }

    /** Adds the {@code aws} provider; its credentials are resolved each time the driver signs. */
    public KmsProviders withAws(AwsTarget target) {
        properties.put(AwsTarget.KMS_PROVIDER, target.kmsProviderEntry());
        suppliers.put(AwsTarget.KMS_PROVIDER, target.kmsProviderCredentials());
        target.kmsSslContext().ifPresent(context -> sslContexts.put(AwsTarget.KMS_PROVIDER, context));
        return this;
    }

    Map<String, Map<String, Object>> properties() {
        return properties;
    }

    Map<String, Supplier<Map<String, Object>>> suppliers() {
        return suppliers;
    }

    Map<String, SSLContext> sslContexts() {
        return sslContexts;
    }

    /** Overwrites the local keys' copies; call it after closing every ClientEncryption built with these. */
    @Override
    public void close() {
        properties.values().forEach(LocalMasterKey::wipe);
    }
}
