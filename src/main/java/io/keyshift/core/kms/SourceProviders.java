package io.keyshift.core.kms;

import io.keyshift.core.keyvault.DataKey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What opens a set of data keys: for every provider name on them ({@code local}, {@code local:old},
 * {@code aws:prod} …) the given provider of that name, or else the given provider of the same type under
 * that name. A name with neither is missing, with a sentence saying what to give.
 *
 * <p>The given providers stay owned by the caller; closing this closes only the renamed copies it made.
 */
public final class SourceProviders implements AutoCloseable {

    private final Map<String, KmsProvider> byName = new LinkedHashMap<>();
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final List<KmsProvider> copies = new ArrayList<>();

    private SourceProviders() {
    }

    public static SourceProviders forKeys(Collection<DataKey> keys, Collection<? extends KmsProvider> given) {
        return forProviders(keys.stream().map(key -> key.masterKey().provider()).toList(), given);
    }

    /** The providers of the given names (repeats ignored), resolved as {@link #forKeys} resolves the keys' providers. */
    public static SourceProviders forProviders(Collection<String> providerNames, Collection<? extends KmsProvider> given) {
        SourceProviders sources = new SourceProviders();
        providerNames.stream().distinct().forEach(name -> sources.resolve(name, given));
        return sources;
    }

    private void resolve(String name, Collection<? extends KmsProvider> given) {
        Optional<KmsProvider> exact = given.stream().filter(provider -> provider.name().equals(name))
                .map(KmsProvider.class::cast).findFirst();
        if (exact.isPresent()) {
            byName.put(name, exact.get());
            return;
        }
        Optional<ProviderType> type = ProviderType.ofProviderName(name);
        Optional<KmsProvider> sameType = type.flatMap(t -> given.stream().filter(provider -> provider.type() == t)
                .map(KmsProvider.class::cast).findFirst());
        if (sameType.isPresent()) {
            KmsProvider copy = sameType.get().named(name);
            copies.add(copy);
            byName.put(name, copy);
        } else {
            missing.put(name, type.map(t -> whatToGive(t, name)).orElse("provider " + name + " is not one KeyShift"
                    + " knows (local, aws, azure, gcp, kmip): leave its data keys out of the selection"));
        }
    }

    private static String whatToGive(ProviderType type, String name) {
        return switch (type) {
            case LOCAL -> "no local key file was given for provider " + name + ": give the local master key file"
                    + " its data keys were made with";
            case AWS -> "no AWS credentials were given for provider " + name + ": give AWS credentials (a profile,"
                    + " environment variables or access keys) that may use kms:Decrypt on its CMK";
            case KMIP -> "no KMIP server was given for provider " + name + ": give its endpoint, the CA file that"
                    + " signed its certificate and KeyShift's client certificate";
            case AZURE, GCP -> "no " + type.label() + " credentials were given for provider " + name + ": give"
                    + " credentials that may unwrap with its key";
        };
    }

    /** The provider that opens keys of {@code providerName}; empty when it is missing. */
    public Optional<KmsProvider> provider(String providerName) {
        return Optional.ofNullable(byName.get(providerName));
    }

    /** Every provider found, by name. */
    public Map<String, KmsProvider> providers() {
        return Map.copyOf(byName);
    }

    /** The provider names nothing was given for, each with what to give (a lower-case clause). */
    public Map<String, String> missing() {
        return Map.copyOf(missing);
    }

    /** A new set of the providers found, for one ClientEncryption; the caller closes it. */
    public KmsProviders kmsProviders() {
        KmsProviders providers = new KmsProviders();
        byName.values().forEach(providers::with);
        return providers;
    }

    @Override
    public void close() {
        copies.forEach(KmsProvider::close);
    }
}
