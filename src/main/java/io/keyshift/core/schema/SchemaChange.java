package io.keyshift.core.schema;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.keyvault.KeyVault;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The door to a migration's schema step, for the wizard, {@code keyshift migrate} and
 * {@code keyshift schema} alike: find the rules (the schema-map file given, else the server's
 * validators that hold encryption rules), preview their rewrite with every key named as the key vault
 * knows it, and apply exactly the preview whose hash the DBA accepted.
 */
public final class SchemaChange {

    private SchemaChange() {
    }

    /**
     * What to rewrite and where the rules are.
     *
     * @param mapping         REKEY's old → new keys; empty for DECRYPT
     * @param fieldsToDecrypt DECRYPT's fields, whose encrypt blocks are removed; empty for REKEY
     * @param schemaFile      the applications' schema-map file; without it, the server's validators
     */
    public record Request(MongoNamespace keyVault, Optional<DekMapping> mapping, Set<EncryptedField> fieldsToDecrypt,
                          Optional<Path> schemaFile) {
        public Request {
            fieldsToDecrypt = Set.copyOf(fieldsToDecrypt);
        }
    }

    /**
     * Reads the rules and previews their rewrite; empty when no file is given and no validator on the
     * cluster holds encryption rules. Reads only.
     *
     * @param client the cluster, or null to preview a file without checking its keys against the key vault
     * @param hosts  the cluster's hosts, for messages
     */
    public static Optional<SchemaPreview> preview(MongoClient client, String hosts, Request request) {
        Optional<SchemaSnapshot> source = request.schemaFile().<SchemaSnapshot>map(SchemaSource::readFile)
                .or(() -> validators(client, hosts));
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Map<UUID, List<String>> altNames = client == null ? Map.of()
                : KeyVault.open(client, request.keyVault()).altNamesById();
        Optional<Set<UUID>> vaultDekIds = client == null ? Optional.empty() : Optional.of(altNames.keySet());
        KeyIdRewriter rewriter = request.mapping()
                .map(mapping -> KeyIdRewriter.rekey(mapping, vaultDekIds))
                .orElseGet(() -> KeyIdRewriter.decrypt(request.fieldsToDecrypt(), vaultDekIds));
        return Optional.of(SchemaDiff.preview(source.get(), rewriter.rewrite(source.get()), altNames));
    }

    /** What an apply wrote: the preview, read again and matching the accepted hash, and the rules as they were. */
    public record Applied(SchemaPreview preview, Path backup) {
    }

    /**
     * Reads the rules again and writes them only if this fresh preview has the hash the DBA accepted:
     * the rules and the result are byte for byte the ones reviewed. What is written is what was just
     * read, never an older copy.
     *
     * @param acceptedHash       the preview hash the DBA reviewed and accepted
     * @param validatorBackupDir where validators as they were are saved before a {@code collMod}
     * @throws SchemaChangedException if the rules or the result changed since the accepted preview
     * @throws SchemaRefusedException if the rules would name a data key the key vault does not hold
     */
    public static Applied apply(MongoClient client, String hosts, Request request, String acceptedHash, SchemaWriter writer,
                                Path validatorBackupDir) {
        SchemaPreview now = preview(client, hosts, request).orElseThrow(() -> new SchemaChangedException("The"
                + " encryption rules accepted are no longer there, so nothing was written. Review the rules again."));
        now.requireReviewed(acceptedHash);
        Path backup = now.source() instanceof SchemaFile
                ? writer.writeFile(now)
                : writer.writeValidators(client, now, validatorBackupDir);
        return new Applied(now, backup);
    }

    /** What a write of {@code preview} changes: the file, or the validators of which namespaces. */
    public static String target(SchemaPreview preview) {
        return preview.source() instanceof SchemaFile file ? "the schema file " + file.path()
                : "the validators of " + String.join(", ", preview.changedNamespaces());
    }

    /** The server's validators, unless there is no cluster or none of them holds encryption rules. */
    private static Optional<SchemaSnapshot> validators(MongoClient client, String hosts) {
        if (client == null) {
            return Optional.empty();
        }
        ServerValidators validators = SchemaSource.readValidators(client, hosts);
        boolean found = !validators.collections().isEmpty() || !validators.queryableEncryption().isEmpty();
        return found ? Optional.of(validators) : Optional.empty();
    }
}
