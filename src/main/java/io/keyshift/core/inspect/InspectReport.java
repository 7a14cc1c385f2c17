package io.keyshift.core.inspect;

import com.mongodb.MongoNamespace;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.keyvault.AltNamesIndex;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.core.scan.KeyUsage;
import io.keyshift.core.scan.SchemaKeyRef;
import io.keyshift.core.scan.UsageMap;

import java.util.List;
import java.util.Optional;

/** Everything {@code inspect} found, read-only: the basis of the wizard's first pages. */
public record InspectReport(ClusterReport cluster,
                            MongoNamespace keyVault,
                            List<DataKey> keys,
                            AltNamesIndex altNamesIndex,
                            UsageMap usage,
                            List<SchemaKeyRef> schemaRefs,
                            KeyUsage keyUsage,
                            Optional<PreflightReport> preflight) {

    public InspectReport {
        keys = List.copyOf(keys);
        schemaRefs = List.copyOf(schemaRefs);
    }
}
