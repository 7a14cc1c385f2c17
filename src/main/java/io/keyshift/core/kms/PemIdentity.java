package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS client identity read from one PEM file holding a certificate (and any intermediates) and its
 * unencrypted private key, as KMIP servers hand them out. Private keys are read as PKCS#8
 * ({@code PRIVATE KEY}) or as PKCS#1 RSA ({@code RSA PRIVATE KEY}, which is PKCS#8 without its header).
 */
final class PemIdentity {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** DER of the PKCS#8 AlgorithmIdentifier for RSA: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private PemIdentity() {
    }

    /** Key managers presenting the file's certificate, refusing with a sentence what the file lacks. */
    static KeyManager[] keyManagers(Path file) {
        byte[] content = read(file);
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            PrivateKey key = null;
            Matcher block = BLOCK.matcher(new AsciiView(content));
            while (block.find()) {
                String type = block.group(1);
                switch (type) {
                    case "CERTIFICATE" -> certificates.add(certificate(file, decode(file, type, content, block.start(2), block.end(2))));
                    case "PRIVATE KEY" -> key = privateKey(file, decode(file, type, content, block.start(2), block.end(2)));
                    case "RSA PRIVATE KEY" -> key = privateKey(file, pkcs8OfRsa(decode(file, type, content, block.start(2), block.end(2))));
                    case "ENCRYPTED PRIVATE KEY" -> throw new KeyShiftException("The private key in " + file
                            + " is encrypted, and KeyShift reads unencrypted keys only (kept in an owner-only file):"
                            + " decrypt it with openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out key-pkcs8.pem and put"
                            + " that key in the file beside the certificate.");
                    default -> {
                        if (type.endsWith("PRIVATE KEY")) {
                            throw new KeyShiftException("The private key in " + file + " is in the " + type
                                    + " format, which KeyShift does not read: convert it with openssl pkcs8 -topk8"
                                    + " -nocrypt -in KEY.pem -out key-pkcs8.pem and put that key (BEGIN PRIVATE KEY)"
                                    + " in the file beside the certificate.");
                        }
                    }
                }
            }
            if (certificates.isEmpty()) {
                throw new KeyShiftException("The client certificate file " + file + " holds no certificate"
                        + " (-----BEGIN CERTIFICATE-----): give one PEM file with the client certificate and its"
                        + " private key, e.g. cat client.crt client.key > client.pem.");
            }
            if (key == null) {
                throw new KeyShiftException("The client certificate file " + file + " holds no private key"
                        + " (-----BEGIN PRIVATE KEY-----): give one PEM file with the client certificate and its"
                        + " private key, e.g. cat client.crt client.key > client.pem.");
            }
            return keyManagers(file, key, chainFor(file, key, certificates));
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyShiftException("The client certificate file " + file + " does not exist: give the PEM file"
                    + " holding KeyShift's client certificate and its private key.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the client certificate file " + file + " (" + e.getMessage()
                    + "): check that it exists and that you may read it.", e);
        }
    }

    /** Decodes the base64 between {@code start} and {@code end} of {@code content}, leaving no copy of it behind. */
    private static byte[] decode(Path file, String type, byte[] content, int start, int end) {
        byte[] base64 = Arrays.copyOfRange(content, start, end);
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new KeyShiftException("The " + type + " block in " + file + " is not valid base64 ("
                    + e.getMessage() + "): export the file again.");
        } finally {
            Arrays.fill(base64, (byte) 0);
        }
    }

    /**
     * The file's bytes as characters without copying them into a String, which could not be wiped: the
     * private key's base64 is only ever read from the byte array this wraps.
     */
    private record AsciiView(byte[] bytes, int start, int end) implements CharSequence {

        AsciiView(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[start + index] & 0x7f);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new AsciiView(bytes, start + from, start + to);
        }

        /** The characters themselves, as Matcher.group needs; called for a block's type only. */
        @Override
        public String toString() {
            return new String(bytes, start, length(), StandardCharsets.US_ASCII);
        }
    }

    private static X509Certificate certificate(Path file, byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("A certificate in " + file + " cannot be read (" + e.getMessage()
                    + "): export the client certificate again in PEM form.", e);
        }
    }

    private static PrivateKey privateKey(Path file, byte[] pkcs8) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        try {
            for (String algorithm : KEY_ALGORITHMS) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException otherAlgorithm) {
                    // the next algorithm may read it
                }
            }
            throw new KeyShiftException("The private key in " + file + " is not an RSA, EC or EdDSA key that Java"
                    + " can read: give the client certificate's RSA or EC key in PKCS#8 form (BEGIN PRIVATE KEY).");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: SEQUENCE { INTEGER 0, RSA algorithm, OCTET STRING }. */
    private static byte[] pkcs8OfRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        Arrays.fill(pkcs1, (byte) 0);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(0x30);
        info.writeBytes(derLength(body.size()));
        byte[] bodyBytes = body.toByteArray();
        info.writeBytes(bodyBytes);
        Arrays.fill(bodyBytes, (byte) 0);
        return info.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] encoded = new byte[bytes + 1];
        encoded[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            encoded[bytes - i] = (byte) (length >>> (8 * i));
        }
        return encoded;
    }

    /** The certificate the key belongs to first, then the others (its chain) in file order. */
    private static X509Certificate[] chainFor(Path file, PrivateKey key, List<X509Certificate> certificates) {
        X509Certificate own = certificates.stream().filter(certificate -> belongsTo(key, certificate)).findFirst()
                .orElseThrow(() -> new KeyShiftException("The private key in " + file + " does not belong to its"
                        + " certificate (" + certificates.get(0).getSubjectX500Principal().getName() + "): put the"
                        + " key that was issued with this certificate in the file."));
        List<X509Certificate> chain = new ArrayList<>(certificates);
        chain.remove(own);
        chain.add(0, own);
        return chain.toArray(X509Certificate[]::new);
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyManager[] keyManagers(Path file, PrivateKey key, X509Certificate[] chain) {
        try {
            // The password only satisfies the KeyStore API: the store never leaves memory.
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, password, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyShiftException("Could not use the client certificate in " + file + " for TLS ("
                    + e.getMessage() + "): check that it is an RSA or EC certificate with its key.", e);
        }
    }
}
