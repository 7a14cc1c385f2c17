package io.keyshift.core.kms;

import org.bson.BsonString;
import org.bson.Document;
import org.bson.json.JsonWriterSettings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a target's checks ({@link TargetChecks}): every check with its status and sentence,
 * plus what was learned on the way. Holds no secret.
 *
 * @param provider  the provider name, such as {@code aws} or {@code kmip}
 * @param target    the target in one line ({@link KmsTarget#describe()})
 * @param reachable false when the KMS did not answer at all
 * @param details   what the checks learned, in order: for aws {@code cmk}, {@code region}, {@code endpoint},
 *                  {@code credentialSource}, {@code callerArn}, {@code keyArn}; for kmip {@code endpoint},
 *                  {@code keyId}; for local {@code keyFile}
 */
public record KmsCheckReport(String provider,
                             String target,
                             boolean reachable,
                             List<KmsCheck> checks,
                             Map<String, String> details) {

    private static final String KEY_ID = "keyId";

    public KmsCheckReport {
        checks = List.copyOf(checks);
        Map<String, String> known = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (value != null) {
                known.put(key, value);
            }
        });
        details = Collections.unmodifiableMap(known);
    }

    /** True when no check failed (warnings allowed): the target can be used for the migration. */
    public boolean passed() {
        return checks.stream().noneMatch(check -> check.status() == KmsCheck.Status.FAIL);
    }

    public Optional<KmsCheck> check(KmsCheck.Name name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst();
    }

    /** A fact the checks learned, such as {@code callerArn} or the {@code keyId} a KMIP server created. */
    public Optional<String> detail(String key) {
        return Optional.ofNullable(details.get(key));
    }

    /**
     * The checked target as the migration must use it: when the KMIP check had the server create the key
     * (no key id given), the target names that key, so every data key goes under the one key checked
     * rather than a new key each. Any other target is returned as it is.
     */
    public KmsTarget targetToUse(KmsTarget checked) {
        if (checked.type() != ProviderType.KMIP || checked.masterKey().containsKey(KEY_ID)) {
            return checked;
        }
        return detail(KEY_ID).map(created -> new KmsTarget(checked.provider(),
                checked.masterKey().append(KEY_ID, new BsonString(created)))).orElse(checked);
    }

    public String toJson() {
        Document json = new Document("provider", provider).append("target", target);
        details.forEach(json::append);
        json.append("reachable", reachable)
                .append("passed", passed())
                .append("checks", checks.stream()
                        .map(check -> new Document("check", check.name().id())
                                .append("label", check.name().label())
                                .append("status", check.status().name().toLowerCase(Locale.ROOT))
                                .append("message", check.message()))
                        .toList());
        return json.toJson(JsonWriterSettings.builder().indent(true).build());
    }
}
