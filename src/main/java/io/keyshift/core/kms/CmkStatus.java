package io.keyshift.core.kms;

import java.time.Instant;
import java.util.List;

/**
 * What the audit learned about one AWS CMK that holds data keys.
 *
 * @param key             the key ARN or alias as the data keys store it
 * @param account         the key's account, from KMS or from its ARN; null when neither tells
 * @param deletionDate    when a key pending deletion will be deleted; null otherwise
 * @param rotationEnabled whether automatic rotation is on; null when KMS would not tell
 * @param usable          whether the caller could encrypt with it; null when not tried (the key is not enabled)
 * @param problem         a sentence when the key cannot serve its data keys; null when it can
 * @param warnings        sentences about what is not a problem yet (rotation off or unknown)
 */
public record CmkStatus(String key,
                        String region,
                        String endpoint,
                        String account,
                        State state,
                        Instant deletionDate,
                        Boolean rotationEnabled,
                        Boolean usable,
                        String problem,
                        List<String> warnings) {

    /** The key's state as KMS reports it, or why it is unknown. */
    public enum State { ENABLED, DISABLED, PENDING_DELETION, NOT_FOUND, OTHER, UNKNOWN }

    public CmkStatus {
        warnings = List.copyOf(warnings);
    }

    public boolean healthy() {
        return problem == null;
    }
}
