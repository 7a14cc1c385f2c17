package io.keyshift.core.migrate;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.keyshift.core.KeyShiftException;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workers, batch and chunk out of their ranges are refused by the plans before any command reaches the cluster. */
@ExtendWith(StackExtension.class)
class BoundsStackTest {

    private final List<String> commands = new CopyOnWriteArrayList<>();

    @Test
    void aMillionWorkersAreRefusedBeforeAnyScan(TestStack stack) {
        try (MongoClient client = recordingClient(stack)) {
            ValueMigration migration = new ValueMigration(client, settings(stack), keyVault(stack), Journal.DEFAULT_COLLECTION,
                    KmsRetry.standard());
            commands.clear();

            assertThatThrownBy(() -> migration.plan(Strategy.DECRYPT, List.of(), "local", null, 200, 1_000_000, false,
                    Path.of("backup.json")))
                    .isInstanceOf(KeyShiftException.class)
                    .hasMessageContaining("between 1 and 32 (it is 1000000)")
                    .hasMessageContaining("Nothing was scanned or written.");
            assertThat(commands).as("commands sent to the cluster").isEmpty();
        }
    }

    @Test
    void batchAndChunkOutOfRangeAreRefusedWithTheirReason(TestStack stack) {
        try (MongoClient client = recordingClient(stack)) {
            ValueMigration rekey = new ValueMigration(client, settings(stack), keyVault(stack), Journal.DEFAULT_COLLECTION,
                    KmsRetry.standard());
            commands.clear();

            assertThatThrownBy(() -> rekey.plan(Strategy.DECRYPT, List.of(), "local", null, 0, 4, false, Path.of("b.json")))
                    .hasMessageContaining("The batch size must be between 1 and 10000 documents (it is 0)")
                    .hasMessageContaining("16 MB");
            assertThatThrownBy(() -> rekey.plan(Strategy.DECRYPT, List.of(), "local", null, 10_001, 4, false, Path.of("b.json")))
                    .hasMessageContaining("(it is 10001)");
            assertThatThrownBy(() -> Bounds.requireChunk(1_001))
                    .hasMessageContaining("The chunk size must be between 1 and 1000 keys (it is 1001)")
                    .hasMessageContaining("one KMS call per key");
            assertThat(commands).as("commands sent to the cluster").isEmpty();
        }
    }

    private MongoClient recordingClient(TestStack stack) {
        return MongoClients.create(MongoClientSettings.builder(settings(stack)).addCommandListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommandName());
            }
        }).build());
    }

    private static MongoClientSettings settings(TestStack stack) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(stack.info().mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build();
    }

    private static MongoNamespace keyVault(TestStack stack) {
        return new MongoNamespace(stack.info().keyVaultNamespace());
    }
}
