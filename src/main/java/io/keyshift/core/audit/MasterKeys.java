package io.keyshift.core.audit;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.CmkInspection;
import io.keyshift.core.kms.CmkStatus;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.PreflightReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The health of each distinct master key: one KMS inspection per distinct AWS CMK (however many data
 * keys it wraps), the local preflight's verdicts grouped per local provider, and for a kmip, azure or gcp
 * master key the unwrapping of one of its data keys ({@link #oneKeyPerOtherMasterKey}).
 */
final class MasterKeys {

    private static final Set<String> OTHER_PROVIDERS = Set.of("kmip", "azure", "gcp");

    private final Optional<AuditRequest.AwsAccess> aws;
    private final Optional<PreflightReport> preflight;
    private final Map<UUID, KeyCheck> unwrapped;
    private final Map<String, String> notGiven;

    /**
     * @param unwrapped the checks of the data keys {@link #oneKeyPerOtherMasterKey} chose, by key id
     * @param notGiven  the kmip, azure and gcp provider names nothing was given for, each with what to give
     */
    MasterKeys(Optional<AuditRequest.AwsAccess> aws, Optional<PreflightReport> preflight, Map<UUID, KeyCheck> unwrapped,
               Map<String, String> notGiven) {
        this.aws = aws;
        this.preflight = preflight;
        this.unwrapped = Map.copyOf(unwrapped);
        this.notGiven = Map.copyOf(notGiven);
    }

    /**
     * The first data key of each kmip, azure or gcp master key: unwrapping it through the KMS proves the master
     * key exists, is enabled and may be used with the credentials given, at one KMS call per master key.
     */
    static List<DataKey> oneKeyPerOtherMasterKey(List<DataKey> keys) {
        Map<MasterKeyRef, DataKey> first = new LinkedHashMap<>();
        keys.stream().filter(key -> OTHER_PROVIDERS.contains(key.masterKey().providerType()))
                .forEach(key -> first.putIfAbsent(key.masterKey(), key));
        return List.copyOf(first.values());
    }

    List<MasterKeyHealth> health(List<DataKey> keys) {
        Map<MasterKeyRef, List<UUID>> groups = new LinkedHashMap<>();
        keys.forEach(key -> groups.computeIfAbsent(key.masterKey(), ref -> new ArrayList<>()).add(key.id()));
        List<MasterKeyHealth> health = new ArrayList<>();
        groups.forEach((ref, ids) -> health.add(switch (ref.providerType()) {
            case "aws" -> aws(ref, ids);
            case "local" -> local(ref, ids);
            case "kmip", "azure", "gcp" -> unwrappedOne(ref, ids);
            default -> new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, null,
                    List.of("Not checked: KeyShift does not know provider " + ref.provider() + "."));
        }));
        return health;
    }

    private MasterKeyHealth aws(MasterKeyRef ref, List<UUID> ids) {
        if (aws.isEmpty()) {
            return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, null,
                    List.of("Not checked: no AWS credentials were given."));
        }
        AuditRequest.AwsAccess access = aws.get();
        CmkStatus status;
        try (AwsTarget target = new AwsTarget(access.credentials(), ref.region().orElse(access.region()),
                ref.key().orElse(null), access.endpoint() != null ? access.endpoint() : ref.endpoint().orElse(null),
                access.caFile())) {
            status = new CmkInspection().inspect(target);
        } catch (KeyShiftException e) {
            return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null,
                    "These data keys' master key cannot be checked: " + e.getMessage(), List.of());
        }
        return new MasterKeyHealth(ref.provider(), ref.summary(), ids, status, status.problem(), status.warnings());
    }

    private MasterKeyHealth unwrappedOne(MasterKeyRef ref, List<UUID> ids) {
        Optional<KeyCheck> check = ids.stream().map(unwrapped::get).filter(Objects::nonNull).findFirst();
        if (notGiven.containsKey(ref.provider()) || check.isEmpty()) {
            return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, null, List.of("Not checked: "
                    + notGiven.getOrDefault(ref.provider(), "none of its data keys was unwrapped") + "."));
        }
        KeyCheck one = check.get();
        return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, one.outcome() == KeyCheck.Outcome.OK ? null
                : "Its data key " + one.keyId() + " did not unwrap: " + one.reason()
                  + (one.reason().endsWith(".") ? "" : "."), List.of());
    }

    private MasterKeyHealth local(MasterKeyRef ref, List<UUID> ids) {
        if (preflight.isEmpty()) {
            return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, null,
                    List.of("Not checked: no local master key file was given."));
        }
        List<KeyCheck> failures = preflight.get().failures().stream()
                .filter(check -> ids.contains(check.keyId())).toList();
        String problem = failures.isEmpty() ? null : failures.size() + " of " + ids.size() + " data keys under "
                + ref.provider() + " do not open with the key file given; the first: " + failures.get(0).keyId() + " "
                + failures.get(0).reason() + ".";
        return new MasterKeyHealth(ref.provider(), ref.summary(), ids, null, problem, List.of());
    }
}
