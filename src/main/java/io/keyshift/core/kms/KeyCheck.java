package io.keyshift.core.kms;

import java.util.UUID;

/** The preflight verdict for one data key, with the reason when it is not OK. */
public record KeyCheck(UUID keyId, String provider, Outcome outcome, String reason) {

    public enum Outcome {
        /** The key's material decrypted under the master key and a probe value round-tripped. */
        OK,
        /** The key did not decrypt: migrating it would fail or lose data. */
        FAILS,
        /** Not checked: a local-key preflight met a key of another provider. */
        SKIPPED
    }
}
