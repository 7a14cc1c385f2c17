package io.keyshift.ui.common;

import com.mongodb.client.MongoClient;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.ui.wizard.MigrationDraft;
import org.bson.BsonDocument;

/** Drafts filled as the pages before the one under test would have left them. */
public final class Drafts {

    private Drafts() {
    }

    /** Connected to the sandbox, as after the Connect page. */
    public static MigrationDraft connected(SandboxInfo info) {
        MigrationDraft draft = new MigrationDraft();
        ConnectionProfile profile = ConnectionProfile.of(info.mongodbUri());
        draft.keyVaultProperty().set(KeyVault.namespace(info.keyVaultNamespace()));
        try (MongoClient client = ClusterConnection.open(profile.clientSettings())) {
            draft.connected(profile, new ClusterProbe(client).probe(draft.keyVaultProperty().get()));
        }
        return draft;
    }

    /** Connected, with every data key of the sandbox selected, as after the Key vault page. */
    public static MigrationDraft withAllKeysSelected(SandboxInfo info) {
        MigrationDraft draft = connected(info);
        try (MongoClient client = ClusterConnection.open(draft.connectionProperty().get().clientSettings())) {
            draft.selectKeys(KeyVault.open(client, draft.keyVaultProperty().get()).listAll(new BsonDocument(), 100));
        }
        return draft;
    }
}
