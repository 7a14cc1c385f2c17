package io.keyshift.core.audit;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.audit.AuditReport.Drift;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.audit.PolicyVerdict.Failure;
import io.keyshift.core.kms.CmkStatus;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rules a DBA holds a key vault to, read from a small JSON file (docs/audit-policy.md) and checked
 * against an {@link AuditReport}. A rule left out of the file is not checked.
 *
 * @param maxDaysSinceRewrap      the most days since a data key's material was last wrapped; null for no limit
 * @param forbiddenProviders      providers no data key may be under ({@code local}, or a named {@code aws:old})
 * @param noDanglingReferences    no value may use a data key missing from the key vault
 * @param noPlaintextWhereEncrypted no plaintext where the schema says encrypted
 * @param cmksEnabledWithRotation every CMK holding data keys is enabled, usable and rotates automatically
 */
public record AuditPolicy(Long maxDaysSinceRewrap,
                          Set<String> forbiddenProviders,
                          boolean noDanglingReferences,
                          boolean noPlaintextWhereEncrypted,
                          boolean cmksEnabledWithRotation) {

    public static final String MAX_DAYS_SINCE_REWRAP = "maxDaysSinceRewrap";
    public static final String FORBIDDEN_PROVIDERS = "forbiddenProviders";
    public static final String NO_DANGLING_REFERENCES = "noDanglingReferences";
    public static final String NO_PLAINTEXT_WHERE_ENCRYPTED = "noPlaintextWhereEncrypted";
    public static final String CMKS_ENABLED_WITH_ROTATION = "cmksEnabledWithRotation";

    private static final Set<String> RULES = Set.of(MAX_DAYS_SINCE_REWRAP, FORBIDDEN_PROVIDERS, NO_DANGLING_REFERENCES,
            NO_PLAINTEXT_WHERE_ENCRYPTED, CMKS_ENABLED_WITH_ROTATION);
    private static final int IDS_SHOWN = 5;

    public AuditPolicy {
        forbiddenProviders = Set.copyOf(forbiddenProviders);
    }

    /** Reads a policy file; a file that is not one is refused with what to fix, before anything connects. */
    public static AuditPolicy read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the policy file " + file + " (" + e.getMessage()
                    + "): check the path and that you may read it.", e);
        }
        try {
            return parse(BsonDocument.parse(json), file);
        } catch (JsonParseException | BsonInvalidOperationException e) {
            throw new KeyShiftException("The policy file " + file + " is not valid JSON (" + e.getMessage()
                    + "): see docs/audit-policy.md for its format.", e);
        }
    }

    private static AuditPolicy parse(BsonDocument policy, Path file) {
        for (String name : policy.keySet()) {
            if (!RULES.contains(name)) {
                throw new KeyShiftException("The policy file " + file + " has an unknown rule \"" + name
                        + "\": the rules are " + String.join(", ", new TreeSet<>(RULES)) + ".");
            }
        }
        Long maxDays = null;
        if (policy.containsKey(MAX_DAYS_SINCE_REWRAP)) {
            BsonValue value = policy.get(MAX_DAYS_SINCE_REWRAP);
            if (!value.isNumber() || value.asNumber().longValue() < 0 || value.asNumber().doubleValue() % 1 != 0) {
                throw badRule(file, MAX_DAYS_SINCE_REWRAP, "a whole number of days, such as 365");
            }
            maxDays = value.asNumber().longValue();
        }
        Set<String> providers = Set.of();
        if (policy.containsKey(FORBIDDEN_PROVIDERS)) {
            BsonValue value = policy.get(FORBIDDEN_PROVIDERS);
            if (!value.isArray() || !value.asArray().stream().allMatch(BsonValue::isString)) {
                throw badRule(file, FORBIDDEN_PROVIDERS, "a list of provider names, such as [\"local\"]");
            }
            providers = value.asArray().stream().map(provider -> provider.asString().getValue()).collect(Collectors.toSet());
        }
        return new AuditPolicy(maxDays, providers, flag(policy, NO_DANGLING_REFERENCES, file),
                flag(policy, NO_PLAINTEXT_WHERE_ENCRYPTED, file), flag(policy, CMKS_ENABLED_WITH_ROTATION, file));
    }

    private static boolean flag(BsonDocument policy, String rule, Path file) {
        BsonValue value = policy.get(rule);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw badRule(file, rule, "true or false");
        }
        return value.asBoolean().getValue();
    }

    private static KeyShiftException badRule(Path file, String rule, String expected) {
        return new KeyShiftException("The policy file " + file + " gives " + rule + " a value that is not "
                + expected + ": see docs/audit-policy.md.");
    }

    public PolicyVerdict check(AuditReport report) {
        List<Failure> failures = new ArrayList<>();
        if (maxDaysSinceRewrap != null) {
            for (KeyHealth key : report.keys()) {
                Long days = key.daysSinceRewrap() != null ? key.daysSinceRewrap() : key.ageDays();
                if (days == null || days > maxDaysSinceRewrap) {
                    failures.add(new Failure(MAX_DAYS_SINCE_REWRAP, "data key " + name(key) + (days == null
                            ? " has no creation or update date, so its age is unknown"
                            : " was last wrapped " + days + " days ago") + " (limit " + maxDaysSinceRewrap + ")."));
                }
            }
        }
        Map<String, List<KeyHealth>> forbidden = new TreeMap<>();
        report.keys().stream()
                .filter(key -> forbiddenProviders.contains(key.provider())
                        || forbiddenProviders.contains(key.provider().replaceFirst(":.*", "")))
                .forEach(key -> forbidden.computeIfAbsent(key.provider(), p -> new ArrayList<>()).add(key));
        forbidden.forEach((provider, keys) -> failures.add(new Failure(FORBIDDEN_PROVIDERS, keys.size()
                + " data key(s) are under " + provider + ": " + keys.stream().limit(IDS_SHOWN).map(AuditPolicy::name)
                .collect(Collectors.joining(", ")) + (keys.size() > IDS_SHOWN ? ", …" : "") + ".")));
        if (noDanglingReferences) {
            report.dangling().forEach(dangling -> failures.add(new Failure(NO_DANGLING_REFERENCES, dangling.values()
                    + " value(s) at " + dangling.namespace() + " " + dangling.path() + " use data key "
                    + dangling.keyId() + ", which is not in the key vault (_id " + String.join(", ", dangling.ids()) + ").")));
        }
        if (noPlaintextWhereEncrypted) {
            report.drift().stream().filter(drift -> drift.kind() == Drift.Kind.PLAINTEXT)
                    .forEach(drift -> failures.add(new Failure(NO_PLAINTEXT_WHERE_ENCRYPTED, drift.values()
                            + " plaintext value(s) at " + drift.namespace() + " " + drift.path()
                            + ", which the schema encrypts (_id " + String.join(", ", drift.ids()) + ").")));
        }
        if (cmksEnabledWithRotation) {
            report.masterKeys().stream().filter(masterKey -> masterKey.provider().startsWith("aws"))
                    .forEach(masterKey -> cmkFailure(masterKey).ifPresent(failures::add));
        }
        return new PolicyVerdict(failures);
    }

    private static Optional<Failure> cmkFailure(MasterKeyHealth masterKey) {
        CmkStatus cmk = masterKey.aws();
        String holds = " (holds " + masterKey.keyIds().size() + " data key(s))";
        if (cmk == null) {
            return Optional.of(new Failure(CMKS_ENABLED_WITH_ROTATION, "the CMK " + masterKey.masterKey()
                    + holds + " could not be checked: " + String.join(" ", masterKey.warnings())
                    + (masterKey.problem() == null ? "" : masterKey.problem())));
        }
        if (masterKey.problem() != null) {
            return Optional.of(new Failure(CMKS_ENABLED_WITH_ROTATION, "the CMK " + cmk.key() + holds + ": "
                    + masterKey.problem()));
        }
        if (!Boolean.TRUE.equals(cmk.rotationEnabled())) {
            return Optional.of(new Failure(CMKS_ENABLED_WITH_ROTATION, "the CMK " + cmk.key() + holds
                    + (cmk.rotationEnabled() == null ? ": whether automatic rotation is on is unknown."
                       : " does not rotate automatically.")));
        }
        return Optional.empty();
    }

    private static String name(KeyHealth key) {
        return key.id() + (key.keyAltNames().isEmpty() ? "" : " (" + String.join(", ", key.keyAltNames()) + ")");
    }
}
