package io.keyshift.core.kms;

import io.keyshift.core.kms.CmkStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the health of a CMK that already holds data keys: kms:DescribeKey for its state and account,
 * kms:GetKeyRotationStatus, and, for an enabled key, one kms:Encrypt of a single byte to prove the
 * caller may use it. Creates nothing and never touches MongoDB. Blocks for a few seconds at most per
 * call (see {@link AwsClients}).
 */
public final class CmkInspection {

    private static final Logger LOG = LoggerFactory.getLogger(CmkInspection.class);
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");

    public CmkStatus inspect(AwsTarget target) {
        String keyText = target.cmk().text();
        String where = target.endpoint().orElse("AWS KMS in " + target.region());
        String arnAccount = target.cmk().account().orElse(null);
        try (KmsClient kms = AwsClients.kms(target)) {
            KeyMetadata key;
            try {
                key = kms.describeKey(request -> request.keyId(keyText)).keyMetadata();
            } catch (NotFoundException e) {
                LOG.info("kms:DescribeKey found no {}", keyText, e);
                return status(target, arnAccount, State.NOT_FOUND, null, null, null,
                        "KMS has no key " + keyText + " in " + target.region() + ": its data keys cannot be opened."
                        + " Check whether the key was deleted; restore the data keys from a backup if it was.", List.of());
            } catch (SdkException e) {
                LOG.warn("kms:DescribeKey of {} failed", keyText, e);
                return status(target, arnAccount, State.UNKNOWN, null, null, null, denied(e)
                        ? "The credentials may not call kms:DescribeKey on " + keyText + ", so its state is unknown:"
                          + " grant kms:DescribeKey to audit it."
                        : "kms:DescribeKey of " + keyText + " at " + where + " failed (details in the log): check the"
                          + " endpoint, the network and the credentials.", List.of());
            }
            State state = state(key);
            List<String> warnings = new ArrayList<>();
            Boolean rotation = rotation(kms, key, warnings);
            String account = key.awsAccountId() != null ? key.awsAccountId() : arnAccount;
            if (state != State.ENABLED) {
                return status(target, account, state, key, rotation, null, notEnabled(key, state), warnings);
            }
            boolean usable = encrypts(kms, key);
            return status(target, account, state, key, rotation, usable, usable ? null
                    : "The credentials may not encrypt with " + keyText + ": the applications and a migration need"
                      + " kms:Encrypt and kms:Decrypt on it.", warnings);
        }
    }

    private static CmkStatus status(AwsTarget target, String account, State state, KeyMetadata key, Boolean rotation,
                                    Boolean usable, String problem, List<String> warnings) {
        return new CmkStatus(target.cmk().text(), target.region(), target.endpoint().orElse(null), account, state,
                key == null ? null : key.deletionDate(), rotation, usable, problem, warnings);
    }

    private static State state(KeyMetadata key) {
        KeyState state = key.keyState() != null ? key.keyState()
                : Boolean.TRUE.equals(key.enabled()) ? KeyState.ENABLED : KeyState.DISABLED;
        return switch (state) {
            case ENABLED -> State.ENABLED;
            case DISABLED -> State.DISABLED;
            case PENDING_DELETION, PENDING_REPLICA_DELETION -> State.PENDING_DELETION;
            default -> State.OTHER;
        };
    }

    private static Boolean rotation(KmsClient kms, KeyMetadata key, List<String> warnings) {
        try {
            boolean enabled = kms.getKeyRotationStatus(request -> request.keyId(key.keyId())).keyRotationEnabled();
            if (!enabled) {
                warnings.add("Automatic rotation is off: turn it on (aws kms enable-key-rotation --key-id "
                        + key.keyId() + ") so the key material is renewed every year.");
            }
            return enabled;
        } catch (SdkException e) {
            LOG.info("kms:GetKeyRotationStatus of {} failed", key.keyId(), e);
            warnings.add(denied(e) ? "The credentials may not call kms:GetKeyRotationStatus, so whether rotation is on"
                    + " is unknown." : "Whether rotation is on is unknown: kms:GetKeyRotationStatus failed (details in the log).");
            return null;
        }
    }

    private static boolean encrypts(KmsClient kms, KeyMetadata key) {
        try {
            kms.encrypt(request -> request.keyId(key.arn()).plaintext(SdkBytes.fromByteArray(new byte[] {0})));
            return true;
        } catch (SdkException e) {
            LOG.info("kms:Encrypt with {} failed", key.arn(), e);
            return false;
        }
    }

    private static String notEnabled(KeyMetadata key, State state) {
        return switch (state) {
            case DISABLED -> "The key " + key.arn() + " is disabled: its data keys cannot be opened until it is enabled"
                    + " (aws kms enable-key --key-id " + key.keyId() + ").";
            case PENDING_DELETION -> "The key " + key.arn() + " is scheduled for deletion on "
                    + (key.deletionDate() == null ? "an unknown date"
                       : DateTimeFormatter.ISO_LOCAL_DATE.format(key.deletionDate().atOffset(ZoneOffset.UTC)))
                    + ": its data keys will be lost with it. Cancel the deletion (aws kms cancel-key-deletion --key-id "
                    + key.keyId() + ") or migrate the data keys to another master key first.";
            default -> "The key " + key.arn() + " is " + key.keyStateAsString() + ", not Enabled: its data keys"
                    + " cannot be opened now.";
        };
    }

    private static boolean denied(SdkException e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && DENIED.contains(service.awsErrorDetails().errorCode());
    }
}
