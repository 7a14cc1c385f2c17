package io.keyshift.testing;

import io.keyshift.core.kms.PemTrust;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.sandbox.TlsCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS server on 127.0.0.1 in front of the sandbox's moto, injecting the faults MongoDB's own driver
 * tests inject into KMS traffic. Requests are relayed byte for byte (the Host header is signed), each
 * over a TLS connection to moto that trusts the sandbox CA. A test arms faults with {@link #arm(Fault)},
 * chooses the certificate presented to clients with {@link #present(Presented)}, and counts requests
 * per action with {@link #requests(String)}.
 */
public final class KmsFaultProxy implements AutoCloseable {

    /** The certificate the proxy shows to new connections; all are issued by {@link #caFile()}'s CA. */
    public enum Presented { VALID, EXPIRED, WRONG_HOST }

    /** What to do to a request instead of relaying it (a stall relays it afterwards). */
    public enum Kind { DROP_CONNECTION, STALL, STATUS, THROTTLING }

    /**
     * A fault for the next {@code times} matching requests (all of them when negative), matching one
     * action such as {@code Encrypt} or {@code GetCallerIdentity}, or any when {@code action} is null;
     * only every {@code period}-th matching request is faulted (1: each one).
     */
    public record Fault(Kind kind, int status, Duration stall, int times, String action, int period) {

        public static Fault dropConnection() {
            return new Fault(Kind.DROP_CONNECTION, 0, Duration.ZERO, -1, null, 1);
        }

        public static Fault stall(Duration duration) {
            return new Fault(Kind.STALL, 0, duration, -1, null, 1);
        }

        /** An HTTP error status such as 429, 500 or 503, with a small JSON body. */
        public static Fault status(int status) {
            return new Fault(Kind.STATUS, status, Duration.ZERO, -1, null, 1);
        }

        /** AWS's way of throttling: 400 with a ThrottlingException body. */
        public static Fault throttling() {
            return new Fault(Kind.THROTTLING, 400, Duration.ZERO, -1, null, 1);
        }

        public Fault forNext(int requests) {
            return new Fault(kind, status, stall, requests, action, period);
        }

        public Fault onlyFor(String awsAction) {
            return new Fault(kind, status, stall, times, awsAction, period);
        }

        /** Faults every {@code n}-th matching request and relays the others: {@code 2} is a link losing half its requests. */
        public Fault everyNth(int n) {
            return new Fault(kind, status, stall, times, action, n);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(KmsFaultProxy.class);
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    private static final Pattern CHUNKED = Pattern.compile("(?im)^transfer-encoding:\\s*chunked\\s*$");
    private static final Pattern CONNECTION_CLOSE = Pattern.compile("(?im)^connection:\\s*close\\s*$");
    private static final Pattern TARGET = Pattern.compile("(?im)^x-amz-target:\\s*[A-Za-z0-9_]+\\.([A-Za-z]+)\\s*$");
    private static final Pattern FORM_ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
    private static final Set<Integer> NO_BODY = Set.of(204, 304);

    private final ServerSocket server;
    private final Map<Presented, SSLContext> certificates;
    private final Path caFile;
    private final String upstreamHost;
    private final int upstreamPort;
    private final SSLContext upstreamTls;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "kms-fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ArmedFault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private volatile Presented presented = Presented.VALID;

    private KmsFaultProxy(String upstreamEndpoint, Path upstreamCaFile, Path dir) throws IOException {
        TlsCertificates authority = TlsCertificates.newAuthority("KeyShift KMS fault proxy CA");
        Instant now = Instant.now();
        List<String> loopback = List.of("127.0.0.1", "localhost");
        certificates = new EnumMap<>(Map.of(
                Presented.VALID, serverTls(authority, authority.issueLoopbackServer()),
                Presented.EXPIRED, serverTls(authority, authority.issueServer(loopback,
                        now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))),
                Presented.WRONG_HOST, serverTls(authority, authority.issueServer(List.of("kms.wrong-host.invalid"),
                        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))))));
        caFile = dir.resolve("kms-fault-proxy-ca.pem");
        TlsCertificates.writePem(caFile, authority.authorityCertificate());
        String[] hostAndPort = upstreamEndpoint.split(":");
        upstreamHost = hostAndPort[0];
        upstreamPort = Integer.parseInt(hostAndPort[1]);
        upstreamTls = PemTrust.sslContext(upstreamCaFile);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy in front of the stack's moto; its CA file is written into {@code dir}. */
    public static KmsFaultProxy start(SandboxInfo.Aws aws, Path dir) {
        return start(aws.endpoint(), aws.caFile(), dir);
    }

    /**
     * Starts a proxy in front of any TLS KMS at {@code host:port} whose certificate {@code caFile}'s CA
     * issued, such as the sandbox's Azure or GCP emulator; its CA file is written into {@code dir}.
     */
    public static KmsFaultProxy start(String upstreamEndpoint, Path upstreamCaFile, Path dir) {
        try {
            return new KmsFaultProxy(upstreamEndpoint, upstreamCaFile, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}, as given to KeyShift's endpoint field. */
    public String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The PEM file of the CA that issued every certificate the proxy presents. */
    public Path caFile() {
        return caFile;
    }

    public void arm(Fault fault) {
        faults.add(new ArmedFault(fault, new AtomicInteger(fault.times()), new AtomicInteger()));
    }

    public void present(Presented certificate) {
        presented = certificate;
    }

    /** Removes every fault and presents the valid certificate again. */
    public void reset() {
        faults.clear();
        presented = Presented.VALID;
    }

    /** How many requests for an AWS action (e.g. {@code Encrypt}) arrived, faulted or not. */
    public int requests(String action) {
        AtomicInteger count = requestCounts.get(action);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the fault proxy's server socket failed", e);
        }
        openSockets.forEach(KmsFaultProxy::closeQuietly);
        threads.shutdownNow();
    }

    private record ArmedFault(Fault fault, AtomicInteger remaining, AtomicInteger matched) {

        /** Claims this fault for one request, if it matches, is its turn and is not used up. */
        boolean claim(String action) {
            if (fault.action() != null && !fault.action().equals(action)) {
                return false;
            }
            if (matched.incrementAndGet() % fault.period() != 0) {
                return false;
            }
            return fault.times() < 0 || remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("The fault proxy could not accept a connection", e);
                }
            }
        }
    }

    private void serve(Socket raw) {
        Upstream upstream = null;
        try (SSLSocket client = (SSLSocket) certificates.get(presented).getSocketFactory()
                .createSocket(raw, null, raw.getPort(), true)) {
            openSockets.add(client);
            client.setUseClientMode(false);
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                Optional<Message> request = Message.read(fromClient, false);
                if (request.isEmpty()) {
                    return;
                }
                String action = request.get().action();
                requestCounts.computeIfAbsent(action, key -> new AtomicInteger()).incrementAndGet();
                Optional<Fault> fault = faults.stream().filter(armed -> armed.claim(action)).findFirst()
                        .map(ArmedFault::fault);
                if (fault.isPresent() && !injected(fault.get(), toClient)) {
                    return;
                }
                if (fault.isEmpty() || fault.get().kind() == Kind.STALL) {
                    if (upstream == null) {
                        upstream = connectUpstream();
                    }
                    upstream.out().write(request.get().bytes());
                    upstream.out().flush();
                    Optional<Message> response = Message.read(upstream.in(), true);
                    if (response.isEmpty()) {
                        return;
                    }
                    toClient.write(response.get().bytes());
                    toClient.flush();
                    if (response.get().closesConnection()) {
                        return;
                    }
                }
                if (request.get().closesConnection()) {
                    return;
                }
            }
        } catch (IOException e) {
            // Clients refusing the certificate, or timing out during a stall, end up here by design.
            LOG.debug("Fault proxy connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(raw);
            if (upstream != null) {
                closeQuietly(upstream.socket());
            }
        }
    }

    /** Applies a fault; returns false when the connection is to be dropped. */
    private static boolean injected(Fault fault, OutputStream toClient) throws IOException, InterruptedException {
        switch (fault.kind()) {
            case DROP_CONNECTION -> {
                return false;
            }
            case STALL -> Thread.sleep(fault.stall().toMillis());
            case THROTTLING -> respond(toClient, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
            case STATUS -> respond(toClient, fault.status(),
                    "{\"__type\":\"InjectedFault\",\"message\":\"HTTP " + fault.status() + " from the fault proxy\"}");
        }
        return true;
    }

    private static void respond(OutputStream out, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Injected\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "x-amzn-RequestId: fault-proxy\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** A connection to moto, verified against the sandbox CA and moto's host name. */
    private record Upstream(Socket socket, InputStream in, OutputStream out) {
    }

    private Upstream connectUpstream() throws IOException {
        SSLSocket socket = (SSLSocket) upstreamTls.getSocketFactory().createSocket(upstreamHost, upstreamPort);
        openSockets.add(socket);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return new Upstream(socket, new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
    }

    private static SSLContext serverTls(TlsCertificates authority, TlsCertificates.Issued issued) {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(issued.keyStore(authority.authorityCertificate()), new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not set up the fault proxy's TLS", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing a fault proxy socket failed", e);
        }
    }

    /** One HTTP/1.1 message, kept as the exact bytes read so it can be relayed unchanged. */
    private record Message(String head, byte[] bytes, byte[] body) {

        /** Reads a message, or returns empty when the peer closed the connection between messages. */
        static Optional<Message> read(InputStream in, boolean response) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            String head = readHead(in, raw);
            if (head == null) {
                return Optional.empty();
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Matcher length = CONTENT_LENGTH.matcher(head);
            if (length.find()) {
                copy(in, Integer.parseInt(length.group(1)), raw, body);
            } else if (CHUNKED.matcher(head).find()) {
                copyChunks(in, raw, body);
            } else if (response && !NO_BODY.contains(status(head))) {
                in.transferTo(new TeeStream(raw, body));
            }
            return Optional.of(new Message(head, raw.toByteArray(), body.toByteArray()));
        }

        boolean closesConnection() {
            return CONNECTION_CLOSE.matcher(head).find();
        }

        /**
         * The AWS action: from X-Amz-Target (JSON protocols such as KMS) or the form body (query protocols
         * such as STS); for Azure and GCP the operation ending the path: {@code token}, {@code wrapkey},
         * {@code unwrapkey}, {@code encrypt}, {@code decrypt}.
         */
        String action() {
            Matcher target = TARGET.matcher(head);
            if (target.find()) {
                return target.group(1);
            }
            Matcher form = FORM_ACTION.matcher(new String(body, StandardCharsets.UTF_8));
            if (form.find()) {
                return form.group(1);
            }
            String[] requestLine = head.split(" ", 3);
            String path = requestLine.length > 1 ? requestLine[1].replaceFirst("\\?.*$", "") : "";
            return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':')) + 1);
        }

        private static String readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
            StringBuilder head = new StringBuilder();
            int next;
            while ((next = in.read()) != -1) {
                raw.write(next);
                head.append((char) next);
                if (next == '\n' && head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            if (head.length() > 0) {
                throw new IOException("Connection closed in the middle of an HTTP head");
            }
            return null;
        }

        private static int status(String head) {
            String[] statusLine = head.split(" ", 3);
            return statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : 0;
        }

        private static void copy(InputStream in, int count, OutputStream... outs) throws IOException {
            byte[] bytes = in.readNBytes(count);
            if (bytes.length < count) {
                throw new IOException("Connection closed in the middle of an HTTP body");
            }
            for (OutputStream out : outs) {
                out.write(bytes);
            }
        }

        private static void copyChunks(InputStream in, ByteArrayOutputStream raw, ByteArrayOutputStream body)
                throws IOException {
            while (true) {
                String sizeLine = readLine(in, raw);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in, raw);
                    } while (!trailer.isEmpty());
                    return;
                }
                copy(in, size, raw, body);
                readLine(in, raw);
            }
        }

        private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
            StringBuilder line = new StringBuilder();
            int next;
            while ((next = in.read()) != -1) {
                raw.write(next);
                if (next == '\n') {
                    return line.toString().replace("\r", "");
                }
                line.append((char) next);
            }
            throw new IOException("Connection closed in the middle of a chunked body");
        }
    }

    /** Writes to two streams at once. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }
    }
}
