package io.keyshift.core.cluster;

import io.keyshift.core.KeyShiftException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Builds a TLS context from the PEM files MongoDB tools use: a CA file and a certificate+key file. */
final class TlsFiles {

    private TlsFiles() {
    }

    static SSLContext sslContext(Path caFile, Path clientCertificateKeyFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            KeyManagerFactory keys = null;
            if (clientCertificateKeyFile != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] noPassword = new char[0];
                keys.init(clientKeyStore(clientCertificateKeyFile, noPassword), noPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("Could not set up TLS from the given certificate files: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(caFile)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyShiftException("Could not read the CA file " + caFile + " (" + e.getMessage()
                    + "): it must hold PEM certificates.", e);
        }
        if (cas.isEmpty()) {
            throw new KeyShiftException("The CA file " + caFile + " holds no certificate: it must hold PEM certificates.");
        }
        KeyStore store = emptyKeyStore();
        int index = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("ca-" + index++, ca);
        }
        return store;
    }

    private static KeyStore clientKeyStore(Path file, char[] password) throws GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(certificates.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
                } else if (item instanceof PEMKeyPair pair) {
                    key = converter.getKeyPair(pair).getPrivate();
                } else if (item instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the client certificate file " + file + " (" + e.getMessage()
                    + "): it must hold a PEM certificate and its unencrypted private key.", e);
        }
        if (chain.isEmpty() || key == null) {
            throw new KeyShiftException("The client certificate file " + file + " must hold a PEM certificate and"
                    + " its unencrypted private key; found " + chain.size() + " certificate(s) and "
                    + (key == null ? "no" : "a") + " private key.");
        }
        KeyStore store = emptyKeyStore();
        store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }
}
