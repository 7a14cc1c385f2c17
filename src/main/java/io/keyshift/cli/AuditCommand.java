package io.keyshift.cli;

import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import io.keyshift.core.audit.AuditHtml;
import io.keyshift.core.audit.AuditJson;
import io.keyshift.core.audit.AuditPolicy;
import io.keyshift.core.audit.AuditProgress;
import io.keyshift.core.audit.AuditReport;
import io.keyshift.core.audit.AuditRequest;
import io.keyshift.core.audit.Auditor;
import io.keyshift.core.audit.PolicyVerdict;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code keyshift audit}: the health of a key vault and of the data under it, read-only — dangling
 * references, unused keys, schema drift, the master keys' KMS state, key ages, versions — optionally
 * held to a policy file so that cron or CI is told when something needs doing.
 */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = {
                "Audit the key vault and the encrypted data: values whose key is gone, unused keys, fields that"
                        + " disagree with the schema, the state of each master key in its KMS, key ages and versions."
                        + " Reads only; never writes.",
                "Master keys: --local-key opens every local data key; AWS credentials inspect each CMK (--region"
                        + " for keys that name none, --endpoint instead of the one the keys store); the KMIP options"
                        + " and Azure or Google Cloud credentials unwrap one data key of each of their master keys.",
                "Exit code 0; 2 when a rule of --policy fails (one line per failure); 1 for usage or connection errors."})
final class AuditCommand implements Callable<Integer> {

    /** Progress lines on stderr at most this often, besides one at each collection. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--schema-file", paramLabel = "FILE",
            description = "Automatic-encryption schema map (JSON) to hold the data against; server validators are read too.")
    private Path schemaFile;

    /** The provider options migrate takes; those that only name a target have no use here. */
    @Mixin
    private KmsOptions kms;

    @Mixin
    private ScanOptions scanning;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write the audit as HTML (with charts) and JSON into DIR, owner-only.")
    private Path reportDirectory;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Rules to hold the key vault to (JSON, see docs/audit-policy.md); exit 2 when one fails.")
    private Path policyFile;

    @Option(names = "--json", description = "Print one JSON document (fields: docs/audit-json.md).")
    private boolean json;

    /** Lets a test watch every command sent; null in normal use. */
    private final CommandListener commandListener;

    AuditCommand() {
        this(null);
    }

    AuditCommand(CommandListener commandListener) {
        this.commandListener = commandListener;
    }

    @Override
    public Integer call() {
        AuditPolicy policy = policyFile == null ? null : AuditPolicy.read(policyFile);
        MongoClientSettings settings = cluster.profile().clientSettings();
        if (commandListener != null) {
            settings = MongoClientSettings.builder(settings).addCommandListener(commandListener).build();
        }
        PrintWriter err = spec.commandLine().getErr();
        AuditReport report;
        try (OpenedProviders providers = kms.givenSourceProviders()) {
            AuditRequest request = new AuditRequest(cluster.keyVaultNamespace(), scanning.collections(),
                    scanning.mode(), Optional.ofNullable(schemaFile), Optional.of(kms.awsAccess()),
                    providers.providers());
            // The key file --local-key names, read once, by the provider opened from it.
            LocalMasterKey localKey = providers.providers().stream().filter(LocalProvider.class::isInstance)
                    .map(provider -> ((LocalProvider) provider).masterKey()).findFirst().orElse(null);
            report = new Auditor(settings).audit(request, localKey, new StderrProgress(err));
        }
        PolicyVerdict verdict = policy == null ? null : policy.check(report);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(AuditJson.toJson(report, verdict));
            out.flush();
        } else {
            AuditText.print(report, verdict, out);
        }
        if (reportDirectory != null) {
            err.println("Report: " + AuditHtml.write(report, verdict, reportDirectory));
        }
        if (verdict != null && !verdict.passed()) {
            if (json) {
                verdict.failures().forEach(failure -> err.println(AuditText.failureLine(failure)));
            }
            err.flush();
            return ExitCodes.BLOCKED;
        }
        err.flush();
        return ExitCodes.OK;
    }

    /** Prints a line per stage and collection, and while scanning one every few seconds with the ETA. */
    private static final class StderrProgress implements AuditProgress.Listener {
        private final PrintWriter err;
        private String namespace;
        private long lastLine;

        StderrProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(AuditProgress progress) {
            long now = System.nanoTime();
            switch (progress.stage()) {
                case KEYS -> err.println("Reading the key vault and the encryption rules…");
                case KMS -> err.println("Checking the master keys…");
                case SCAN -> {
                    boolean newCollection = !progress.namespace().equals(namespace);
                    if (!newCollection && now - lastLine < PROGRESS_INTERVAL.toNanos()) {
                        return;
                    }
                    namespace = progress.namespace();
                    err.println("Scanning " + namespace + ": " + progress.documentsScanned() + " of about "
                            + progress.documentsTotal() + " documents"
                            + progress.eta().map(eta -> ", about " + Math.max(1, eta.toSeconds()) + " s left").orElse("")
                            + ".");
                }
                case DONE -> { }
            }
            lastLine = now;
            err.flush();
        }
    }
}
