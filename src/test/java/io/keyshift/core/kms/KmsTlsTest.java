package io.keyshift.core.kms;

import io.keyshift.sandbox.TlsCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KmsTlsTest {

    /** How the test's KMS treats a connection after answering. */
    private enum Server { KEEPS_ALIVE, SAYS_CLOSE, CLOSES_WITHOUT_SAYING }

    private final TlsCertificates authority = TlsCertificates.newAuthority("KMS test CA");
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private SSLServerSocket listener;

    @AfterEach
    void stopServer() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void socketsForKmsCallsSendWithoutNaglesDelayAndKeepTheContextsSessionCache() throws Exception {
        SSLContext plain = SSLContext.getDefault();
        try (SSLSocket before = (SSLSocket) plain.getSocketFactory().createSocket()) {
            assertFalse(before.getTcpNoDelay(), "the JVM's sockets start with Nagle on");
        }
        SSLContext wrapped = KmsTls.wrap(plain);
        try (SSLSocket socket = (SSLSocket) wrapped.getSocketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
        assertSame(plain.getClientSessionContext(), wrapped.getClientSessionContext(),
                "resumed sessions must come from the one cache of the provider's context");
    }

    @Test
    void everyKmsProviderButLocalGetsAKmsContext() throws Exception {
        KmsProviders providers = new KmsProviders()
                .with(LocalProvider.of("local", LocalMasterKey.of(new byte[96]), Path.of("old.key")))
                .with(AwsProvider.of(AwsCredentialSource.entered("AKIAIOSFODNN7EXAMPLE", "secret".toCharArray(), null),
                        null, null));
        assertFalse(providers.sslContexts().containsKey("local"));
        try (SSLSocket socket = (SSLSocket) providers.sslContexts().get("aws").getSocketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
    }

    @Test
    void callsToAKmsThatKeepsConnectionsShareOneConnectionAndAnswersStayTheirOwn() throws Exception {
        eachCallGetsItsOwnAnswer(Server.KEEPS_ALIVE, 5);

        assertEquals(1, connections.get(), "five calls, one TLS connection");
        assertTrue(requestHeads.stream().noneMatch(head -> head.toLowerCase(Locale.ROOT).contains("connection:")),
                "the requests no longer ask the KMS to close: " + requestHeads);
    }

    @Test
    void aKmsThatClosesEveryConnectionStillAnswersEveryCall() throws Exception {
        eachCallGetsItsOwnAnswer(Server.SAYS_CLOSE, 3);

        assertEquals(3, connections.get());
    }

    @Test
    void aKeptConnectionTheKmsClosedMeanwhileIsReplacedAndTheCallIsAnsweredOnce() throws Exception {
        eachCallGetsItsOwnAnswer(Server.CLOSES_WITHOUT_SAYING, 3);

        assertEquals(3, requestHeads.size(), "each call reached the KMS exactly once");
    }

    /** Makes {@code calls} KMS calls, one after the other, to a KMS that behaves as {@code behaviour}. */
    private void eachCallGetsItsOwnAnswer(Server behaviour, int calls) throws Exception {
        SSLContext client = KmsTls.wrap(PemTrust.sslContext(PemTrust.trustManagers(authority.authorityCertificate())));
        int port = startServer(behaviour);
        for (int call = 0; call < calls; call++) {
            assertEquals("answer to call " + call, callAsTheDriverDoes(client, port, "call " + call));
        }
    }

    /**
     * What the driver does for one KMS call: an unconnected socket with host name verification, a read
     * timeout, connect, write libmongocrypt's request (which asks to close), read exactly the answer, close
     * the stream.
     */
    private static String callAsTheDriverDoes(SSLContext context, int port, String body) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST / HTTP/1.1\r\nConnection:close\r\nContent-Length:" + bytes.length
                + "\r\nHost:127.0.0.1\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        try (InputStream in = socket.getInputStream()) {
            Message answer = Message.read(in);
            return answer.body;
        }
    }

    private int startServer(Server behaviour) throws Exception {
        TlsCertificates.Issued certificate = authority.issueLoopbackServer();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(authority.authorityCertificate()), new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    connections.incrementAndGet();
                    Thread serving = new Thread(() -> serve(connection, behaviour));
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return listener.getLocalPort();
    }

    private void serve(Socket connection, Server behaviour) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                Message request = Message.read(in);
                if (request == null) {
                    return;
                }
                requestHeads.add(request.head);
                String answer = "answer to " + request.body;
                boolean close = behaviour != Server.KEEPS_ALIVE || request.head.toLowerCase(Locale.ROOT).contains("connection:close");
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n"
                        + (behaviour == Server.SAYS_CLOSE ? "Connection: close\r\n" : "") + "\r\n" + answer)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException dropped) {
            // The client went away.
        }
    }

    /** An HTTP message with a Content-Length, read exactly; null at the end of the stream. */
    private record Message(String head, String body) {
        static Message read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return new Message(text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
