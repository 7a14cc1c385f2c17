package io.keyshift.core.audit;

import com.mongodb.MongoNamespace;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.scan.ScanMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to audit.
 *
 * @param namespaces the collections to scan; empty for every user collection
 * @param schemaFile a schema-map file to hold the data against (server validators are always read)
 * @param aws        how to reach AWS KMS for the CMKs that wrap aws keys; empty to leave them unchecked
 * @param providers  what reaches kmip, azure and gcp master keys (one of each's data keys is unwrapped), one
 *                   provider per type or by name; empty to leave them unchecked. The caller owns and closes them.
 */
public record AuditRequest(MongoNamespace keyVault,
                           List<MongoNamespace> namespaces,
                           ScanMode scan,
                           Optional<Path> schemaFile,
                           Optional<AwsAccess> aws,
                           List<KmsProvider> providers) {

    public AuditRequest {
        namespaces = List.copyOf(namespaces);
        providers = List.copyOf(providers);
    }

    /**
     * Credentials and connection for the CMKs' KMS. Each CMK is reached in the region its data keys
     * store ({@code region} when they store none); {@code endpoint} (host:port), when given, replaces the
     * stored endpoint, as for a private or emulated KMS.
     */
    public record AwsAccess(AwsCredentialSource credentials, String region, String endpoint, Path caFile) {
    }
}
