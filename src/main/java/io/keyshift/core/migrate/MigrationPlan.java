package io.keyshift.core.migrate;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.schema.EncryptedField;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What a migration of any strategy will do, computed by {@link Migrations#plan} without writing anything. */
public sealed interface MigrationPlan permits RewrapPlan, ValuePlan {

    Strategy strategy();

    String sourceProvider();

    List<DataKey> keys();

    List<UUID> keyIds();

    Path backupFile();

    /** Where the keys go; null for DECRYPT. */
    MigrationRecord.Target target();

    /**
     * The same plan going to the target as its checks settled it ({@link KmsCheckReport#targetToUse}): a KMIP
     * key the check had the server create is named, so every key goes under that one key.
     */
    MigrationPlan toCheckedTarget(KmsTarget checked);

    /** The plan in sentences, as the CLI prints it and the wizard shows it. */
    List<String> describe();

    /** Encrypted values it rewrites: none for REWRAP, which touches no document. */
    long values();

    /** The fields whose schema rules DECRYPT removes; empty for the other strategies. */
    Set<EncryptedField> decryptedFields();

    /** The application cutover, in order, with the kmsProviders to deploy before the run. */
    default List<String> cutover() {
        return Cutover.describe(strategy(), sourceProvider(), target());
    }
}
