package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.KmsTarget;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What a DBA asks {@link Migrations#plan} for, whatever the strategy; checked against {@link Bounds} when
 * built, so a front end refuses it before connecting. A strategy ignores the settings of the others.
 *
 * @param keyIds         the keys to move, or empty for every key under {@code sourceProvider}
 * @param target         where the keys go (REWRAP) or the new keys are made (REKEY); null for DECRYPT
 * @param chunkSize      REWRAP: keys per rewrapManyDataKey call
 * @param batchSize      REKEY and DECRYPT: documents per bulk write
 * @param workers        REKEY and DECRYPT: batches converted in parallel
 * @param moveAltNames   REKEY: move each old key's keyAltNames to its new key once verified
 * @param skipUnreadable REKEY and DECRYPT: leave values under keys no longer in the key vault as they are
 */
public record MigrationRequest(Strategy strategy, List<UUID> keyIds, String sourceProvider, KmsTarget target,
                               int chunkSize, int batchSize, int workers, boolean moveAltNames, boolean skipUnreadable,
                               Path backupFile) {

    public static final int DEFAULT_CHUNK = RewrapPlanner.DEFAULT_CHUNK;
    public static final int DEFAULT_BATCH = ValuePlanner.DEFAULT_BATCH;
    public static final int DEFAULT_WORKERS = ValuePlanner.DEFAULT_WORKERS;

    public MigrationRequest {
        keyIds = List.copyOf(keyIds);
        Bounds.requireChunk(chunkSize);
        Bounds.requireBatch(batchSize);
        Bounds.requireWorkers(workers);
        if (strategy != Strategy.DECRYPT && target == null) {
            throw new KeyShiftException(strategy + " moves the keys under a target master key: give the target provider"
                    + " and its key.");
        }
    }
}
