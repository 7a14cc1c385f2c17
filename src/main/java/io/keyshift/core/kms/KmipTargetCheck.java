package io.keyshift.core.kms;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.vault.DataKeyOptions;
import com.mongodb.client.model.vault.EncryptOptions;
import com.mongodb.client.vault.ClientEncryption;
import io.keyshift.core.kms.KmsCheck.Status;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of a KMIP target: a TLS handshake presenting the client certificate, then the key found (or
 * created by the server when no key id is given) and a wrap/unwrap round trip. KeyShift has no KMIP
 * client of its own, so the last two go through the driver, exactly as the migration will: a data key is
 * created in a KeyShift-owned scratch collection next to the key vault, used, and deleted again.
 */
final class KmipTargetCheck {

    static final KmsCheck.Name TLS = new KmsCheck.Name("tls", "TLS with the client certificate");
    static final KmsCheck.Name KEY = new KmsCheck.Name("key", "Key found or created");
    static final KmsCheck.Name ROUND_TRIP = new KmsCheck.Name("round_trip", "Wrap + unwrap round trip");
    /** Where the scratch data key goes: beside the key vault, never in it. */
    static final String SCRATCH_COLLECTION = "keyshift_kms_checks";

    private static final Logger LOG = LoggerFactory.getLogger(KmipTargetCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TLS13_ALERT_WAIT = Duration.ofSeconds(1);
    private static final BsonString PROBE = new BsonString("keyshift kmip check");
    private static final String PROBE_ALGORITHM = "AEAD_AES_256_CBC_HMAC_SHA_512-Deterministic";

    private final MongoClientSettings keyVaultClientSettings;
    private final MongoNamespace scratch;

    KmipTargetCheck(MongoClientSettings keyVaultClientSettings, MongoNamespace keyVault) {
        this.keyVaultClientSettings = keyVaultClientSettings;
        this.scratch = new MongoNamespace(keyVault.getDatabaseName(), SCRATCH_COLLECTION);
    }

    KmsCheckReport run(KmsTarget target) {
        KmipProvider kmip = (KmipProvider) target.provider();
        List<KmsCheck> checks = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("endpoint", kmip.endpoint());
        details.put("keyId", target.masterKey().containsKey("keyId")
                ? target.masterKey().getString("keyId").getValue() : null);
        TlsOutcome tls = handshake(kmip);
        checks.add(tls.check());
        if (tls.check().status() != Status.OK) {
            checks.add(new KmsCheck(KEY, Status.SKIPPED, "Not run: the TLS connection failed."));
            checks.add(new KmsCheck(ROUND_TRIP, Status.SKIPPED, "Not run: the TLS connection failed."));
            return new KmsCheckReport(kmip.name(), target.describe(), tls.reachable(), checks, details);
        }
        try (MongoClient client = MongoClients.create(keyVaultClientSettings)) {
            MongoCollection<BsonDocument> keys = client.getDatabase(scratch.getDatabaseName())
                    .getCollection(scratch.getCollectionName(), BsonDocument.class);
            keyAndRoundTrip(target, kmip, keys, checks, details);
        }
        return new KmsCheckReport(kmip.name(), target.describe(), true, checks, details);
    }

    record TlsOutcome(KmsCheck check, boolean reachable) {
    }

    static TlsOutcome handshake(KmipProvider kmip) {
        String endpoint = kmip.endpoint();
        String host = kmip.host().replaceAll("^\\[|]$", "");
        try (SSLSocket socket = (SSLSocket) kmip.sslContext().orElseThrow().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, kmip.port()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            awaitRefusalOfTheClientCertificate(socket);
            return new TlsOutcome(new KmsCheck(TLS, Status.OK, "Connected to " + endpoint + " over "
                    + socket.getSession().getProtocol() + ": the server's certificate is signed by the CA in "
                    + kmip.caFile() + " and the server accepted the client certificate."), true);
        } catch (IOException e) {
            LOG.warn("TLS handshake with the KMIP server {} failed", endpoint, e);
            return explain(kmip, e);
        }
    }

    /**
     * In TLS 1.3 the client's certificate reaches the server after the handshake has completed on the
     * client's side, so a server that refuses it answers with an alert (or closes) only afterwards; a
     * short read catches that. A server that accepts it stays silent, as KMIP servers wait for a request.
     */
    private static void awaitRefusalOfTheClientCertificate(SSLSocket socket) throws IOException {
        if (!"TLSv1.3".equals(socket.getSession().getProtocol())) {
            return;
        }
        socket.setSoTimeout((int) TLS13_ALERT_WAIT.toMillis());
        try {
            if (socket.getInputStream().read() < 0) {
                throw new EOFException("the server closed the connection after the handshake");
            }
        } catch (SocketTimeoutException silent) {
            // no alert: the server accepted the certificate
        }
    }

    private static TlsOutcome explain(KmipProvider kmip, IOException e) {
        String endpoint = kmip.endpoint();
        if (e instanceof UnknownHostException) {
            return unreachable("The host " + kmip.host() + " is not known: check the KMIP endpoint.");
        }
        if (e instanceof ConnectException) {
            return unreachable("Could not connect to " + endpoint + " (connection refused): check the endpoint and"
                    + " that the KMIP server is running.");
        }
        if (e instanceof SocketTimeoutException) {
            return unreachable(endpoint + " did not answer within " + TIMEOUT.toSeconds() + " seconds: check the"
                    + " endpoint, the network, and any firewall in between.");
        }
        if (hasCause(e, CertificateExpiredException.class)) {
            return failed("The KMIP server's certificate at " + endpoint + " has expired: have it renewed, or check"
                    + " that the endpoint is the right one.");
        }
        if (hasCause(e, CertPathBuilderException.class) || hasCause(e, CertPathValidatorException.class)) {
            return failed("The KMIP server's certificate at " + endpoint + " is not signed by the CA in "
                    + kmip.caFile() + ": give the PEM file of the CA that signed the server's certificate.");
        }
        if (hasCause(e, CertificateException.class)) {
            return failed("The KMIP server's certificate at " + endpoint + " was issued for another host name than "
                    + kmip.host() + ": use the host name in the server's certificate as the endpoint.");
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("bad_certificate") || message.contains("certificate_unknown")
                || message.contains("unknown_ca") || message.contains("certificate_required")
                || message.contains("access_denied")) {
            return failed("The KMIP server at " + endpoint + " refused KeyShift's client certificate ("
                    + message + "): have the server trust the certificate in " + kmip.clientCertificateFile()
                    + " (or its CA), or give the client certificate the server was set up with.");
        }
        if (e instanceof SSLHandshakeException || e instanceof EOFException || e instanceof SocketException
                || hasCause(e, EOFException.class)) {
            return failed("The KMIP server at " + endpoint + " closed the TLS connection when KeyShift presented its"
                    + " client certificate: most likely it does not trust the certificate in "
                    + kmip.clientCertificateFile() + ". Have the server trust it (or its CA), or give the client"
                    + " certificate the server was set up with.");
        }
        if (e instanceof SSLException) {
            return failed("TLS with the KMIP server at " + endpoint + " failed (" + message + "): check that the"
                    + " endpoint is a KMIP server speaking TLS 1.2 or later.");
        }
        return unreachable("Could not reach " + endpoint + " (" + message + "): check the endpoint and the network.");
    }

    private static TlsOutcome unreachable(String sentence) {
        return new TlsOutcome(new KmsCheck(TLS, Status.FAIL, sentence), false);
    }

    private static TlsOutcome failed(String sentence) {
        return new TlsOutcome(new KmsCheck(TLS, Status.FAIL, sentence), true);
    }

    /**
     * Creates the scratch data key (the server finds the given key, or creates one), reads which key
     * wrapped it, and round-trips a probe through a second ClientEncryption, which has to unwrap the data
     * key through the KMIP server again; then deletes the scratch key whatever happened.
     */
    private void keyAndRoundTrip(KmsTarget target, KmipProvider kmip, MongoCollection<BsonDocument> keys,
                                 List<KmsCheck> checks, Map<String, String> details) {
        BsonBinary id = null;
        try (KmsProviders providers = new KmsProviders().with(kmip)) {
            String keyId;
            try (ClientEncryption encryption = ClientEncryptions.create(keyVaultClientSettings, scratch, providers)) {
                id = encryption.createDataKey(kmip.name(), new DataKeyOptions().masterKey(target.masterKey()));
                BsonDocument written = keys.find(Filters.eq("_id", id)).first();
                keyId = written == null ? "?" : written.getDocument("masterKey").getString("keyId").getValue();
                if (written != null) { // the migration uses the key named here (KmsCheckReport#targetToUse)
                    details.put("keyId", keyId);
                }
                checks.add(new KmsCheck(KEY, Status.OK, target.masterKey().containsKey("keyId")
                        ? "The KMIP server holds key " + keyId + " and wrapped a data key with it."
                        : "The KMIP server created key " + keyId + " and wrapped a data key with it: the migration"
                          + " will use this one key for every data key (give it as the key id from now on)."));
            } catch (MongoTimeoutException | MongoSocketException unreachableCluster) {
                throw unreachableCluster;
            } catch (MongoException e) {
                LOG.warn("createDataKey through the KMIP server {} failed", kmip.endpoint(), e);
                checks.add(new KmsCheck(KEY, Status.FAIL, keySentence(target, kmip, e)));
                checks.add(new KmsCheck(ROUND_TRIP, Status.SKIPPED, "Not run: no data key could be wrapped."));
                return;
            }
            checks.add(roundTrip(providers, id, keyId));
        } finally {
            if (id != null) {
                keys.deleteOne(Filters.eq("_id", id));
                if (keys.countDocuments() == 0) {
                    keys.drop();
                }
            }
        }
    }

    private KmsCheck roundTrip(KmsProviders providers, BsonBinary id, String keyId) {
        String wrote = " (KeyShift wrote one scratch data key to " + scratch.getFullName() + " for this check and"
                + " removed it; the key vault was not touched)";
        try (ClientEncryption encrypting = ClientEncryptions.create(keyVaultClientSettings, scratch, providers);
             ClientEncryption decrypting = ClientEncryptions.create(keyVaultClientSettings, scratch, providers)) {
            BsonBinary ciphertext = encrypting.encrypt(PROBE, new EncryptOptions(PROBE_ALGORITHM).keyId(id));
            if (!PROBE.equals(decrypting.decrypt(ciphertext))) {
                return new KmsCheck(ROUND_TRIP, Status.FAIL, "A probe value did not decrypt back to itself through"
                        + " key " + keyId + ": the KMIP server is not returning the key it stored" + wrote + ".");
            }
            return new KmsCheck(ROUND_TRIP, Status.OK, "Unwrapped the data key through the server again and"
                    + " encrypted and decrypted a probe value with it" + wrote + ".");
        } catch (MongoTimeoutException | MongoSocketException unreachableCluster) {
            throw unreachableCluster;
        } catch (MongoException e) {
            LOG.warn("The KMIP round trip with key {} failed", keyId, e);
            return new KmsCheck(ROUND_TRIP, Status.FAIL, "The data key wrapped with key " + keyId + " did not unwrap"
                    + " again (" + e.getMessage() + "): check that the client certificate may read the key on the"
                    + " KMIP server" + wrote + ".");
        }
    }

    private static String keySentence(KmsTarget target, KmipProvider kmip, MongoException e) {
        String message = String.valueOf(e.getMessage());
        if (target.masterKey().containsKey("keyId")) {
            String keyId = target.masterKey().getString("keyId").getValue();
            return "The KMIP server at " + kmip.endpoint() + " did not let KeyShift use key " + keyId + " (" + message
                    + "): check the key id and that the client certificate may read it, or give no key id to have"
                    + " the server create a key.";
        }
        return "The KMIP server at " + kmip.endpoint() + " did not create a key for KeyShift (" + message
                + "): check that the client certificate may register objects on it, or give the id of a key it"
                + " already holds.";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
