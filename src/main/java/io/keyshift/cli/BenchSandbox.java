package io.keyshift.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.keyshift.core.kms.AwsCredentialSource;
import io.keyshift.core.kms.AwsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import org.bson.UuidRepresentation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh sandbox for a benchmark, with a client, the local key (as a source provider) and the AWS target of its migrator user. */
final class BenchSandbox implements AutoCloseable {

    final Path dir;
    final Sandbox sandbox;
    final SandboxInfo info;
    final MongoClientSettings settings;
    final MongoClient client;
    final MongoNamespace keyVault;
    final LocalMasterKey localKey;
    /** The local key as the source provider the migration opens the seeded keys with. */
    final LocalProvider source;
    final AwsTarget target;

    BenchSandbox(String name, int seededDocuments) throws IOException {
        dir = Files.createTempDirectory("keyshift-bench-" + name);
        sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir).withDocuments(seededDocuments), line -> { });
        info = sandbox.info();
        settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
        keyVault = new MongoNamespace(info.keyVaultNamespace());
        client = MongoClients.create(settings);
        localKey = LocalMasterKey.load(info.localKeyFile());
        source = LocalProvider.of("local", localKey, null);
        SandboxInfo.Credentials migrator = info.aws().migrator();
        target = new AwsTarget(AwsCredentialSource.entered(migrator.accessKeyId(), migrator.secretAccessKey().toCharArray(), null),
                info.aws().region(), info.aws().cmkArn(), info.aws().endpoint(), info.aws().caFile());
    }

    @Override
    public void close() {
        target.close();
        source.close();
        localKey.close();
        client.close();
        sandbox.close();
    }
}
