package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.files.OwnerOnlyFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A throwaway certificate authority for the sandbox's TLS endpoints, and the server certificates it
 * issues. Clients trust the CA's PEM file, exactly as a DBA would trust a private CA.
 */
public final class TlsCertificates {

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {

        /** A key store holding this certificate (and its issuer) for a TLS server. */
        public KeyStore keyStore(X509Certificate issuer) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keyPair.getPrivate(), new char[0],
                        new Certificate[] {certificate, issuer});
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new KeyShiftException("Could not build a TLS key store: " + e.getMessage(), e);
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued authority;

    private TlsCertificates(Issued authority) {
        this.authority = authority;
    }

    /** A new CA, valid from an hour ago for ten years. */
    public static TlsCertificates newAuthority(String commonName) {
        KeyPair keyPair = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TlsCertificates(new Issued(sign(builder, keyPair), keyPair));
        } catch (IOException e) {
            throw new KeyShiftException("Could not create the sandbox certificate authority: " + e.getMessage(), e);
        }
    }

    public X509Certificate authorityCertificate() {
        return authority.certificate();
    }

    /** A server certificate for the given DNS names and IP addresses, valid in [notBefore, notAfter]. */
    public Issued issueServer(List<String> hosts, Instant notBefore, Instant notAfter) {
        KeyPair keyPair = newKeyPair();
        try {
            GeneralName[] names = hosts.stream()
                    .map(host -> isIpAddress(host)
                            ? new GeneralName(GeneralName.iPAddress, host)
                            : new GeneralName(GeneralName.dNSName, host))
                    .toArray(GeneralName[]::new);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + hosts.get(0)), keyPair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new Issued(sign(builder, authority.keyPair()), keyPair);
        } catch (IOException e) {
            throw new KeyShiftException("Could not issue a TLS certificate: " + e.getMessage(), e);
        }
    }

    /** A server certificate for localhost and 127.0.0.1, valid from an hour ago for a year. */
    public Issued issueLoopbackServer() {
        Instant now = Instant.now();
        return issueServer(List.of("localhost", "127.0.0.1"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
    }

    /**
     * A client certificate for TLS client authentication (extended key usage clientAuth, which PyKMIP
     * requires), named by a single common name, valid from an hour ago for a year.
     */
    public Issued issueClient(String commonName) {
        KeyPair keyPair = newKeyPair();
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name("CN=" + commonName), keyPair.getPublic())
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new Issued(sign(builder, authority.keyPair()), keyPair);
        } catch (IOException e) {
            throw new KeyShiftException("Could not issue a TLS client certificate: " + e.getMessage(), e);
        }
    }

    /** A private key in PKCS#8 PEM ("PRIVATE KEY"), the form every TLS stack reads, for {@link #writePem}. */
    public static PemObjectGenerator pkcs8(PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null);
        } catch (PemGenerationException e) {
            throw new KeyShiftException("Could not encode a private key: " + e.getMessage(), e);
        }
    }

    /** Writes certificates, keys and {@link #pkcs8} keys as PEM to an owner-only file. */
    public static void writePem(Path file, Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new KeyShiftException("Could not encode " + file + ": " + e.getMessage(), e);
        }
        try {
            OwnerOnlyFiles.write(file, text.toString());
        } catch (IOException e) {
            throw new KeyShiftException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new KeyShiftException("Could not sign a TLS certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("Could not generate a TLS key: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static boolean isIpAddress(String host) {
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":");
    }
}
