package io.keyshift.core.kms;

import org.bson.Document;
import org.bson.json.JsonWriterSettings;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The result of {@link AwsKmsCheck}: every check with its status and sentence, plus what was learned on
 * the way (who the caller is, which key an alias names). Holds no secret.
 *
 * @param endpoint         the custom endpoint, or null for the public regional one
 * @param credentialSource where the credentials came from, e.g. {@code profile "prod"}
 * @param callerArn        the caller's ARN, or null when it could not be read
 * @param keyArn           the key's ARN as KMS described it (an alias resolved), or null
 * @param reachable        false when AWS (or the custom endpoint) did not answer at all
 */
public record KmsCheckReport(String cmk,
                             String region,
                             String endpoint,
                             String credentialSource,
                             String callerArn,
                             String keyArn,
                             boolean reachable,
                             List<KmsCheck> checks) {

    public KmsCheckReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings allowed): the CMK can be used for the migration. */
    public boolean passed() {
        return checks.stream().noneMatch(check -> check.status() == KmsCheck.Status.FAIL);
    }

    public Optional<KmsCheck> check(KmsCheck.Name name) {
        return checks.stream().filter(check -> check.name() == name).findFirst();
    }

    public String toJson() {
        Document json = new Document("cmk", cmk)
                .append("region", region)
                .append("endpoint", endpoint)
                .append("credentialSource", credentialSource)
                .append("callerArn", callerArn)
                .append("keyArn", keyArn)
                .append("reachable", reachable)
                .append("passed", passed())
                .append("checks", checks.stream()
                        .map(check -> new Document("check", check.name().name().toLowerCase(Locale.ROOT))
                                .append("label", check.name().label())
                                .append("status", check.status().name().toLowerCase(Locale.ROOT))
                                .append("message", check.message()))
                        .toList());
        return json.toJson(JsonWriterSettings.builder().indent(true).build());
    }
}
