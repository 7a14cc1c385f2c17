package io.keyshift.core.migrate;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.BsonDocument;

/** What every migration works with: the cluster, its key vault, the journal beside it, and the KMS retry policy. */
abstract class MigrationPipeline {

    protected final MongoClient client;
    protected final MongoClientSettings settings;
    protected final MongoNamespace keyVault;
    protected final Journal journal;
    protected final KmsRetry retry;

    MigrationPipeline(MongoClient client, MongoClientSettings settings, MongoNamespace keyVault, String journalCollection,
                      KmsRetry retry) {
        this.client = client;
        this.settings = settings;
        this.keyVault = keyVault;
        this.journal = new Journal(client, keyVault, journalCollection);
        this.retry = retry;
    }

    public Journal journal() {
        return journal;
    }

    /** The key vault, read and written with majority concern. */
    protected MongoCollection<BsonDocument> keyVaultCollection() {
        return client.getDatabase(keyVault.getDatabaseName()).getCollection(keyVault.getCollectionName(), BsonDocument.class)
                .withWriteConcern(WriteConcern.MAJORITY)
                .withReadConcern(ReadConcern.MAJORITY);
    }
}
