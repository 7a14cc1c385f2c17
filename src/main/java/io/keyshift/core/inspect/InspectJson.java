package io.keyshift.core.inspect;

import io.keyshift.core.Version;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.Libmongocrypt;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.KeyUse;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.SchemaKeyRef;
import io.keyshift.core.scan.UnreadableValues;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An inspect report as one JSON document. The field names are a contract with users' scripts,
 * documented in docs/inspect-json.md: add fields freely, never rename or remove one. The CLI prints it;
 * the wizard's Key vault page exports it.
 */
public final class InspectJson {

    private static final JsonWriterSettings SETTINGS = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED).indent(true).build();

    private InspectJson() {
    }

    public static String toJson(InspectReport report) {
        return toDocument(report).toJson(SETTINGS);
    }

    static Document toDocument(InspectReport report) {
        return new Document("keyshiftVersion", Version.current())
                .append("libmongocrypt", Libmongocrypt.version())
                .append("cluster", cluster(report.cluster()))
                .append("keyVault", new Document("namespace", report.keyVault().getFullName())
                        .append("keyCount", report.keys().size())
                        .append("altNamesIndex", report.altNamesIndex().name().toLowerCase(Locale.ROOT)))
                .append("keys", report.keys().stream().map(key -> key(key, report)).toList())
                .append("usage", new Document("scan", report.usage().mode().toString())
                        .append("namespaces", report.usage().namespaces().stream().map(InspectJson::namespace).toList()))
                .append("schemaKeyRefs", report.schemaRefs().stream().map(InspectJson::schemaRef).toList())
                .append("missingKeys", report.keyUsage().missing().entrySet().stream()
                        .map(missing -> new Document("id", missing.getKey().toString())
                                .append("usedBy", uses(missing.getValue())))
                        .toList())
                .append("unusedKeys", report.keyUsage().unused().stream().map(UUID::toString).toList())
                .append("preflight", report.preflight().map(InspectJson::preflight).orElse(null));
    }

    private static Document cluster(ClusterReport cluster) {
        return new Document("topology", cluster.topology().name().toLowerCase(Locale.ROOT))
                .append("setName", cluster.setName())
                .append("primary", cluster.primary())
                .append("members", cluster.members().stream()
                        .map(member -> new Document("host", member.host())
                                .append("state", member.state())
                                .append("health", member.health()))
                        .toList())
                .append("serverVersion", cluster.serverVersion())
                .append("serverFlavor", cluster.serverFlavor())
                .append("featureCompatibilityVersion", cluster.featureCompatibilityVersion())
                .append("users", cluster.users())
                .append("roles", cluster.roles())
                .append("warnings", cluster.warnings());
    }

    private static Document key(DataKey key, InspectReport report) {
        return new Document("id", key.id().toString())
                .append("keyAltNames", key.keyAltNames())
                .append("provider", key.masterKey().provider())
                .append("providerType", key.masterKey().providerType())
                .append("masterKey", new Document(key.masterKey().fields()))
                .append("creationDate", date(key.creationDate()))
                .append("updateDate", date(key.updateDate()))
                .append("status", key.status())
                .append("usedBy", uses(report.keyUsage().usesOf(key.id())));
    }

    private static List<Document> uses(List<KeyUse> uses) {
        return uses.stream()
                .map(use -> new Document("namespace", use.namespace())
                        .append("path", use.path())
                        .append("source", use.source().name().toLowerCase(Locale.ROOT))
                        .append("values", use.values()))
                .toList();
    }

    private static Document namespace(NamespaceUsage usage) {
        return new Document("namespace", usage.namespace())
                .append("documentsScanned", usage.documentsScanned())
                .append("truncated", usage.truncated())
                .append("fields", usage.fields().stream().map(InspectJson::field).toList())
                .append("unreadable", usage.unreadable().stream().map(InspectJson::unreadable).toList());
    }

    private static Document field(FieldUsage field) {
        return new Document("path", field.path())
                .append("keyId", field.keyId().toString())
                .append("values", field.values())
                .append("algorithms", field.algorithms().stream().sorted().map(InspectJson::algorithm).toList());
    }

    private static Document unreadable(UnreadableValues unreadable) {
        return new Document("path", unreadable.path())
                .append("values", unreadable.values())
                .append("reason", unreadable.reason());
    }

    private static Document schemaRef(SchemaKeyRef ref) {
        return new Document("namespace", ref.namespace())
                .append("path", ref.path())
                .append("keyId", ref.keyId() == null ? null : ref.keyId().toString())
                .append("altNamePointer", ref.altNamePointer());
    }

    private static Document preflight(PreflightReport preflight) {
        return new Document("passed", preflight.passed())
                .append("ok", preflight.count(KeyCheck.Outcome.OK))
                .append("fails", preflight.count(KeyCheck.Outcome.FAILS))
                .append("skipped", preflight.count(KeyCheck.Outcome.SKIPPED))
                .append("keys", preflight.checks().stream()
                        .map(check -> new Document("id", check.keyId().toString())
                                .append("provider", check.provider())
                                .append("outcome", check.outcome().name().toLowerCase(Locale.ROOT))
                                .append("reason", check.reason()))
                        .toList());
    }

    /** An algorithm as the JSON and the text report name it: {@code deterministic}, {@code queryable-equality}. */
    public static String algorithm(Algorithm algorithm) {
        return algorithm.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String date(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
