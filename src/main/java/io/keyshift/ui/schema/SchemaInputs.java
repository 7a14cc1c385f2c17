package io.keyshift.ui.schema;

import com.mongodb.MongoNamespace;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.EncryptedField;
import io.keyshift.core.schema.SchemaChange;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * What the Schema page needs from the pages before it.
 *
 * @param cluster            where the validators and the key vault are read; empty to rewrite a file
 *                           without checking its keyIds against the key vault
 * @param mapping            the old → new DEKs of a REKEY; empty for DECRYPT
 * @param fieldsToDecrypt    the fields whose encrypt blocks DECRYPT removes; empty for REKEY
 * @param schemaFile         the application's schema-map file; without it, the server's validators
 * @param validatorBackupDir where the validators as they were are saved before a {@code collMod}
 * @param migrationId        the journaled migration whose schema step this is, where its outcome is
 *                           recorded; empty when there is none (nothing is recorded)
 */
public record SchemaInputs(Optional<ConnectionProfile> cluster, MongoNamespace keyVault, Strategy strategy,
                           Optional<DekMapping> mapping, Set<EncryptedField> fieldsToDecrypt,
                           Optional<Path> schemaFile, Path validatorBackupDir, Optional<String> migrationId) {

    public SchemaInputs {
        fieldsToDecrypt = Set.copyOf(fieldsToDecrypt);
        if (strategy == Strategy.REWRAP) {
            throw new IllegalArgumentException("REWRAP keeps every DEK id, so it changes no schema");
        }
        if (strategy == Strategy.REKEY && mapping.isEmpty()) {
            throw new IllegalArgumentException("REKEY needs the old → new DEK mapping");
        }
    }

    public static SchemaInputs rekey(Optional<ConnectionProfile> cluster, MongoNamespace keyVault, DekMapping mapping,
                                     Optional<Path> schemaFile, Path validatorBackupDir) {
        return new SchemaInputs(cluster, keyVault, Strategy.REKEY, Optional.of(mapping), Set.of(), schemaFile,
                validatorBackupDir, Optional.empty());
    }

    public static SchemaInputs decrypt(Optional<ConnectionProfile> cluster, MongoNamespace keyVault,
                                       Set<EncryptedField> fieldsToDecrypt, Optional<Path> schemaFile,
                                       Path validatorBackupDir) {
        return new SchemaInputs(cluster, keyVault, Strategy.DECRYPT, Optional.empty(), fieldsToDecrypt, schemaFile,
                validatorBackupDir, Optional.empty());
    }

    /** The same inputs for the schema step of migration {@code id}. */
    public SchemaInputs forMigration(String id) {
        return new SchemaInputs(cluster, keyVault, strategy, mapping, fieldsToDecrypt, schemaFile, validatorBackupDir,
                Optional.of(id));
    }

    /** The same inputs reading the rules from {@code file}. */
    SchemaInputs withSchemaFile(Path file) {
        return new SchemaInputs(cluster, keyVault, strategy, mapping, fieldsToDecrypt, Optional.of(file),
                validatorBackupDir, migrationId);
    }

    /** The engine's request for these inputs. */
    SchemaChange.Request request() {
        return new SchemaChange.Request(keyVault, mapping, fieldsToDecrypt, schemaFile);
    }

    /** The hosts, for messages; empty without a cluster. */
    String hosts() {
        return cluster.map(ConnectionProfile::hosts).orElse("");
    }
}
