package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Trust in a private CA given as a PEM file (a company CA, the sandbox's CA): only the certificates
 * in the file are trusted, never "trust all".
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** Trust managers that accept exactly the chains ending at a certificate of the PEM file. */
    public static TrustManager[] trustManagers(Path pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new KeyShiftException("The CA file " + pemFile + " does not exist: give the PEM file of the"
                    + " certificate authority that signed the server's certificate.", e);
        } catch (IOException e) {
            throw new KeyShiftException("Could not read the CA file " + pemFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("The CA file " + pemFile + " holds no readable PEM certificate: "
                    + e.getMessage() + ". Give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----).", e);
        }
        if (certificates.isEmpty()) {
            throw new KeyShiftException("The CA file " + pemFile + " holds no certificate."
                    + " Give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----).");
        }
        return trustManagers(certificates.toArray(Certificate[]::new));
    }

    /** Trust managers that accept exactly the chains ending at one of the given certificates. */
    public static TrustManager[] trustManagers(Certificate... authorities) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.length; i++) {
                store.setCertificateEntry("ca-" + i, authorities[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyShiftException("Could not set up trust in the given CA: " + e.getMessage(), e);
        }
    }

    /** A TLS context trusting only the CA of the PEM file. */
    public static SSLContext sslContext(Path pemFile) {
        return sslContext(trustManagers(pemFile));
    }

    /** A TLS context trusting what the given trust managers trust. */
    public static SSLContext sslContext(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("Could not set up TLS with the given CA (" + e.getMessage()
                    + "): check the Java installation's security providers.", e);
        }
    }
}
