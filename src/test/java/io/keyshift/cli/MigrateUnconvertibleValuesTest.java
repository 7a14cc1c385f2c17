package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.ClientEncryptions;
import io.keyshift.core.kms.KmsProviders;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value under a data key that is no longer in the key vault: nothing can decrypt it, so REKEY and
 * DECRYPT name it in the plan and refuse to start, unless told to leave it as it is.
 */
class MigrateUnconvertibleValuesTest {

    private static final MongoNamespace ARCHIVE = new MongoNamespace("hr", "archive");

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);
    private UUID goneKey;
    private BsonBinary orphan;

    @BeforeEach
    void seed() {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(info().mongodbUri())).build();
        MongoNamespace vault = new MongoNamespace(info().keyVaultNamespace());
        try (LocalProvider local = LocalProvider.load(info().localKeyFile());
             KmsProviders providers = new KmsProviders().with(local);
             ClientEncryption encryption = ClientEncryptions.create(settings, vault, providers);
             MongoClient client = MongoClients.create(settings)) {
            goneKey = encryption.createDataKey("local").asUuid();
            orphan = encryption.encrypt(new BsonString("123-45-6789"),
                    new EncryptOptions("AEAD_AES_256_CBC_HMAC_SHA_512-Random").keyId(new BsonBinary(goneKey)));
            archive(client).insertOne(new BsonDocument("_id", new BsonInt32(1)).append("ssn", orphan));
            client.getDatabase(vault.getDatabaseName()).getCollection(vault.getCollectionName())
                    .deleteOne(Filters.eq("_id", new BsonBinary(goneKey)));
        }
    }

    @Test
    void thePlanNamesThemAndRekeyAndDecryptRefuseUnlessTheyAreSkipped() throws IOException {
        String named = "hr.archive ssn: 1 value(s) under data key " + goneKey;
        CliRun rekeyPlan = CliRun.keyshift(migrate("rekey", "--dry-run"));

        assertThat(rekeyPlan.exitCode()).as(rekeyPlan.out() + rekeyPlan.err()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(rekeyPlan.out()).contains("Cannot convert: " + named + ", which is not in the key vault")
                .contains("Blocked by the preflight; nothing was written:")
                .contains("1 value(s) in 1 field(s) are under data keys that are no longer in the key vault")
                .contains("--skip-unreadable");

        CliRun decryptPlan = CliRun.keyshift(migrate("decrypt", "--dry-run", "--i-understand-plaintext"));
        assertThat(decryptPlan.exitCode()).as(decryptPlan.out() + decryptPlan.err()).isEqualTo(ExitCodes.BLOCKED);
        assertThat(decryptPlan.out()).contains("Cannot convert: " + named);
        assertThat(dir.resolve("backup.json")).doesNotExist();

        CliRun skipped = CliRun.keyshift(migrate("rekey", "--yes", "--skip-unreadable"));

        assertThat(skipped.exitCode()).as(skipped.out() + skipped.err()).isEqualTo(ExitCodes.OK);
        assertThat(skipped.out()).contains("Done and verified.");
        assertThat(report().getList("warnings", String.class))
                .contains("Left as it is, as chosen (its data key is not in the key vault): " + named + ".");
        try (MongoClient client = MongoClients.create(info().mongodbUri())) {
            assertThat(archive(client).find().first().getBinary("ssn")).as("the value is left as it was").isEqualTo(orphan);
        }
    }

    private List<String> migrate(String strategy, String... extra) {
        List<String> args = stack.migrate(strategy, dir.resolve("backup.json"), dir.resolve("reports"), extra);
        args.add("--no-schema-map");
        return args;
    }

    private Document report() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            Path json = files.filter(file -> file.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            return Document.parse(Files.readString(json));
        }
    }

    private static MongoCollection<BsonDocument> archive(MongoClient client) {
        return client.getDatabase(ARCHIVE.getDatabaseName()).getCollection(ARCHIVE.getCollectionName(), BsonDocument.class);
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
