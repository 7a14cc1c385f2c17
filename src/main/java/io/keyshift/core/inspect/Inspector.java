package io.keyshift.core.inspect;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.kms.LocalKeyPreflight;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.scan.KeyUsage;
import io.keyshift.core.scan.SchemaKeyRef;
import io.keyshift.core.scan.SchemaKeyReferences;
import io.keyshift.core.scan.UsageMap;
import io.keyshift.core.scan.UsageScanner;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Runs the whole read-only discovery: topology, key vault, usage map, and (given a local master
 * key) the preflight. It sends only reads: no command here or in the driver calls it makes writes.
 */
public final class Inspector {

    private static final Logger LOG = LoggerFactory.getLogger(Inspector.class);

    private static final int KEY_BATCH_SIZE = 1000;

    private final MongoClientSettings settings;

    public Inspector(MongoClientSettings settings) {
        this.settings = settings;
    }

    /** @param localKey the master key to preflight the local data keys with, or null to skip the preflight */
    public InspectReport inspect(InspectRequest request, LocalMasterKey localKey) {
        List<SchemaKeyRef> schemaRefs = request.schemaFile().map(SchemaKeyReferences::read).orElse(List.of());
        try (MongoClient client = ClusterConnection.open(settings)) {
            try {
                return inspect(client, request, schemaRefs, localKey);
            } catch (MongoException e) {
                throw ClusterConnection.describe(e, settings, client);
            }
        }
    }

    private InspectReport inspect(MongoClient client, InspectRequest request, List<SchemaKeyRef> schemaRefs,
                                  LocalMasterKey localKey) {
        ClusterReport cluster = new ClusterProbe(client).probe(request.keyVault());
        KeyVault vault = KeyVault.open(client, request.keyVault());
        List<DataKey> keys = vault.listAll(new BsonDocument(), KEY_BATCH_SIZE);
        LOG.info("Listed {} data keys from {}", keys.size(), request.keyVault().getFullName());

        UsageScanner scanner = new UsageScanner(client);
        List<MongoNamespace> namespaces = request.namespaces().isEmpty()
                ? scanner.userNamespaces(request.keyVault()) : request.namespaces();
        UsageMap usage = scanner.scan(namespaces, request.scan());

        Optional<PreflightReport> preflight = Optional.ofNullable(localKey)
                .map(key -> new LocalKeyPreflight(settings, request.keyVault()).check(key, keys));
        return new InspectReport(cluster,
                request.keyVault(),
                keys,
                vault.altNamesIndex(cluster.supportsPartialIndexes()),
                usage,
                schemaRefs,
                KeyUsage.of(keys, usage, schemaRefs),
                preflight);
    }
}
