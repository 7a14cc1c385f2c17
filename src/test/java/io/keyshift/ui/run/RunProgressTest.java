package io.keyshift.ui.run;

import io.keyshift.core.migrate.MigrationRecord;
import io.keyshift.core.migrate.MigrationListener;
import io.keyshift.core.migrate.Strategy;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Run page's overall bar, fed as the engine feeds it: collection after collection, then the final pass. */
class RunProgressTest {

    private static final Map<String, Long> COLLECTIONS = new LinkedHashMap<>(Map.of("clinic.patients", 100L));

    static {
        COLLECTIONS.put("clinic.visits", 50L);
        COLLECTIONS.put("hr.employees", 30L);
    }

    @Test
    void theOverallBarCountsEveryPlannedDocumentAndNeverGoesBackAsCollectionsStart() throws Exception {
        MigrationRecord record = journaled();
        RunViewModel viewModel = new RunViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures(), Path.of("reports"));
        MigrationListener engine = viewModel.listener(record);
        FxThread.run(() -> viewModel.showRows(record));
        List<Double> shown = new ArrayList<>();
        List<String> headlines = new ArrayList<>();
        Runnable refresh = () -> {
            viewModel.copyFromEngine();
            shown.add(viewModel.overallProperty().get());
            headlines.add(viewModel.headlineProperty().get());
        };

        for (boolean finalPass : new boolean[] {false, true}) {
            long converted = 0;
            for (Map.Entry<String, Long> collection : COLLECTIONS.entrySet()) {
                // Once when the collection starts, then after each batch of 10 documents (2 values each).
                for (long scanned = 0; scanned <= collection.getValue(); scanned += 10) {
                    MigrationListener.CollectionProgress progress = new MigrationListener.CollectionProgress(collection.getKey(),
                            finalPass, scanned, collection.getValue(), 0, finalPass ? 2 * collection.getValue() : 2 * scanned, 0, 0,
                            scanned == 0 ? 0 : 500);
                    engine.collection(progress);
                    FxThread.run(refresh);
                }
                converted += 2 * collection.getValue();
            }
            assertThat(converted).isEqualTo(360);
        }

        assertThat(shown).as("the overall bar, refresh after refresh").isSorted();
        assertThat(shown.get(0)).isZero();
        assertThat(shown.get(shown.size() - 1)).isEqualTo(1.0);
        assertThat(headlines).anySatisfy(line -> assertThat(line).startsWith("100 of 180 documents (56%), 200 values converted"));
        assertThat(headlines.get(headlines.size() - 1)).startsWith("All 180 documents converted (360 values); final pass: 180"
                + " read again");
    }

    private static MigrationRecord journaled() {
        List<MigrationRecord.CollectionCheckpoint> checkpoints = COLLECTIONS.entrySet().stream()
                .map(c -> new MigrationRecord.CollectionCheckpoint(c.getKey(), c.getValue(), null, false, 0, 0, 0, 0, 0, List.of()))
                .toList();
        return new MigrationRecord("rekey-test", Strategy.REKEY, "dba@workstation", Instant.now(), "encryption.__keyVault",
                "local", new MigrationRecord.Target("us-east-1", "arn:aws:kms:us-east-1:000000000000:key/test", null),
                Path.of("backup.json"), "sha", MigrationRecord.Stage.REENCRYPTING,
                List.of(new MigrationRecord.Chunk(0, List.of(UUID.randomUUID()), true, 1, 1)), 0, List.of(),
                new MigrationRecord.Rekey(10, 2, false, false, List.of(), checkpoints));
    }
}
