package io.keyshift.core.audit;

import io.keyshift.core.audit.AuditReport.Dangling;
import io.keyshift.core.audit.AuditReport.Drift;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.NamespaceScan;
import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import io.keyshift.core.inspect.InspectJson;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.scan.KeyUse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Joins the collections' tallies with the key vault and the schema rules into the audit's findings. */
final class Findings {

    private final List<DataKey> keys;
    private final Set<UUID> inVault;
    private final Map<String, SchemaRule> rules = new HashMap<>();
    private final boolean schemaKnown;
    private final Instant now;
    private final Map<UUID, Map<String, Long>> valuesByKeyAndField = new HashMap<>();
    private final List<NamespaceScan> namespaces = new ArrayList<>();
    private final List<Dangling> dangling = new ArrayList<>();
    private final List<Drift> drift = new ArrayList<>();

    /** @param schemaKnown whether any schema was read: without one, no drift can be told */
    Findings(List<DataKey> keys, List<SchemaRule> rules, boolean schemaKnown, Instant now) {
        this.keys = keys;
        this.inVault = keys.stream().map(DataKey::id).collect(Collectors.toSet());
        rules.forEach(rule -> this.rules.putIfAbsent(rule.namespace() + "\u0000" + rule.path(), rule));
        this.schemaKnown = schemaKnown;
        this.now = now;
    }

    /** A group of tallied values to report as one finding. */
    private static final class Group {
        long values;
        final List<String> ids = new ArrayList<>();
        final NamespaceTally.Cipher first;

        Group(NamespaceTally.Cipher first) {
            this.first = first;
        }

        void add(NamespaceTally.Count count) {
            values += count.values;
            count.ids.stream().filter(id -> !ids.contains(id)).limit(NamespaceTally.SAMPLE_IDS - ids.size()).forEach(ids::add);
        }
    }

    void add(NamespaceTally tally) {
        String namespace = tally.namespace();
        namespaces.add(new NamespaceScan(namespace, tally.documents(), tally.truncated(), tally.unreadable()));
        Map<String, Group> missing = new LinkedHashMap<>();
        Map<String, Group> unmentioned = new LinkedHashMap<>();
        Map<String, Group> otherKey = new LinkedHashMap<>();
        Map<String, Group> otherAlgorithm = new LinkedHashMap<>();
        tally.ciphers().forEach((cipher, count) -> {
            valuesByKeyAndField.computeIfAbsent(cipher.keyId(), id -> new LinkedHashMap<>())
                    .merge(namespace + "\u0000" + cipher.path(), count.values, Long::sum);
            SchemaRule rule = rules.get(namespace + "\u0000" + cipher.path());
            if (!inVault.contains(cipher.keyId())) {
                group(missing, cipher.path() + " " + cipher.keyId(), cipher, count);
            }
            if (!schemaKnown) {
                return;
            }
            if (rule == null) {
                group(unmentioned, cipher.path(), cipher, count);
                return;
            }
            if (!rule.keyIds().isEmpty() && !rule.keyIds().contains(cipher.keyId())) {
                group(otherKey, cipher.path() + " " + cipher.keyId(), cipher, count);
            }
            if (rule.algorithm() != null && rule.algorithm() != cipher.algorithm()) {
                group(otherAlgorithm, cipher.path() + " " + cipher.algorithm(), cipher, count);
            }
        });
        missing.values().forEach(group -> {
            SchemaRule rule = rules.get(namespace + "\u0000" + group.first.path());
            dangling.add(new Dangling(namespace, group.first.path(), group.first.keyId(), group.values, group.ids,
                    rule != null && rule.keyIds().contains(group.first.keyId())));
        });
        tally.plaintext().forEach((path, count) -> drift.add(new Drift(Drift.Kind.PLAINTEXT, namespace, path,
                count.values, count.ids, "encrypted", "plaintext")));
        unmentioned.values().forEach(group -> drift.add(new Drift(Drift.Kind.UNMENTIONED, namespace,
                group.first.path(), group.values, group.ids, null, "ciphertext")));
        otherAlgorithm.values().forEach(group -> {
            SchemaRule rule = rules.get(namespace + "\u0000" + group.first.path());
            drift.add(new Drift(Drift.Kind.ALGORITHM, namespace, group.first.path(), group.values, group.ids,
                    algorithm(rule.algorithm()), algorithm(group.first.algorithm())));
        });
        otherKey.values().forEach(group -> {
            SchemaRule rule = rules.get(namespace + "\u0000" + group.first.path());
            drift.add(new Drift(Drift.Kind.KEY, namespace, group.first.path(), group.values, group.ids,
                    rule.keyIds().stream().map(UUID::toString).collect(Collectors.joining(",")),
                    group.first.keyId().toString()));
        });
    }

    private static void group(Map<String, Group> groups, String by, NamespaceTally.Cipher cipher,
                              NamespaceTally.Count count) {
        groups.computeIfAbsent(by, b -> new Group(cipher)).add(count);
    }

    private static String algorithm(Algorithm algorithm) {
        return InspectJson.algorithm(algorithm);
    }

    List<NamespaceScan> namespaces() {
        return namespaces;
    }

    List<Dangling> dangling() {
        return dangling;
    }

    List<Drift> drift() {
        return drift;
    }

    List<KeyHealth> keys() {
        Map<UUID, List<KeyUse>> schemaUses = new HashMap<>();
        rules.values().forEach(rule -> rule.keyIds().forEach(id -> schemaUses.computeIfAbsent(id, i -> new ArrayList<>())
                .add(new KeyUse(rule.namespace(), rule.path(), KeyUse.Source.SCHEMA, 0))));
        List<KeyHealth> health = new ArrayList<>();
        for (DataKey key : keys) {
            List<KeyUse> uses = new ArrayList<>();
            long values = 0;
            for (Map.Entry<String, Long> field : valuesByKeyAndField.getOrDefault(key.id(), Map.of()).entrySet()) {
                String[] where = field.getKey().split("\u0000", 2);
                uses.add(new KeyUse(where[0], where[1], KeyUse.Source.DATA, field.getValue()));
                values += field.getValue();
            }
            List<KeyUse> named = schemaUses.getOrDefault(key.id(), List.of());
            uses.addAll(named);
            health.add(new KeyHealth(key.id(), key.keyAltNames(), key.masterKey().provider(), key.masterKey().summary(),
                    key.creationDate(), key.updateDate(), days(key.creationDate()), days(key.updateDate()), values, uses,
                    values == 0 && named.isEmpty()));
        }
        return health;
    }

    private Long days(Instant instant) {
        return instant == null ? null : Math.max(0, Duration.between(instant, now).toDays());
    }
}
