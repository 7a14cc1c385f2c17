package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.SchemaOutcome;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.EncryptedField;
import io.keyshift.core.schema.MappingSource;
import io.keyshift.core.schema.SchemaChange;
import io.keyshift.core.schema.SchemaFile;
import io.keyshift.core.schema.SchemaPreview;
import io.keyshift.core.schema.SchemaRefusedException;
import io.keyshift.core.schema.SchemaWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code keyshift schema diff|apply}: preview, then write, the automatic-encryption rules of a migration. */
@Command(name = "schema",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
        description = "Rewrite the keyIds of automatic-encryption rules (a schema-map file or server validators).",
        subcommands = {SchemaCommand.Diff.class, SchemaCommand.Apply.class})
final class SchemaCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What both sub-commands need to build the same preview. */
    static final class PreviewOptions {

        /** Exactly one way to say what changes. */
        static final class Change {
            @Option(names = "--mapping", paramLabel = "FILE",
                    description = "JSON file {\"<old DEK uuid>\": \"<new DEK uuid>\", …} (see docs/schema-mapping.md).")
            Path mappingFile;

            @Option(names = "--migration", paramLabel = "ID",
                    description = "Read the mapping of this REKEY migration from the journal next to the key vault.")
            String migrationId;

            @Option(names = "--decrypt-field", paramLabel = "NS:PATH", split = ",",
                    description = "For DECRYPT: remove the encrypt block of this field, e.g. hr.employees:address.street.")
            List<String> decryptFields;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Change change;

        @Option(names = "--schema-file", paramLabel = "F",
                description = "The schema-map file to rewrite; without it, the server's $jsonSchema validators (needs --uri).")
        Path schemaFile;

        @Option(names = "--uri", paramLabel = "URI",
                description = "Connection string: to read validators, the migration journal and the key vault's DEK ids.")
        String uri;

        @Option(names = "--key-vault", paramLabel = "NS", defaultValue = "encryption.__keyVault",
                description = "Key vault namespace (default: ${DEFAULT-VALUE}).")
        String keyVaultNamespace;

        @Option(names = "--alt-names-moved",
                description = "With --mapping: the migration moved each old DEK's keyAltNames to its new DEK.")
        boolean altNamesMoved;

        @Option(names = "--tls-ca-file", paramLabel = "FILE", description = "PEM file of the CA that signed the server's certificate.")
        Path caFile;

        @Option(names = "--tls-certificate-key-file", paramLabel = "FILE",
                description = "PEM file with the client certificate and its private key.")
        Path clientCertificateKeyFile;

        /** A client that answered a ping if --uri was given, else null. */
        MongoClient connect() {
            return uri == null ? null : ClusterConnection.open(profile().clientSettings());
        }

        /** The change these options ask for; the mapping is read first, so a migration that does not exist is named first. */
        SchemaChange.Request request(MongoClient client) {
            MongoNamespace keyVault = KeyVault.namespace(keyVaultNamespace);
            Optional<DekMapping> mapping = Optional.empty();
            if (change.mappingFile != null) {
                mapping = Optional.of(MappingSource.readFile(change.mappingFile, altNamesMoved));
            } else if (change.migrationId != null) {
                mapping = Optional.of(MappingSource.readJournal(requireClient(client, "read the migration journal"), keyVault,
                        change.migrationId));
            }
            if (schemaFile == null) {
                requireClient(client, "read the server's validators, or give a schema-map file with --schema-file");
            }
            return new SchemaChange.Request(keyVault, mapping, change.decryptFields == null ? Set.of() : decryptFields(),
                    Optional.ofNullable(schemaFile));
        }

        SchemaPreview preview(MongoClient client, SchemaChange.Request request) {
            return SchemaChange.preview(client, hosts(), request).orElseThrow(() -> new KeyShiftException(
                    "No collection on " + hosts() + " has a validator with encryption rules: give the application's"
                            + " schema-map file with --schema-file."));
        }

        private MongoClient requireClient(MongoClient client, String purpose) {
            if (client == null) {
                throw new KeyShiftException("Give the connection string with --uri to " + purpose + ".");
            }
            return client;
        }

        private Set<EncryptedField> decryptFields() {
            Set<EncryptedField> fields = new LinkedHashSet<>();
            for (String field : change.decryptFields) {
                int colon = field.indexOf(':');
                if (colon < 1 || colon == field.length() - 1 || field.indexOf('.') < 1 || field.indexOf('.') > colon) {
                    throw new KeyShiftException("--decrypt-field " + field + " should be NAMESPACE:FIELD, e.g."
                            + " hr.employees:address.street.");
                }
                fields.add(new EncryptedField(field.substring(0, colon), field.substring(colon + 1)));
            }
            return fields;
        }

        private ConnectionProfile profile() {
            return ConnectionProfile.of(uri, caFile, clientCertificateKeyFile);
        }

        /** The hosts of the connection string, safe to show; empty without one. */
        String hosts() {
            return uri == null ? "" : profile().hosts();
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
            description = {"Show what the rewrite changes, and the preview hash `schema apply` needs. Writes nothing.",
                    "Exit code 2 when, with --uri, the rules would name a data key not in the key vault."})
    static final class Diff implements Callable<Integer> {

        enum Format { unified, side_by_side, json }

        @CommandLine.Mixin
        PreviewOptions options;

        @Option(names = "--format", paramLabel = "unified|side-by-side|json", defaultValue = "unified",
                converter = FormatConverter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
        Format format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (MongoClient client = options.connect()) {
                SchemaPreview preview = options.preview(client, options.request(client));
                SchemaPreviewPrinter printer = new SchemaPreviewPrinter(spec.commandLine().getOut(), options.keyVaultNamespace);
                switch (format) {
                    case unified -> printer.printUnified(preview);
                    case side_by_side -> printer.printSideBySide(preview);
                    case json -> printer.printJson(preview);
                }
                preview.requireKnownKeys();
            } catch (SchemaRefusedException e) {
                return refused(spec, e);
            }
            return ExitCodes.OK;
        }

        static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
            @Override
            public Format convert(String value) {
                try {
                    return Format.valueOf(value.replace('-', '_'));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a format: use unified,"
                            + " side-by-side or json.");
                }
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE_OR_CONNECTION,
            description = {"Write exactly what `schema diff` showed: give its preview hash.",
                    "Exit code 0; 2 when the rules or the mapping changed since the preview, or the rules would name a data key"
                            + " not in the key vault (nothing is written)."})
    static final class Apply implements Callable<Integer> {

        @CommandLine.Mixin
        PreviewOptions options;

        @Option(names = "--preview-hash", paramLabel = "H", required = true,
                description = "The preview hash printed by `keyshift schema diff` with the same options.")
        String previewHash;

        @Option(names = "--backup-dir", paramLabel = "DIR", defaultValue = ".",
                description = "Where to save the validators as they were before a collMod (default: the current folder).")
        Path backupDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (MongoClient client = options.connect()) {
                SchemaChange.Request request = options.request(client);
                SchemaPreview preview = options.preview(client, request);
                preview.requireReviewed(previewHash);
                if (!preview.changesSomething()) {
                    out.println("Nothing to write: the preview changes no rule.");
                    return ExitCodes.OK;
                }
                SchemaChange.Applied applied = SchemaChange.apply(client, options.hosts(), request,
                        previewHash, new SchemaWriter(Clock.systemUTC()), backupDir);
                Path backup = applied.backup();
                if (applied.preview().source() instanceof SchemaFile file) {
                    out.println("Wrote " + file.path() + ". The file as it was is saved as " + backup + ".");
                } else {
                    out.println("Changed the validators of " + String.join(", ", applied.preview().changedNamespaces())
                            + " on " + options.hosts() + ". The validators as they were are saved as " + backup + ".");
                }
                if (options.change.migrationId != null) {
                    // The migration's next steps and report then say where its schema was rewritten.
                    new Migrations(client, options.profile().clientSettings(), KeyVault.namespace(options.keyVaultNamespace),
                            Migrations.DEFAULT_JOURNAL_COLLECTION).schemaSettled(options.change.migrationId, SchemaOutcome.rewritten(applied.preview(), backup));
                }
                return ExitCodes.OK;
            } catch (SchemaRefusedException e) {
                return refused(spec, e);
            }
        }
    }

    /** A check refused the rules: one sentence on stderr, exit code 2. */
    private static int refused(CommandLine.Model.CommandSpec spec, SchemaRefusedException e) {
        LOG.warn("schema {} refused: {}", spec.name(), e.getMessage());
        spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText("Error: " + e.getMessage()));
        return ExitCodes.BLOCKED;
    }
}
