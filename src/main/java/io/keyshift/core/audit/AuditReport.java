package io.keyshift.core.audit;

import io.keyshift.core.kms.CmkStatus;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.scan.KeyUse;
import io.keyshift.core.scan.ScanMode;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The health of a key vault and of the data encrypted under it, read-only: what {@link Auditor}
 * found. It holds counts, paths, key ids and {@code _id}s; never an encrypted or plaintext value.
 *
 * @param schemaSources where the encryption rules were read (the schema file, server validators);
 *                      empty when there were none, and then no drift is reported
 */
public record AuditReport(Instant auditedAt,
                          String keyVault,
                          ScanMode scan,
                          List<String> schemaSources,
                          Versions versions,
                          List<KeyHealth> keys,
                          List<NamespaceScan> namespaces,
                          List<Dangling> dangling,
                          List<Drift> drift,
                          List<MasterKeyHealth> masterKeys,
                          Optional<PreflightReport> localKeys) {

    public AuditReport {
        schemaSources = List.copyOf(schemaSources);
        keys = List.copyOf(keys);
        namespaces = List.copyOf(namespaces);
        dangling = List.copyOf(dangling);
        drift = List.copyOf(drift);
        masterKeys = List.copyOf(masterKeys);
    }

    /**
     * The server, the driver and the bundled libmongocrypt.
     *
     * @param warnings a sentence for each version known to be bad or too old
     */
    public record Versions(String serverVersion, String serverFlavor, String featureCompatibilityVersion,
                           String driver, String libmongocrypt, List<String> warnings) {
        public Versions {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One data key: who wraps it, how old it is, what uses it.
     *
     * @param ageDays         days since creationDate; null when the key has none
     * @param daysSinceRewrap days since updateDate (the last time its material was wrapped); null when none
     * @param values          encrypted values seen under it
     * @param unused          no value seen and no schema names it
     */
    public record KeyHealth(UUID id, List<String> keyAltNames, String provider, String masterKey,
                            Instant creationDate, Instant updateDate, Long ageDays, Long daysSinceRewrap,
                            long values, List<KeyUse> usedBy, boolean unused) {
        public KeyHealth {
            keyAltNames = List.copyOf(keyAltNames);
            usedBy = List.copyOf(usedBy);
        }
    }

    /** How much of a collection was read. */
    public record NamespaceScan(String namespace, long documentsScanned, boolean truncated, long unreadableValues) {
    }

    /**
     * Ciphertext whose data key is not in the key vault: those values cannot be decrypted.
     *
     * @param ids            the first few {@code _id}s holding such values
     * @param namedBySchema  whether the schema names that missing key for the path too
     */
    public record Dangling(String namespace, String path, UUID keyId, long values, List<String> ids,
                           boolean namedBySchema) {
        public Dangling {
            ids = List.copyOf(ids);
        }
    }

    /**
     * Where the data disagrees with the schema.
     *
     * @param expected what the schema says (an algorithm, key ids); null for {@link Kind#UNMENTIONED}
     * @param found    what the data holds (a BSON type name for plaintext, an algorithm, a key id)
     */
    public record Drift(Kind kind, String namespace, String path, long values, List<String> ids,
                        String expected, String found) {

        public enum Kind {
            /** The schema says encrypted; the data holds plaintext. */
            PLAINTEXT,
            /** The data holds ciphertext at a path the schema does not mention. */
            UNMENTIONED,
            /** Deterministic in the schema, random in the data, or the reverse. */
            ALGORITHM,
            /** The schema names one data key, the data uses another. */
            KEY
        }

        public Drift {
            ids = List.copyOf(ids);
        }
    }

    /**
     * One distinct master key and the data keys it wraps.
     *
     * @param aws     the CMK's state for aws keys; null for other providers
     * @param problem a sentence when the master key cannot open its data keys (or that is unknown); null otherwise
     */
    public record MasterKeyHealth(String provider, String masterKey, List<UUID> keyIds, CmkStatus aws,
                                  String problem, List<String> warnings) {
        public MasterKeyHealth {
            keyIds = List.copyOf(keyIds);
            warnings = List.copyOf(warnings);
        }

        /** Its health in a few words, as every front end shows it: the problem, else the warnings, else "ok". */
        public String verdict() {
            return problem != null ? problem : warnings.isEmpty() ? "ok" : String.join(" ", warnings);
        }
    }

    /** Key ages by creation date, in the buckets the report draws. */
    public enum AgeBucket {
        UNDER_90_DAYS("under 90 days", 90), UNDER_1_YEAR("90 days to 1 year", 365),
        UNDER_2_YEARS("1 to 2 years", 730), OLDER("over 2 years", Long.MAX_VALUE), UNKNOWN("no creation date", 0);

        private final String label;
        private final long belowDays;

        AgeBucket(String label, long belowDays) {
            this.label = label;
            this.belowDays = belowDays;
        }

        public String label() {
            return label;
        }

        static AgeBucket of(Long days) {
            if (days == null) {
                return UNKNOWN;
            }
            for (AgeBucket bucket : values()) {
                if (days < bucket.belowDays) {
                    return bucket;
                }
            }
            return OLDER;
        }
    }

    public List<KeyHealth> unusedKeys() {
        return keys.stream().filter(KeyHealth::unused).toList();
    }

    public List<MasterKeyHealth> kmsProblems() {
        return masterKeys.stream().filter(masterKey -> masterKey.problem() != null).toList();
    }

    public long danglingValues() {
        return dangling.stream().mapToLong(Dangling::values).sum();
    }

    /** Data keys per provider as stored ({@code local}, {@code aws}, {@code aws:prod}), in first-seen order. */
    public Map<String, Long> keysByProvider() {
        Map<String, Long> counts = new LinkedHashMap<>();
        keys.forEach(key -> counts.merge(key.provider(), 1L, Long::sum));
        return counts;
    }

    /** Every bucket, in order, with the number of keys whose creation date falls in it. */
    public Map<AgeBucket, Long> ageDistribution() {
        Map<AgeBucket, Long> counts = new LinkedHashMap<>();
        for (AgeBucket bucket : AgeBucket.values()) {
            counts.put(bucket, 0L);
        }
        keys.forEach(key -> counts.merge(AgeBucket.of(key.ageDays()), 1L, Long::sum));
        return counts;
    }

    /** The key created longest ago, if any key has a creation date. */
    public Optional<KeyHealth> oldestKey() {
        return keys.stream().filter(key -> key.ageDays() != null).max(Comparator.comparingLong(KeyHealth::ageDays));
    }

    /** The key whose material was rewrapped longest ago, if any key has an update date. */
    public Optional<KeyHealth> longestSinceRewrap() {
        return keys.stream().filter(key -> key.daysSinceRewrap() != null)
                .max(Comparator.comparingLong(KeyHealth::daysSinceRewrap));
    }
}
