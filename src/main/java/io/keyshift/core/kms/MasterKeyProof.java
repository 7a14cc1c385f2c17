package io.keyshift.core.kms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Proves that a data key document's key material opens with its master key, without the key being in
 * any key vault (a backup's key, before it is written back). Returns the reason when it does not.
 *
 * <p>Local master keys wrap key material as libmongocrypt does: IV (16 bytes), AES-256-CBC ciphertext,
 * then the first 32 bytes of an HMAC-SHA-512 over the IV, the ciphertext and the 64-bit length of the
 * (empty) associated data; the master key's first 32 bytes are the MAC key, the next 32 the AES key.
 * AWS key material is a KMS ciphertext blob, opened by KMS Decrypt with the CMK it names.
 */
public final class MasterKeyProof {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyProof.class);
    private static final int IV_LENGTH = 16;
    private static final int TAG_LENGTH = 32;
    private static final int DATA_KEY_LENGTH = 96;

    private MasterKeyProof() {
    }

    /** Empty when {@code keyMaterial} authenticates and unwraps to a 96-byte data key under {@code masterKey}. */
    public static Optional<String> opensWithLocalKey(LocalMasterKey masterKey, byte[] keyMaterial) {
        if (keyMaterial.length < IV_LENGTH + 16 + TAG_LENGTH) {
            return Optional.of("its key material is too short to be a wrapped data key");
        }
        Map<String, Object> properties = masterKey.kmsProviderProperties();
        byte[] key = (byte[]) properties.get("key");
        byte[] unwrapped = null;
        try {
            int cipherEnd = keyMaterial.length - TAG_LENGTH;
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, 0, 32, "HmacSHA512"));
            mac.update(keyMaterial, 0, cipherEnd);
            mac.update(new byte[Long.BYTES]);
            byte[] tag = Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(keyMaterial, cipherEnd, keyMaterial.length))) {
                return Optional.of("its key material does not authenticate under this local master key (HMAC check"
                        + " failed): the material was changed, or the key file is not the one it was made with");
            }
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 32, 32, "AES"), new IvParameterSpec(keyMaterial, 0, IV_LENGTH));
            unwrapped = aes.doFinal(keyMaterial, IV_LENGTH, cipherEnd - IV_LENGTH);
            return unwrapped.length == DATA_KEY_LENGTH ? Optional.empty()
                    : Optional.of("its key material unwraps to " + unwrapped.length + " bytes, not a 96-byte data key");
        } catch (GeneralSecurityException e) {
            LOG.info("Local key material did not unwrap: {}", e.toString());
            return Optional.of("its key material does not unwrap under this local master key");
        } finally {
            LocalMasterKey.wipe(properties);
            if (unwrapped != null) {
                Arrays.fill(unwrapped, (byte) 0);
            }
        }
    }

    /** Empty when KMS decrypts {@code keyMaterial} with the target's CMK to a 96-byte data key. */
    public static Optional<String> opensWithAws(AwsTarget target, byte[] keyMaterial) {
        try (KmsClient kms = AwsClients.kms(target)) {
            byte[] unwrapped = kms.decrypt(request -> request.keyId(target.cmk().text())
                    .ciphertextBlob(SdkBytes.fromByteArray(keyMaterial))).plaintext().asByteArray();
            int length = unwrapped.length;
            Arrays.fill(unwrapped, (byte) 0);
            return length == DATA_KEY_LENGTH ? Optional.empty()
                    : Optional.of("KMS decrypts its key material to " + length + " bytes, not a 96-byte data key");
        } catch (SdkException e) {
            LOG.info("KMS did not decrypt the key material with {}", target.cmk(), e);
            return Optional.of("KMS did not decrypt its key material with " + target.cmk().text() + " in "
                    + target.region() + " (" + e.getMessage() + ")");
        }
    }
}
