package io.keyshift.core.kms;

import javax.net.ssl.SSLContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The KMS providers one ClientEncryption knows: the source's, the target's, or both. Keeping this
 * explicit is what lets verification use a client that knows ONLY the target provider.
 */
public final class KmsProviders implements AutoCloseable {

    private final Map<String, Map<String, Object>> properties = new HashMap<>();
    private final Map<String, Supplier<Map<String, Object>>> suppliers = new HashMap<>();
    private final Map<String, SSLContext> sslContexts = new HashMap<>();

    /** Adds {@code provider} under its name; the provider stays owned by the caller. */
    public KmsProviders with(KmsProvider provider) {
        properties.put(provider.name(), provider.kmsProviderEntry());
        provider.credentials().ifPresent(credentials -> suppliers.put(provider.name(), credentials));
        if (provider.type() != ProviderType.LOCAL) {
            sslContexts.put(provider.name(), provider.sslContext().map(KmsTls::wrap).orElseGet(KmsTls::wrapDefault));
        }
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

    /**
     * Overwrites the key material copies in the entries (a local key, a GCP service account's private key);
     * call it after closing every ClientEncryption built with these.
     */
    @Override
    public void close() {
        properties.values().forEach(entry -> entry.values().forEach(value -> {
            if (value instanceof byte[] material) {
                Arrays.fill(material, (byte) 0);
            }
        }));
    }
}
