package io.keyshift.core.migrate;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsProvider;
import io.keyshift.core.kms.KmipProvider;
import io.keyshift.core.kms.KmsProvider;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** REWRAP through the door to targets other than the road it was built for: a KMIP server, and a second AWS CMK. */
class OtherTargetsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MigratorSandbox stack = new MigratorSandbox(20);

    @Test
    void localToKmipIsVerifiedAndAKmipOnlyApplicationReadsEveryValue() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        try (LocalProvider local = LocalProvider.load(info().localKeyFile());
             KmipProvider kmip = KmipProvider.of(info().kmip().endpoint(), info().kmip().caFile(),
                     info().kmip().clientCertFile())) {
            MigrationResult result = rewrap("local", local, KmsTarget.kmip(kmip, null));

            assertThat(result.verified()).as(String.valueOf(result.report().verification())).isTrue();
            assertThat(providersInTheVault()).containsOnly("kmip");
            assertThat(result.report().toJson()).contains("\"provider\": \"kmip\"");
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.kmipOnly(info()))).isEqualTo(before);
    }

    /** aws → aws with the same credentials: the keys pass through aws:keyshift and end under the next CMK as aws. */
    @Test
    void awsToTheNextCmkIsVerifiedAndEveryKeyEndsUnderItAsAws() {
        Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info()));
        SandboxInfo.Credentials migrator = info().aws().migrator();
        try (LocalProvider local = LocalProvider.load(info().localKeyFile());
             AwsProvider aws = AwsProvider.of(AwsCredentialSource.entered(migrator.accessKeyId(),
                     migrator.secretAccessKey().toCharArray(), null), info().aws().endpoint(), info().aws().caFile())) {
            assertThat(rewrap("local", local, KmsTarget.aws(aws, info().aws().region(), info().aws().cmkArn())).verified())
                    .isTrue();

            MigrationResult rotated = rewrap("aws", aws, KmsTarget.aws(aws, info().aws().region(), info().aws().nextCmkArn()));

            assertThat(rotated.verified()).as(String.valueOf(rotated.report().verification())).isTrue();
            assertThat(rotated.migration().target().via()).isEqualTo("aws:keyshift");
            assertThat(keyVault().find().into(new ArrayList<>())).allSatisfy(key -> {
                assertThat(key.getDocument("masterKey").getString("provider").getValue()).isEqualTo("aws");
                assertThat(key.getDocument("masterKey").getString("key").getValue()).isEqualTo(info().aws().nextCmkArn());
            });
        }
        assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info()))).isEqualTo(before);
    }

    private MigrationResult rewrap(String sourceProvider, KmsProvider source, KmsTarget target) {
        Migrations migrations = new Migrations(stack.client(), stack.settings(), keyVaultNamespace(), Journal.DEFAULT_COLLECTION);
        MigrationPlan plan = migrations.plan(new MigrationRequest(Strategy.REWRAP, List.of(), sourceProvider, target, 4,
                MigrationRequest.DEFAULT_BATCH, MigrationRequest.DEFAULT_WORKERS, false, false,
                dir.resolve(sourceProvider + "-backup.json")));
        assertThat(migrations.preflight(plan, List.of(source), target).blockers()).isEmpty();
        MigrationRecord record = migrations.begin(plan);
        return migrations.run(record.id(), List.of(source), target, dir.resolve("reports"), MigrationListener.NONE, () -> false);
    }

    private List<String> providersInTheVault() {
        return keyVault().distinct("masterKey.provider", String.class).into(new ArrayList<>());
    }

    private MongoNamespace keyVaultNamespace() {
        return new MongoNamespace(info().keyVaultNamespace());
    }

    private MongoCollection<BsonDocument> keyVault() {
        return stack.client().getDatabase(keyVaultNamespace().getDatabaseName())
                .getCollection(keyVaultNamespace().getCollectionName(), BsonDocument.class);
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
