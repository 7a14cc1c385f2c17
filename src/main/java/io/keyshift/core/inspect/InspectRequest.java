package io.keyshift.core.inspect;

import com.mongodb.MongoNamespace;
import io.keyshift.core.scan.ScanMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to inspect.
 *
 * @param namespaces the collections to scan; empty for every user collection
 * @param schemaFile a schema-map file whose keyIds count as uses, if any
 */
public record InspectRequest(MongoNamespace keyVault,
                             List<MongoNamespace> namespaces,
                             ScanMode scan,
                             Optional<Path> schemaFile) {

    public static final String DEFAULT_KEY_VAULT = "encryption.__keyVault";

    public InspectRequest {
        namespaces = List.copyOf(namespaces);
    }
}
