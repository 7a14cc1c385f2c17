package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kmip} provider: a KMIP server (HashiCorp Vault Enterprise, Thales, Fortanix, PyKMIP …) at
 * HOST:PORT, reached over TLS with a client certificate. The server's certificate is checked against a
 * CA file; the client certificate and its private key come from one PEM file.
 */
public final class KmipProvider implements KmsProvider {

    /** The KMIP port registered with IANA, which the drivers use when none is given. */
    public static final int DEFAULT_PORT = 5696;

    private static final Pattern ENDPOINT =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:([0-9]{1,5}))?");

    private final String name;
    private final String host;
    private final int port;
    private final Path caFile;
    private final Path clientCertificateFile;
    private final SSLContext sslContext;

    private KmipProvider(String name, String host, int port, Path caFile, Path clientCertificateFile,
                         SSLContext sslContext) {
        this.name = ProviderType.KMIP.requireProviderName(name);
        this.host = host;
        this.port = port;
        this.caFile = caFile;
        this.clientCertificateFile = clientCertificateFile;
        this.sslContext = sslContext;
    }

    /**
     * Validates the endpoint and reads both files, refusing with a sentence saying what to fix.
     *
     * @param endpoint              {@code HOST:PORT}; the port defaults to {@value #DEFAULT_PORT}
     * @param caFile                PEM of the CA that signed the KMIP server's certificate
     * @param clientCertificateFile PEM holding KeyShift's client certificate and its unencrypted private key
     */
    public static KmipProvider of(String endpoint, Path caFile, Path clientCertificateFile) {
        String text = endpoint == null ? "" : endpoint.strip();
        Matcher matcher = ENDPOINT.matcher(text);
        if (!matcher.matches()) {
            throw new KeyShiftException(text.isEmpty()
                    ? "No KMIP endpoint was given: give the KMIP server as HOST:PORT, such as kmip.example.com:5696."
                    : "The KMIP endpoint \"" + text + "\" is not HOST:PORT: give it such as kmip.example.com:5696.");
        }
        int port = matcher.group(4) == null ? DEFAULT_PORT : Integer.parseInt(matcher.group(4));
        if (port < 1 || port > 65535) {
            throw new KeyShiftException("The KMIP endpoint's port " + port + " is not between 1 and 65535.");
        }
        if (caFile == null) {
            throw new KeyShiftException("No CA file was given for the KMIP server: give the PEM file of the"
                    + " certificate authority that signed its certificate.");
        }
        if (clientCertificateFile == null) {
            throw new KeyShiftException("No client certificate was given for the KMIP server: give one PEM file"
                    + " with KeyShift's client certificate and its private key.");
        }
        TrustManager[] trust = PemTrust.trustManagers(caFile);
        KeyManager[] identity = PemIdentity.keyManagers(clientCertificateFile);
        return new KmipProvider(ProviderType.KMIP.wireName(), matcher.group(1), port, caFile, clientCertificateFile,
                sslContext(identity, trust));
    }

    private static SSLContext sslContext(KeyManager[] identity, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new KeyShiftException("Could not set up TLS with the client certificate (" + e.getMessage()
                    + "): check the Java installation's security providers.", e);
        }
    }

    /** {@code HOST:PORT}, the port always written out. */
    public String endpoint() {
        return host + ":" + port;
    }

    /** The host as the TLS certificate must name it (an IPv6 address keeps its brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Path caFile() {
        return caFile;
    }

    public Path clientCertificateFile() {
        return clientCertificateFile;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.KMIP;
    }

    @Override
    public Map<String, Object> kmsProviderEntry() {
        Map<String, Object> entry = new HashMap<>();
        entry.put("endpoint", endpoint());
        return entry;
    }

    @Override
    public Optional<Supplier<Map<String, Object>>> credentials() {
        return Optional.empty();
    }

    /** Trusts only the CA file and presents the client certificate. */
    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.of(sslContext);
    }

    @Override
    public KmipProvider named(String otherName) {
        return new KmipProvider(otherName, host, port, caFile, clientCertificateFile, sslContext);
    }

    @Override
    public String describe() {
        return name + " (" + endpoint() + ")";
    }

    /** The private key lives inside the TLS context, which Java cannot wipe; there is nothing else to release. */
    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "KmipProvider[" + describe() + ", client certificate " + clientCertificateFile + "]";
    }
}
