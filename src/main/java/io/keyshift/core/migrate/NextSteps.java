package io.keyshift.core.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the DBA must do after a migration, per strategy: what to deploy, how long both providers stay
 * configured, when the old keys may go and how, what to do with the backup, when the local key file
 * can be retired, and which other migration is unfinished. KeyShift does none of it by itself.
 *
 * @param steps             the checklist, in the order to do it
 * @param sourceStillInUse  a data key the applications may use is still under the migration's source
 *                          provider, so the applications keep that provider beside the target's
 * @param schema            what the schema step did; empty for REWRAP, or when no schema step is recorded
 */
public record NextSteps(List<String> steps, boolean sourceStillInUse, Optional<SchemaOutcome> schema) {

    /** Drivers cache each data key this long by default ({@code keyExpirationMS}). */
    static final int KEY_CACHE_SECONDS = 60;

    public NextSteps {
        steps = List.copyOf(steps);
    }

    /**
     * @param verified          verification passed
     * @param stillUnderSource  data keys still under the source provider that values may use (for REKEY and
     *                          DECRYPT, not counting the migration's own old keys once verified)
     * @param otherUnfinished   every other migration in the journal that is not done
     */
    public static NextSteps of(MigrationRecord migration, boolean verified, Optional<SchemaOutcome> schema,
                               long stillUnderSource, List<MigrationRecord> otherUnfinished) {
        String source = migration.sourceProvider();
        List<String> steps = new ArrayList<>();
        if (!verified) {
            steps.add("Delete nothing and change no application yet: verification found problems. Fix what it lists and"
                    + " resume with `keyshift resume --migration " + migration.id() + "`.");
        }
        if (migration.strategy() != Strategy.REWRAP) {
            steps.add(schemaStep(migration, schema));
        }
        String target = migration.target() == null ? null : migration.target().provider();
        if (migration.strategy() != Strategy.DECRYPT && !source.equals(target)) {
            steps.add("Keep both providers (" + source + " and " + target + ") configured in every running application until"
                    + " its data-key cache has turned over: drivers keep each data key for keyExpirationMS ("
                    + KEY_CACHE_SECONDS + " s by default), so deploy the " + target + " settings first and restart or wait at"
                    + " least " + KEY_CACHE_SECONDS + " s after the run.");
        } else if (migration.strategy() != Strategy.DECRYPT) {
            steps.add("Give every application the new master key as its " + source + " provider now: the keys are under"
                    + " it, and an application with the old one opens only the data keys it still caches (keyExpirationMS, "
                    + KEY_CACHE_SECONDS + " s by default).");
        }
        if (migration.strategy() != Strategy.REWRAP) {
            steps.add("The " + migration.keyCount() + " old data key(s) stay in the key vault; KeyShift never deletes them."
                    + (verified ? " No value uses them any more (verified). Delete them in a later clean-up, only once no"
                    + " application, schema or database backup you might restore still needs them; their ids are in the"
                    + " report." : " While the migration is unfinished, `keyshift abandon --migration " + migration.id()
                    + "` is the way back."));
        }
        steps.add("The backup of the keys as they were is " + migration.backupFile() + " (SHA-256 "
                + migration.backupSha256() + "). It holds the data keys wrapped by the old " + source + " master key: keep it"
                + " while you may need `keyshift restore-keys --file " + migration.backupFile() + "`, then destroy it"
                + " deliberately. KeyShift never deletes it.");
        steps.add(stillUnderSource > 0
                ? stillUnderSource + " data key(s) are still under " + source + ": keep the " + source + " key file and"
                + " the " + source + " provider in the applications until they are migrated too."
                : "No data key the applications use is under " + source + " any more: once every application runs with"
                + " the " + (target == null ? "new" : target + "-only") + " settings"
                + (migration.strategy() == Strategy.REWRAP ? "" : " and the old keys are deleted")
                + ", retire the " + source + (source.startsWith("local") ? " key file" : " master key") + " (remove it"
                + " from the applications' configuration, then archive or destroy it deliberately).");
        otherUnfinished.forEach(other -> steps.add("Migration " + other.id() + " (" + other.strategy() + ", started "
                + other.createdAt() + " by " + other.createdBy() + ") is unfinished: continue it with `keyshift resume"
                + " --migration " + other.id() + "`, or end it with `keyshift abandon --migration " + other.id() + "`."));
        return new NextSteps(steps, stillUnderSource > 0, schema);
    }

    private static String schemaStep(MigrationRecord migration, Optional<SchemaOutcome> schema) {
        if (schema.isEmpty()) {
            return "No schema step is recorded for this migration: check the applications' schema map with `keyshift"
                    + " schema diff --migration " + migration.id() + " --schema-file FILE` and apply it.";
        }
        SchemaOutcome outcome = schema.get();
        if (!outcome.rewritten()) {
            return outcome.sentence() + (migration.strategy() == Strategy.REKEY ? " An application that names keys in its"
                    + " code must switch to the new keys (old → new in the report)." : "");
        }
        return outcome.sentence() + " Deploy it to every application that keeps its own copy of the schema map, so "
                + (migration.strategy() == Strategy.REKEY ? "new values are written under the new keys."
                : "the decrypted fields are written as plaintext.");
    }
}
