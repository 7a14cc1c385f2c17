package io.keyshift.core.audit;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.KeyPreflight;
import io.keyshift.core.kms.LocalKeyPreflight;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.kms.SourceProviders;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.core.scan.UsageScanner;
import io.keyshift.core.schema.SchemaSource;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The audit's door: one request in, one {@link AuditReport} out. It lists the key vault, reads the
 * encryption rules (a schema file and the server's validators), streams every collection (or a sample
 * of each) through a bounded tally, asks each distinct master key's KMS once, and joins it all into
 * findings. It sends only reads to the cluster; no command here or in the driver calls it makes writes.
 *
 * <p>Runs on the caller's thread (a background thread in the wizard) and reports progress through the
 * listener on that same thread.
 */
public final class Auditor {

    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);

    private static final int KEY_BATCH_SIZE = 1000;
    private static final int BATCH_SIZE = 1000;
    /** Documents between two progress reports: often enough for a live ETA, rarely enough to cost nothing. */
    private static final int PROGRESS_EVERY = 1000;

    private final MongoClientSettings settings;
    private final Clock clock;

    public Auditor(MongoClientSettings settings) {
        this(settings, Clock.systemUTC());
    }

    Auditor(MongoClientSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param localKey the master key to open the local data keys with, or null to leave them unchecked
     * @throws KeyShiftException for a schema file that cannot be read or a cluster that cannot be reached
     */
    public AuditReport audit(AuditRequest request, LocalMasterKey localKey, AuditProgress.Listener listener) {
        List<SchemaRule> fileRules = request.schemaFile()
                .map(file -> SchemaRules.of(SchemaSource.readFile(file).rules(), "schema file " + file))
                .orElse(List.of());
        try (MongoClient client = ClusterConnection.open(settings)) {
            try {
                return audit(client, request, fileRules, localKey, listener);
            } catch (MongoException e) {
                throw ClusterConnection.describe(e, settings, client);
            }
        }
    }

    private AuditReport audit(MongoClient client, AuditRequest request, List<SchemaRule> fileRules,
                              LocalMasterKey localKey, AuditProgress.Listener listener) {
        Instant started = clock.instant();
        listener.progress(new AuditProgress(AuditProgress.Stage.KEYS, null, 0, 0, Optional.empty()));
        ClusterReport cluster = new ClusterProbe(client).probe(request.keyVault());
        List<DataKey> keys = KeyVault.open(client, request.keyVault()).listAll(new BsonDocument(), KEY_BATCH_SIZE);
        LOG.info("Auditing {} data keys of {}", keys.size(), request.keyVault().getFullName());

        List<SchemaRule> rules = new ArrayList<>(fileRules);
        List<String> schemaSources = new ArrayList<>();
        request.schemaFile().ifPresent(file -> schemaSources.add("schema file " + file));
        Map<String, BsonDocument> validators = SchemaSource.readValidators(client, "the cluster").rules();
        if (!validators.isEmpty()) {
            schemaSources.add("server validators");
            rules.addAll(SchemaRules.of(validators, "server validator"));
        }

        List<MongoNamespace> namespaces = request.namespaces().isEmpty()
                ? new UsageScanner(client).userNamespaces(request.keyVault()) : request.namespaces();
        List<NamespaceTally> tallies = scan(client, namespaces, request.scan(), rules, listener);

        listener.progress(new AuditProgress(AuditProgress.Stage.KMS, null, 0, 0, Optional.empty()));
        Optional<PreflightReport> preflight = Optional.ofNullable(localKey)
                .map(key -> new LocalKeyPreflight(settings, request.keyVault()).check(key, keys));
        MasterKeys masterKeys = unwrapOnePerOtherMasterKey(request, keys, preflight);
        Findings findings = new Findings(keys, rules, !schemaSources.isEmpty(), started);
        tallies.forEach(findings::add);
        String libmongocrypt = LibraryVersions.libmongocrypt();
        AuditReport.Versions versions = new AuditReport.Versions(cluster.serverVersion(), cluster.serverFlavor(),
                cluster.featureCompatibilityVersion(), LibraryVersions.driver(), libmongocrypt,
                LibraryVersions.warnings(cluster.serverVersion(), libmongocrypt));
        AuditReport report = new AuditReport(started, request.keyVault().getFullName(), request.scan(), schemaSources,
                versions, findings.keys(), findings.namespaces(), findings.dangling(), findings.drift(),
                masterKeys.health(keys), preflight);
        listener.progress(new AuditProgress(AuditProgress.Stage.DONE, null, 0, 0, Optional.empty()));
        return report;
    }

    /** Unwraps one data key of each kmip, azure and gcp master key through the providers given; reads only. */
    private MasterKeys unwrapOnePerOtherMasterKey(AuditRequest request, List<DataKey> keys,
                                                  Optional<PreflightReport> preflight) {
        List<DataKey> samples = MasterKeys.oneKeyPerOtherMasterKey(keys);
        try (SourceProviders sources = SourceProviders.forKeys(samples, request.providers())) {
            List<DataKey> reachable = samples.stream()
                    .filter(key -> sources.provider(key.masterKey().provider()).isPresent()).toList();
            Map<UUID, KeyCheck> unwrapped = new HashMap<>();
            if (!reachable.isEmpty()) {
                new KeyPreflight(settings, request.keyVault()).check(sources, reachable).checks()
                        .forEach(check -> unwrapped.put(check.keyId(), check));
            }
            return new MasterKeys(request.aws(), preflight, unwrapped, sources.missing());
        }
    }

    private List<NamespaceTally> scan(MongoClient client, List<MongoNamespace> namespaces, ScanMode mode,
                                      List<SchemaRule> rules, AuditProgress.Listener listener) {
        Map<MongoNamespace, Long> expected = new LinkedHashMap<>();
        for (MongoNamespace namespace : namespaces) {
            long estimate = collection(client, namespace).estimatedDocumentCount();
            expected.put(namespace, mode.isFull() ? estimate : Math.min(estimate, mode.sampleSize()));
        }
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        Progress progress = new Progress(total, listener);
        List<NamespaceTally> tallies = new ArrayList<>();
        for (MongoNamespace namespace : namespaces) {
            String name = namespace.getFullName();
            Set<String> encrypted = rules.stream().filter(rule -> rule.namespace().equals(name))
                    .map(SchemaRule::path).filter(path -> !path.isEmpty()).collect(Collectors.toSet());
            NamespaceTally tally = new NamespaceTally(name, encrypted);
            FindIterable<RawBsonDocument> find = collection(client, namespace).find()
                    .batchSize(mode.isFull() ? BATCH_SIZE : Math.min(mode.sampleSize(), BATCH_SIZE));
            if (!mode.isFull()) {
                find.limit(mode.sampleSize());
            }
            progress.report(name);
            try (MongoCursor<RawBsonDocument> cursor = find.iterator()) {
                while (cursor.hasNext()) {
                    tally.walk(cursor.next());
                    progress.document(name);
                }
            }
            tallies.add(tally);
        }
        return tallies;
    }

    private static MongoCollection<RawBsonDocument> collection(MongoClient client, MongoNamespace namespace) {
        return client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), RawBsonDocument.class);
    }

    /** Counts documents across the scan and tells the listener, with an ETA from the rate so far. */
    private final class Progress {
        private final long total;
        private final AuditProgress.Listener listener;
        private final Instant start = clock.instant();
        private long done;

        Progress(long total, AuditProgress.Listener listener) {
            this.total = total;
            this.listener = listener;
        }

        void document(String namespace) {
            done++;
            if (done % PROGRESS_EVERY == 0) {
                report(namespace);
            }
        }

        void report(String namespace) {
            Duration elapsed = Duration.between(start, clock.instant());
            Optional<Duration> eta = done == 0 || elapsed.isZero() ? Optional.empty()
                    : Optional.of(elapsed.multipliedBy(Math.max(0, total - done)).dividedBy(done));
            listener.progress(new AuditProgress(AuditProgress.Stage.SCAN, namespace, done, Math.max(total, done), eta));
        }
    }
}
