package io.keyshift.core.migrate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NextStepsTest {

    private static final Path BACKUP = Path.of("/backups/keys.json");

    private static MigrationRecord migration(String id, Strategy strategy) {
        MigrationRecord.Target target = strategy == Strategy.DECRYPT ? null
                : new MigrationRecord.Target("eu-west-1", "arn:aws:kms:eu-west-1:111122223333:key/k", null);
        MigrationRecord.Rekey rekey = strategy == Strategy.REWRAP ? null
                : new MigrationRecord.Rekey(100, 4, false, false, List.of(), List.of());
        return new MigrationRecord(id, strategy, "dba@host", Instant.parse("2026-12-01T10:00:00Z"), "encryption.__keyVault",
                "local", target, BACKUP, "ab12", MigrationRecord.Stage.DONE,
                List.of(new MigrationRecord.Chunk(0, List.of(UUID.randomUUID(), UUID.randomUUID()), true, 2, 1)), 0,
                List.of(), rekey);
    }

    @Test
    void rekeyAsksToDeployTheRewrittenSchemaAndNeverDeletesTheOldKeysByItself() {
        SchemaOutcome rewritten = new SchemaOutcome(SchemaOutcome.Kind.REWRITTEN, "schema file /app/schema.json",
                "the schema file /app/schema.json", "/app/schema.json.keyshift-backup-1", 3);

        NextSteps next = NextSteps.of(migration("rekey-1", Strategy.REKEY), true, Optional.of(rewritten), 0, List.of());

        assertThat(next.steps().get(0)).startsWith("Schema rewritten: the schema file /app/schema.json (3 rules changed)")
                .contains("Deploy it to every application");
        assertThat(next.steps()).anyMatch(step -> step.contains("keyExpirationMS (60 s by default)"))
                .anyMatch(step -> step.startsWith("The 2 old data key(s) stay in the key vault; KeyShift never deletes them."))
                .anyMatch(step -> step.contains(BACKUP + " (SHA-256 ab12)") && step.contains("destroy it deliberately"))
                .anyMatch(step -> step.contains("retire the local key file"));
        assertThat(next.sourceStillInUse()).isFalse();
    }

    @Test
    void decryptWithNoSchemaMapSaysThatNoSchemaWasRewritten() {
        NextSteps next = NextSteps.of(migration("decrypt-1", Strategy.DECRYPT), true,
                Optional.of(SchemaOutcome.noSchemaMap()), 0, List.of());

        assertThat(next.steps().get(0)).startsWith("No schema was rewritten: it was declared that the applications use no"
                + " schema map");
        assertThat(next.steps()).noneMatch(step -> step.contains("keyExpirationMS"));
    }

    @Test
    void rewrapKeepsTheLocalKeyFileWhileAnyKeyIsStillUnderLocalAndNamesOtherUnfinishedMigrations() {
        NextSteps next = NextSteps.of(migration("rewrap-1", Strategy.REWRAP), true, Optional.empty(), 4,
                List.of(migration("rekey-9", Strategy.REKEY)));

        assertThat(next.steps()).noneMatch(step -> step.contains("chema"))
                .anyMatch(step -> step.startsWith("4 data key(s) are still under local: keep the local key file"))
                .anyMatch(step -> step.startsWith("Migration rekey-9 (REKEY") && step.contains("keyshift resume --migration"
                        + " rekey-9") && step.contains("keyshift abandon --migration rekey-9"))
                .noneMatch(step -> step.contains("retire"));
        assertThat(next.sourceStillInUse()).isTrue();
    }

    @Test
    void anUnverifiedMigrationSaysFirstToDeleteNothing() {
        NextSteps next = NextSteps.of(migration("rekey-2", Strategy.REKEY), false, Optional.empty(), 0, List.of());

        assertThat(next.steps().get(0)).startsWith("Delete nothing and change no application yet");
        assertThat(next.steps()).anyMatch(step -> step.contains("keyshift abandon --migration rekey-2"))
                .anyMatch(step -> step.startsWith("No schema step is recorded for this migration"));
    }
}
