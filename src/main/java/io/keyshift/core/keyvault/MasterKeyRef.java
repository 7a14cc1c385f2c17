package io.keyshift.core.keyvault;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a data key's material is wrapped: the KMS provider as stored ({@code local}, {@code aws},
 * or a named provider such as {@code local:old} or {@code aws:prod}) and the provider's fields as
 * stored (for AWS: region, key ARN, endpoint).
 */
public record MasterKeyRef(String provider, Map<String, String> fields) {

    public MasterKeyRef {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The provider type without its name: {@code aws} for {@code aws:prod}. */
    public String providerType() {
        int colon = provider.indexOf(':');
        return colon < 0 ? provider : provider.substring(0, colon);
    }

    public boolean isLocal() {
        return providerType().equals("local");
    }

    public Optional<String> region() {
        return Optional.ofNullable(fields.get("region"));
    }

    /** The AWS key ARN (or other provider's key identifier) as stored. */
    public Optional<String> key() {
        return Optional.ofNullable(fields.get("key"));
    }

    public Optional<String> endpoint() {
        return Optional.ofNullable(fields.get("endpoint"));
    }

    /** One line for a table: the stored fields in order, e.g. {@code region=eu-west-1 key=arn:…}. */
    public String summary() {
        if (fields.isEmpty()) {
            return "-";
        }
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
