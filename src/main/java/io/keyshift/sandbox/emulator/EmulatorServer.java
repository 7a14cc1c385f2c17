package io.keyshift.sandbox.emulator;

import io.keyshift.core.KeyShiftException;
import org.bson.Document;
import org.bson.json.JsonParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTPS/1.1 server on a free loopback port answering JSON, keeping connections alive as Azure and Google do, with the
 * server certificate of the given key store (the sandbox issues one from its CA). It is written on plain TLS sockets because libmongocrypt reads the
 * {@code Content-Length} header case-sensitively, and the JDK's HttpServer sends it as {@code Content-length}.
 * The emulators route requests themselves and throw {@link Refusal} for an error answer.
 */
final class EmulatorServer implements AutoCloseable {

    /** One request, as an emulator sees it. */
    record Request(String method, String path, String query, String authorization, String body) {
    }

    /** The emulator's answer to a request. */
    interface Handler {
        Document handle(Request request);
    }

    /** An error answer: the HTTP status and the JSON body the real service would send. */
    static final class Refusal extends RuntimeException {
        final int status;
        final Document body;

        Refusal(int status, Document body) {
            super(body.toJson(), null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorServer.class);
    /** Bounds a request's head and body: libmongocrypt's requests are a few kilobytes. */
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    /** Closes a connection no request comes on for this long, as the real services close idle ones. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final Handler handler;
    private final SSLServerSocket socket;
    private final ExecutorService executor;

    private EmulatorServer(String name, Handler handler, SSLServerSocket socket) {
        this.name = name;
        this.handler = handler;
        this.socket = socket;
        // A thread per open connection: a kept connection holds its thread until the client closes it or goes quiet.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts serving; {@code tlsKeyStore} holds the server's certificate chain and key, with an empty password. */
    static EmulatorServer start(String name, KeyStore tlsKeyStore, Handler handler) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(tlsKeyStore, new char[0]);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            EmulatorServer server = new EmulatorServer(name, handler, socket);
            Thread acceptor = new Thread(server::acceptConnections, name + " acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyShiftException("Could not start the " + name + " on loopback: " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:PORT}, as a masterKey or kmsProviders endpoint names it. */
    String endpoint() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void acceptConnections() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                executor.execute(() -> serve(connection));
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("The {} could not accept a connection", name, e);
            }
        }
    }

    /** Serves requests on one connection until the client closes it or asks to, as the real services do. */
    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            while (serveOne(in, connection.getOutputStream())) {
                LOG.trace("The {} keeps a connection for the next request", name);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("The {} dropped a connection", name, e);
        }
    }

    /** Answers one request; false when the connection is to be closed (or the client closed it). */
    private boolean serveOne(InputStream in, OutputStream out) throws IOException {
        in.mark(1);
        if (in.read() < 0) {
            return false;
        }
        in.reset();
        String[] requestLine = line(in).split(" ");
        String authorization = null;
        int contentLength = 0;
        boolean keepAlive = requestLine.length == 3 && requestLine[2].equals("HTTP/1.1");
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String field = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (field.equals("content-length")) {
                contentLength = Integer.parseInt(value);
            } else if (field.equals("authorization")) {
                authorization = value;
            } else if (field.equals("connection") && value.toLowerCase(Locale.ROOT).contains("close")) {
                keepAlive = false;
            }
        }
        if (requestLine.length != 3 || contentLength < 0 || contentLength > MAX_REQUEST_BYTES) {
            respond(out, 400, new Document("error", "malformed request"), false);
            return false;
        }
        String body = new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
        String target = requestLine[1];
        int question = target.indexOf('?');
        Request request = new Request(requestLine[0], question < 0 ? target : target.substring(0, question),
                question < 0 ? null : target.substring(question + 1), authorization, body);
        respond(out, request, keepAlive);
        return keepAlive;
    }

    private void respond(OutputStream out, Request request, boolean keepAlive) throws IOException {
        try {
            respond(out, 200, handler.handle(request), keepAlive);
        } catch (Refusal refusal) {
            respond(out, refusal.status, refusal.body, keepAlive);
        } catch (JsonParseException e) {
            respond(out, 400, new Document("error", new Document("code", 400).append("message", "The body is not JSON: "
                    + e.getMessage())), keepAlive);
        } catch (RuntimeException e) {
            LOG.warn("The {} failed on {} {}", name, request.method(), request.path(), e);
            respond(out, 500, new Document("error", new Document("code", 500).append("message", "internal error of the emulator")),
                    keepAlive);
        }
    }

    private static void respond(OutputStream out, int status, Document body, boolean keepAlive) throws IOException {
        byte[] bytes = body.toJson().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Error") + "\r\n"
                + "Content-Type: application/json; charset=UTF-8\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** One CRLF-terminated line of the request head. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > MAX_REQUEST_BYTES) {
                throw new IOException("the request head ended early");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("The {} did not close cleanly", name, e);
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
