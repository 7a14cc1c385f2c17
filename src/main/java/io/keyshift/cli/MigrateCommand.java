package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.migrate.MigrationResult;
import io.keyshift.core.migrate.MigrationPlan;
import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationRequest;
import io.keyshift.core.migrate.Migrations;
import io.keyshift.core.migrate.MigrationPreflight;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.migrate.SchemaOutcome;
import io.keyshift.core.migrate.MigrationReport;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.SchemaPreview;
import io.keyshift.core.schema.SchemaChange;
import io.keyshift.core.schema.SchemaSource;
import io.keyshift.core.schema.SchemaWriter;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.BooleanSupplier;

/** {@code keyshift migrate}: plan, preflight, backup, then migrate, verify and report. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move data keys from the master key they are under (--source-provider and its options) to another"
                + " (--to and its options): local, aws, kmip, azure or gcp, either way, same-type rotation included.",
                "Shows the plan and the preflight, takes a backup of the keys, asks for confirmation, then runs;",
                "Ctrl-C stops between chunks and `keyshift resume` continues.",
                "Credentials come from the environment, a profile or files; no option carries a secret."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--strategy", required = true, paramLabel = "rewrap|rekey|decrypt",
            description = "rewrap (recommended: keys re-encrypted under the target master key, no data touched), rekey or"
                    + " decrypt.")
    private String strategy;

    @Mixin
    private TargetOption to;

    @Mixin
    private KmsOptions kms;

    @Option(names = "--keys", split = ",", paramLabel = "ID", description = "Data key ids to migrate (default: every key under --source-provider).")
    private List<UUID> keys = new ArrayList<>();

    @Option(names = "--source-provider", paramLabel = "NAME", description = "The provider the keys are under today: local,"
            + " aws, kmip, azure, gcp, or a named one such as local:old (default: ${DEFAULT-VALUE}).")
    private String sourceProvider = "local";

    @Option(names = "--chunk", paramLabel = "N", description = "Keys per rewrapManyDataKey call, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    private int chunk = MigrationRequest.DEFAULT_CHUNK;

    @Option(names = "--kms-concurrency", paramLabel = "N", description = "rewrap: chunks rewrapped at once, each with one KMS"
            + " call in flight, 1 to 32 (default: ${DEFAULT-VALUE}).")
    private int kmsConcurrency = Migrations.DEFAULT_KMS_CONCURRENCY;

    @Option(names = "--backup", paramLabel = "FILE", description = "Where the key backup is written (default: timestamped under ~/.local/share/keyshift/backups).")
    private Path backup;

    @Option(names = "--report", paramLabel = "DIR", description = "Where the JSON and HTML report go (default: ~/.local/share/keyshift/reports).")
    private Path reportDirectory = MigrationReport.defaultDirectory();

    @Mixin
    private JournalOptions journal;

    @Option(names = "--dry-run", description = "Show the plan and the preflight; write nothing.")
    private boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation (for scripts).")
    private boolean yes;

    @Option(names = "--json", description = "Print one JSON document on stdout, whatever the outcome (fields: docs/migrate-json.md);"
            + " the plan and progress go to stderr.")
    private boolean json;

    /** The plan as shown, kept for the JSON document. */
    private List<String> planShown = List.of();

    @Option(names = "--batch", paramLabel = "N", description = "rekey/decrypt: documents per batch, one bulk write each, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    private int batch = MigrationRequest.DEFAULT_BATCH;

    @Option(names = "--workers", paramLabel = "N", description = "rekey/decrypt: batches converted in parallel, 1 to 32 (default: ${DEFAULT-VALUE}).")
    private int workers = MigrationRequest.DEFAULT_WORKERS;

    @Option(names = "--move-alt-names", description = "rekey: after verification, move each old key's keyAltNames to its new key.")
    private boolean moveAltNames;

    @Option(names = "--skip-unreadable", description = "rekey/decrypt: leave values under data keys that are no longer"
            + " in the key vault as they are (the report lists them), instead of refusing to start.")
    private boolean skipUnreadable;

    @Option(names = "--i-understand-plaintext", description = "decrypt: confirms that the values will be stored as plaintext.")
    private boolean plaintextConfirmed;

    @Option(names = "--schema-file", paramLabel = "FILE", description = {"rekey/decrypt: the applications' schema-map file."
            + " Once the new keys exist (rekey) and before any value changes, its keyIds are replaced (rekey) or the"
            + " decrypted fields' encrypt rules removed (decrypt), after a confirmation. Without it, server validators"
            + " that hold encryption rules are rewritten."})
    private Path schemaFile;

    @Option(names = "--no-schema-map", description = "rekey/decrypt: the applications use no schema map; needed when no"
            + " --schema-file is given and no server validator holds encryption rules.")
    private boolean noSchemaMap;

    @Override
    public Integer call() {
        Strategy chosen = parseStrategy();
        if (chosen == Strategy.DECRYPT && !plaintextConfirmed) {
            throw new ParameterException(spec.commandLine(), "--strategy decrypt stores every selected value as plaintext;"
                    + " add --i-understand-plaintext to confirm that this is what you want.");
        }
        Migrations.requireKmsConcurrency(kmsConcurrency);
        Path backupFile = backup != null ? backup : Migrations.defaultBackupFile();
        Migrations.requireWritable(backupFile, reportDirectory);
        PrintWriter out = human();
        ConnectionProfile profile = cluster.profile();
        // Every provider option is checked, and every key file read, before the cluster is reached.
        KmsTarget target = chosen == Strategy.DECRYPT ? null : kms.target(to.type);
        try (KmsProvider targetProvider = target == null ? null : target.provider();
             OpenedProviders sources = kms.sourceProviders(sourceProvider);
             MongoClient client = ClusterConnection.open(profile.clientSettings())) {
            MigrationRequest request = new MigrationRequest(chosen, keys, sourceProvider, target, chunk, batch, workers,
                    moveAltNames, skipUnreadable, backupFile);
            if (chosen != Strategy.REWRAP) {
                requireSchemaSource(chosen, client, profile.hosts());
                out.println("Scanning every collection for values under the selected keys…");
                out.flush();
            }
            Migrations migrations = new Migrations(client, profile.clientSettings(), cluster.keyVaultNamespace(),
                    journal.collection).kmsConcurrency(kmsConcurrency);
            MigrationPlan planned = migrations.plan(request);
            printPlan(planned, out);
            MigrationPreflight preflight = migrations.preflight(planned, sources.providers(), target);
            OptionalInt stopped = stopBeforeWriting(preflight, passed(planned), question(planned), out);
            if (stopped.isPresent()) {
                return stopped.getAsInt();
            }
            // A KMIP key the check created is the one every data key goes under.
            KmsTarget checked = preflight.target() == null ? target : preflight.target().targetToUse(target);
            MigrationPlan plan = checked == target ? planned : planned.toCheckedTarget(checked);
            MigrationRecord begun = migrations.begin(plan);
            return beginAndRun(begun, migrations, cancelled -> chosen == Strategy.REWRAP
                    || rewriteSchema(client, profile.hosts(), migrations, begun.id(), plan, checked, out)
                    ? migrations.run(begun.id(), sources.providers(), checked, reportDirectory,
                            MigrationRunner.progressPrinter(out), cancelled)
                    : new MigrationResult(MigrationResult.Outcome.INTERRUPTED, migrations.get(begun.id()), null, null), out);
        }
    }

    private static String passed(MigrationPlan plan) {
        return plan.strategy() == Strategy.REWRAP ? "Preflight passed: all " + plan.keys().size() + " keys open under "
                + plan.sourceProvider() + ", the checks of " + plan.target().describe() + " pass, and you may update the"
                + " key vault." : "Preflight passed.";
    }

    private static String question(MigrationPlan plan) {
        return switch (plan.strategy()) {
            case REWRAP -> String.format("Rewrap %d key(s) under %s?", plan.keys().size(), plan.target().describe());
            case REKEY -> String.format("Re-encrypt %d value(s) under %d new key(s)?", plan.values(), plan.keys().size());
            case DECRYPT -> String.format("Store %d value(s) as PLAINTEXT?", plan.values());
        };
    }

    private Strategy parseStrategy() {
        for (Strategy candidate : Strategy.values()) {
            if (candidate.name().equalsIgnoreCase(strategy)) {
                return candidate;
            }
        }
        throw new ParameterException(spec.commandLine(), "--strategy " + strategy + " is not one of rewrap, rekey, decrypt.");
    }

    /**
     * Refuses, before anything is read at length or written, a REKEY or DECRYPT that does not know
     * where the applications' rules are and was not told that there are none.
     */
    private void requireSchemaSource(Strategy chosen, MongoClient client, String hosts) {
        if (schemaFile != null && noSchemaMap) {
            throw new ParameterException(spec.commandLine(), "--schema-file and --no-schema-map contradict each other:"
                    + " give the schema-map file, or say that the applications use none, not both.");
        }
        if (schemaFile != null) {
            SchemaSource.readFile(schemaFile);
        }
        boolean validatorsHoldRules = schemaFile == null
                && !SchemaSource.readValidators(client, hosts).collections().isEmpty();
        if (!Migrations.schemaStepCanProceed(chosen, schemaFile != null, validatorsHoldRules, noSchemaMap)) {
            throw new KeyShiftException("--strategy " + chosen.name().toLowerCase(Locale.ROOT) + " changes what the"
                    + " applications' automatic-encryption rules must say, and no collection on " + hosts + " has a"
                    + " validator with encryption rules: give the applications' schema-map file with --schema-file FILE,"
                    + " or --no-schema-map if they use none. Nothing was written.");
        }
    }

    /**
     * The safe order's schema step, once the migration is journaled: REKEY's new keys are created, then
     * the rules are rewritten for them (or DECRYPT's encrypt rules removed) before any value changes,
     * and what was done is journaled. Returns false, with nothing written, when the change is not confirmed.
     */
    private boolean rewriteSchema(MongoClient client, String hosts, Migrations migrations, String id, MigrationPlan plan,
                                  KmsTarget target, PrintWriter out) {
        Optional<DekMapping> mapping = plan.strategy() == Strategy.REKEY
                ? Optional.of(migrations.createKeys(id, target, MigrationRunner.progressPrinter(out)))
                : Optional.empty();
        SchemaChange.Request request = new SchemaChange.Request(cluster.keyVaultNamespace(), mapping,
                plan.decryptedFields(), Optional.ofNullable(schemaFile));
        Optional<SchemaPreview> preview = SchemaChange.preview(client, hosts, request);
        SchemaOutcome outcome;
        if (preview.isEmpty()) {
            outcome = SchemaOutcome.noSchemaMap();
        } else if (!preview.get().changesSomething()) {
            outcome = SchemaOutcome.nothingToChange(preview.get());
        } else {
            SchemaPreview change = preview.get();
            out.println("Schema change (namespace, field, old key → new key):");
            change.changes().forEach(line -> out.println("  " + line.text()));
            if (!confirmed(String.format("Write %d rule change(s) to %s?", change.changes().size(),
                    SchemaChange.target(change)), out)) {
                out.println("The schema was not written, and no value was changed. Review it with `keyshift schema diff"
                        + " --migration " + id + "`, apply it with `keyshift schema apply`, then continue with"
                        + " `keyshift resume --migration " + id + "`.");
                return false;
            }
            SchemaChange.Applied applied = SchemaChange.apply(client, hosts, request, change.previewHash(),
                    new SchemaWriter(Clock.systemUTC()), reportDirectory);
            outcome = SchemaOutcome.rewritten(applied.preview(), applied.backup());
        }
        migrations.schemaSettled(id, outcome);
        out.println(outcome.sentence());
        out.flush();
        return true;
    }

    /**
     * What comes between the plan and the first write: the preflight's verdict, the dry run's end and
     * the confirmation. Returns the exit code when nothing is to be written.
     */
    private OptionalInt stopBeforeWriting(MigrationPreflight preflight, String passed, String question, PrintWriter out) {
        if (!preflight.passed()) {
            out.println("Blocked by the preflight; nothing was written:");
            preflight.blockers().forEach(blocker -> out.println("  ✗ " + blocker));
            out.flush();
            return OptionalInt.of(printJson("blocked", ExitCodes.BLOCKED, preflight.blockers(), null));
        }
        out.println(passed);
        if (dryRun) {
            out.println("Dry run: nothing was written.");
            return OptionalInt.of(printJson("dry_run", ExitCodes.OK, List.of(), null));
        }
        if (!confirmed(question, out)) {
            out.println("Not confirmed; nothing was written.");
            return OptionalInt.of(printJson("not_confirmed", ExitCodes.USAGE_OR_CONNECTION, List.of(), null));
        }
        return OptionalInt.empty();
    }

    /** The migration just begun (backup, then journal entry), run with progress and Ctrl-C, then its verdict. */
    private int beginAndRun(MigrationRecord record, Migrations migrations, Function<BooleanSupplier, MigrationResult> run,
                            PrintWriter out) {
        out.println("Backup written: " + record.backupFile() + " (SHA-256 " + record.backupSha256() + ")");
        out.println("Migration " + record.id() + " journaled in " + migrations.journalNamespace());
        out.flush();
        MigrationResult result = MigrationRunner.run(out, run);
        int exit = MigrationRunner.conclude(result, out);
        out.flush();
        String outcome = result.outcome() == MigrationResult.Outcome.INTERRUPTED ? "interrupted"
                : result.verified() ? "done" : "verification_failed";
        return printJson(outcome, exit, List.of(), result);
    }

    /** Where the plan, the progress and the verdict go: stderr with --json, so stdout holds only the document. */
    private PrintWriter human() {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** With --json, the one document stdout holds (docs/migrate-json.md); returns {@code exitCode}. */
    private int printJson(String outcome, int exitCode, List<String> blockers, MigrationResult result) {
        if (!json) {
            return exitCode;
        }
        BsonDocument document = new BsonDocument("outcome", new BsonString(outcome))
                .append("exitCode", new BsonInt32(exitCode))
                .append("strategy", new BsonString(parseStrategy().name().toLowerCase(Locale.ROOT)))
                .append("migration", result == null ? BsonNull.VALUE : new BsonString(result.migration().id()))
                .append("plan", strings(planShown))
                .append("blockers", strings(blockers))
                .append("report", result == null || result.report() == null ? BsonNull.VALUE : result.report().toBson());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(document.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build()));
        stdout.flush();
        return exitCode;
    }

    private static BsonArray strings(List<String> lines) {
        return new BsonArray(lines.stream().map(line -> (BsonValue) new BsonString(line)).toList());
    }

    private void printPlan(MigrationPlan plan, PrintWriter out) {
        planShown = plan.describe();
        out.println("Plan: " + planShown.get(0));
        planShown.subList(1, planShown.size()).forEach(out::println);
        plan.cutover().forEach(out::println);
        out.flush();
    }

    private boolean confirmed(String question, PrintWriter out) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new KeyShiftException("There is no terminal to confirm on, and --yes was not given: nothing was written."
                    + " Review the plan (--dry-run) and run again with --yes.");
        }
        out.flush();
        String answer = console.readLine("%s Type yes to go on: ", question);
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
