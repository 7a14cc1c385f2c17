package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KeyShiftJvm;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REKEY from the local key file to the KMIP server, in a JVM of its own, killed with SIGKILL as soon as
 * it says the migration is journaled, then resumed: it ends done, with exactly one new KMIP key per old
 * key, and an application that knows only the KMIP server reads every document as before.
 */
class KmipKillNineResumeTest {

    /** Enough documents that the run is still converting values when the kill lands. */
    private static final int DOCUMENTS = 150;

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(DOCUMENTS);

    @Test
    void rekeyToKmipKilledAfterJournalingResumesToTheSameData() throws Exception {
        SandboxInfo info = stack.info();
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info));
        long keys = keyVault().countDocuments();
        KeyShiftJvm keyshift = new KeyShiftJvm(info, dir);

        List<String> migrate = new ArrayList<>(List.of("migrate", "--strategy", "rekey", "--yes",
                "--backup", dir.resolve("backup.json").toString(), "--schema-file", info.schemaMapFile().toString(),
                "--batch", "10", "--workers", "2"));
        migrate.addAll(options(info));
        migrate.addAll(SandboxProvider.KMIP.targetOptions(info, SandboxProvider.LOCAL, null));
        KeyShiftJvm.Started killed = keyshift.start(migrate);
        assertThat(killed.awaitText(" journaled in ")).as("migrate journals the migration; its output: %s", killed.output())
                .isTrue();
        assertThat(killed.kill()).as("migrate was still running when killed").isTrue();

        Document journaled = keyshift.migrations().get(0);
        assertThat(journaled.getString("stage")).as("the killed migration is unfinished").isNotEqualTo("DONE");
        List<String> resume = new ArrayList<>(List.of("resume", "--migration", journaled.getString("id")));
        resume.addAll(options(info));
        resume.addAll(SandboxProvider.KMIP.options(info));
        KeyShiftJvm.Started resumed = keyshift.start(resume);

        assertThat(resumed.waitFor(10, TimeUnit.MINUTES)).as("exit code of resume; its output: %s", resumed.text()).isZero();
        assertThat(keyshift.migrations().get(0).getString("stage")).isEqualTo("DONE");
        assertThat(keyVault().countDocuments(new Document("masterKey.provider", "kmip")))
                .as("one new KMIP key per old key, none made twice").isEqualTo(keys);
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.kmipOnly(info))).isEqualTo(before);
    }

    /** The cluster, the reports, and the source's key file. */
    private List<String> options(SandboxInfo info) {
        List<String> options = new ArrayList<>(List.of("--uri", info.mongodbUri(), "--report", dir.resolve("reports").toString()));
        options.addAll(SandboxProvider.LOCAL.options(info));
        return options;
    }

    private com.mongodb.client.MongoCollection<Document> keyVault() {
        MongoNamespace vault = new MongoNamespace(stack.info().keyVaultNamespace());
        return stack.client().getDatabase(vault.getDatabaseName()).getCollection(vault.getCollectionName());
    }
}
