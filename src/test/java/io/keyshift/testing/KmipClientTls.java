package io.keyshift.testing;

import io.keyshift.core.kms.PemTrust;
import io.keyshift.sandbox.SandboxInfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A TLS context presenting the sandbox's KMIP client certificate and trusting only the sandbox CA. */
public final class KmipClientTls {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private KmipClientTls() {
    }

    public static SSLContext sslContext(SandboxInfo.Kmip kmip) throws Exception {
        byte[] pem = Files.readAllBytes(kmip.clientCertFile());
        Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        Matcher key = PKCS8.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!key.find()) {
            throw new IllegalStateException(kmip.clientCertFile() + " holds no PKCS#8 private key");
        }
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(key.group(1))));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", privateKey, new char[0], new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), PemTrust.trustManagers(kmip.caFile()), null);
        return context;
    }
}
