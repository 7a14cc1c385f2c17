package io.keyshift.ui.keyvault;

/**
 * One line of the usage map: values at a field of a collection under one data key.
 *
 * @param key        the key's first alt name, else its id
 * @param algorithms e.g. {@code deterministic}
 * @param inVault    false when the key vault holds no such key
 */
public record UsageRow(String namespace, String path, String key, long values, String algorithms, boolean inVault) {
}
