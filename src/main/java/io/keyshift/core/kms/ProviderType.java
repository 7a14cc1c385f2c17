package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** The kinds of KMS provider the drivers know, by the name they carry in {@code kmsProviders} and in a key's masterKey. */
public enum ProviderType {
    LOCAL("local", "local key file"),
    AWS("aws", "AWS KMS"),
    AZURE("azure", "Azure Key Vault"),
    GCP("gcp", "Google Cloud KMS"),
    KMIP("kmip", "KMIP");

    /** libmongocrypt's rule for the part after the colon of a named provider such as {@code aws:prod}. */
    private static final Pattern PROVIDER_SUFFIX = Pattern.compile("[A-Za-z0-9_]+");

    private final String wireName;
    private final String label;

    ProviderType(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** The name as the drivers write it: {@code local}, {@code aws}, {@code azure}, {@code gcp}, {@code kmip}. */
    public String wireName() {
        return wireName;
    }

    /** What a DBA calls it, e.g. "AWS KMS". */
    public String label() {
        return label;
    }

    /** The type of a provider name, plain or named: {@code aws} and {@code aws:prod} are both {@link #AWS}. */
    public static Optional<ProviderType> ofProviderName(String providerName) {
        String type = providerName.contains(":") ? providerName.substring(0, providerName.indexOf(':')) : providerName;
        return Arrays.stream(values()).filter(value -> value.wireName.equals(type)).findFirst();
    }

    /**
     * Checks that {@code providerName} is this type's plain name or a named one ({@code local:new}) the
     * drivers accept, and returns it.
     */
    public String requireProviderName(String providerName) {
        String name = providerName == null ? "" : providerName.strip();
        if (name.equals(wireName)) {
            return name;
        }
        String prefix = wireName + ":";
        if (!name.startsWith(prefix) || !PROVIDER_SUFFIX.matcher(name.substring(prefix.length())).matches()) {
            throw new KeyShiftException("\"" + name + "\" is not a name for the " + label + " provider: use " + wireName
                    + " or " + wireName + ":NAME, where NAME is letters, digits and underscores (such as " + wireName
                    + ":new).");
        }
        return name;
    }
}
