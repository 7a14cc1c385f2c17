package io.keyshift.core.audit;

import io.keyshift.core.Version;
import io.keyshift.core.audit.AuditReport.KeyHealth;
import io.keyshift.core.audit.AuditReport.MasterKeyHealth;
import io.keyshift.core.kms.CmkStatus;
import io.keyshift.core.scan.KeyUse;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.UUID;

/**
 * An audit report as one JSON document. The field names are a contract with users' scripts,
 * documented in docs/audit-json.md: add fields freely, never rename or remove one.
 */
public final class AuditJson {

    private static final JsonWriterSettings SETTINGS = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED).indent(true).build();

    private AuditJson() {
    }

    public static String toJson(AuditReport report) {
        return toDocument(report).toJson(SETTINGS);
    }

    /** @param policy the rules checked and what failed, or null when no policy was given */
    public static String toJson(AuditReport report, PolicyVerdict policy) {
        Document document = toDocument(report);
        if (policy != null) {
            document.append("policy", new Document("passed", policy.passed())
                    .append("failures", policy.failures().stream()
                            .map(failure -> new Document("rule", failure.rule()).append("evidence", failure.evidence()))
                            .toList()));
        }
        return document.toJson(SETTINGS);
    }

    static Document toDocument(AuditReport report) {
        Document ages = new Document();
        report.ageDistribution().forEach((bucket, count) -> ages.append(name(bucket), count));
        return new Document("keyshiftVersion", Version.current())
                .append("auditedAt", report.auditedAt().toString())
                .append("keyVault", report.keyVault())
                .append("scan", report.scan().toString())
                .append("schemaSources", report.schemaSources())
                .append("summary", new Document("keys", report.keys().size())
                        .append("keysByProvider", new Document(new LinkedHashMap<>(report.keysByProvider())))
                        .append("danglingValues", report.danglingValues())
                        .append("unusedKeys", report.unusedKeys().size())
                        .append("driftFindings", report.drift().size())
                        .append("kmsProblems", report.kmsProblems().size())
                        .append("oldestKey", report.oldestKey().map(AuditJson::keyRef).orElse(null))
                        .append("longestSinceRewrap", report.longestSinceRewrap().map(AuditJson::keyRef).orElse(null))
                        .append("ageDistribution", ages))
                .append("versions", new Document("server", report.versions().serverVersion())
                        .append("serverFlavor", report.versions().serverFlavor())
                        .append("featureCompatibilityVersion", report.versions().featureCompatibilityVersion())
                        .append("driver", report.versions().driver())
                        .append("libmongocrypt", report.versions().libmongocrypt())
                        .append("warnings", report.versions().warnings()))
                .append("keys", report.keys().stream().map(AuditJson::key).toList())
                .append("namespaces", report.namespaces().stream()
                        .map(scan -> new Document("namespace", scan.namespace())
                                .append("documentsScanned", scan.documentsScanned())
                                .append("truncated", scan.truncated())
                                .append("unreadableValues", scan.unreadableValues()))
                        .toList())
                .append("dangling", report.dangling().stream()
                        .map(dangling -> new Document("namespace", dangling.namespace())
                                .append("path", dangling.path())
                                .append("keyId", dangling.keyId().toString())
                                .append("values", dangling.values())
                                .append("ids", dangling.ids())
                                .append("namedBySchema", dangling.namedBySchema()))
                        .toList())
                .append("unusedKeys", report.unusedKeys().stream().map(key -> key.id().toString()).toList())
                .append("drift", report.drift().stream()
                        .map(drift -> new Document("kind", name(drift.kind()))
                                .append("namespace", drift.namespace())
                                .append("path", drift.path())
                                .append("values", drift.values())
                                .append("ids", drift.ids())
                                .append("expected", drift.expected())
                                .append("found", drift.found()))
                        .toList())
                .append("masterKeys", report.masterKeys().stream().map(AuditJson::masterKey).toList())
                .append("localKeyPreflight", report.localKeys().map(preflight -> preflight.checks().stream()
                        .map(check -> new Document("id", check.keyId().toString())
                                .append("provider", check.provider())
                                .append("outcome", name(check.outcome()))
                                .append("reason", check.reason()))
                        .toList()).orElse(null));
    }

    private static Document keyRef(KeyHealth key) {
        return new Document("id", key.id().toString())
                .append("keyAltNames", key.keyAltNames())
                .append("ageDays", key.ageDays())
                .append("daysSinceRewrap", key.daysSinceRewrap());
    }

    private static Document key(KeyHealth key) {
        return new Document("id", key.id().toString())
                .append("keyAltNames", key.keyAltNames())
                .append("provider", key.provider())
                .append("masterKey", key.masterKey())
                .append("creationDate", date(key.creationDate()))
                .append("updateDate", date(key.updateDate()))
                .append("ageDays", key.ageDays())
                .append("daysSinceRewrap", key.daysSinceRewrap())
                .append("values", key.values())
                .append("unused", key.unused())
                .append("usedBy", key.usedBy().stream().map(AuditJson::use).toList());
    }

    private static Document use(KeyUse use) {
        return new Document("namespace", use.namespace())
                .append("path", use.path())
                .append("source", name(use.source()))
                .append("values", use.values());
    }

    private static Document masterKey(MasterKeyHealth health) {
        CmkStatus aws = health.aws();
        return new Document("provider", health.provider())
                .append("masterKey", health.masterKey())
                .append("keyIds", health.keyIds().stream().map(UUID::toString).toList())
                .append("problem", health.problem())
                .append("warnings", health.warnings())
                .append("aws", aws == null ? null : new Document("key", aws.key())
                        .append("region", aws.region())
                        .append("endpoint", aws.endpoint())
                        .append("account", aws.account())
                        .append("state", name(aws.state()))
                        .append("deletionDate", date(aws.deletionDate()))
                        .append("rotationEnabled", aws.rotationEnabled())
                        .append("usable", aws.usable()));
    }

    /** An enum constant as the JSON writes it: {@code pending-deletion}, {@code under-90-days}. */
    static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String date(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
