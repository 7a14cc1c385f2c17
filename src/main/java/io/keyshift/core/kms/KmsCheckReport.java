package io.keyshift.core.kms;

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
