package io.keyshift.core.kms;

import javax.net.ssl.SSLContext;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One KMS provider as a ClientEncryption knows it: its name, what goes into {@code kmsProviders}, how
 * credentials are fetched, and the TLS context for reaching it. Every implementation validates its
 * input when it is built and holds no secret in {@link #describe()} or {@code toString()}.
 *
 * <p>A provider owns its material (key copies, credential providers) and {@link #close()} releases it.
 */
public interface KmsProvider extends AutoCloseable {

    /** The name in {@code kmsProviders} and in a key's {@code masterKey.provider}: {@code aws}, {@code local:new} … */
    String name();

    ProviderType type();

    /**
     * The {@code kmsProviders} entry. It may hold a copy of key material; {@link KmsProviders#close()}
     * wipes the copies it was given.
     */
    Map<String, Object> kmsProviderEntry();

    /**
     * The {@code kmsProviderPropertySuppliers} entry when the driver should ask for credentials each time
     * it needs them (then {@link #kmsProviderEntry()} is empty); empty when the entry holds them.
     */
    Optional<Supplier<Map<String, Object>>> credentials();

    /** The {@code kmsProviderSslContextMap} entry; empty to use the JVM's default TLS trust. */
    Optional<SSLContext> sslContext();

    /** The same material and credentials under another name of the same type, such as {@code local:new}. */
    KmsProvider named(String name);

    /** One line naming the provider and where its material comes from, never a secret: {@code aws (profile "prod")}. */
    String describe();

    @Override
    void close();
}
