package io.keyshift.core.kms;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code local} provider: a 96-byte master key from a key file. It holds its own copy of the key,
 * so it can be closed independently of the {@link LocalMasterKey} it was made from.
 */
public final class LocalProvider implements KmsProvider {

    private final String name;
    private final LocalMasterKey key;
    private final Path file;

    private LocalProvider(String name, LocalMasterKey key, Path file) {
        this.name = ProviderType.LOCAL.requireProviderName(name);
        this.key = key;
        this.file = file;
    }

    /** The key in {@code file} (96 raw bytes or their base64 text) as provider {@code local}. */
    public static LocalProvider load(Path file) {
        return new LocalProvider(ProviderType.LOCAL.wireName(), LocalMasterKey.load(file), file);
    }

    /**
     * A copy of {@code key} under {@code name}; the caller still owns {@code key}.
     *
     * @param file the key file it was read from, to name it; null when that is not known
     */
    public static LocalProvider of(String name, LocalMasterKey key, Path file) {
        return new LocalProvider(name, copy(key), file);
    }

    private static LocalMasterKey copy(LocalMasterKey key) {
        return LocalMasterKey.of((byte[]) key.kmsProviderProperties().get("key"));
    }

    /** The master key, for checks that work on key material directly (it stays owned by this provider). */
    public LocalMasterKey masterKey() {
        return key;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.LOCAL;
    }

    @Override
    public Map<String, Object> kmsProviderEntry() {
        return key.kmsProviderProperties();
    }

    @Override
    public Optional<Supplier<Map<String, Object>>> credentials() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.empty();
    }

    @Override
    public LocalProvider named(String otherName) {
        return new LocalProvider(otherName, copy(key), file);
    }

    @Override
    public String describe() {
        return name + (file == null ? " (a local key file)" : " (key file " + file + ")");
    }

    @Override
    public void close() {
        key.destroy();
    }

    @Override
    public String toString() {
        return "LocalProvider[" + describe() + "]";
    }
}
