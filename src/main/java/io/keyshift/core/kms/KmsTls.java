package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The TLS context KeyShift hands the driver for a KMS. The driver opens one connection per KMS call, and
 * libmongocrypt asks the KMS to close it after answering, so every call paid a TCP and TLS handshake: most
 * of the client's CPU in a REWRAP went to handshake key exchanges. Here an HTTP KMS call's connection is kept
 * alive and the next call to the same endpoint reuses it ({@link ReusableKmsSocket}); sockets send without
 * Nagle's delay, whose ~40 ms wait for a delayed ACK was most of a fresh call's time. Trust, client
 * certificates, protocols and the session cache stay the wrapped context's own.
 */
final class KmsTls {

    /** Idle connections per wrapped context, so every ClientEncryption built on one provider's context shares them. */
    private static final Map<SSLContext, KmsConnectionPool> POOLS = Collections.synchronizedMap(new WeakHashMap<>());

    private KmsTls() {
    }

    /** {@code context} with KMS connections kept alive and reused, and TCP_NODELAY on every socket. */
    static SSLContext wrap(SSLContext context) {
        KmsConnectionPool pool = POOLS.computeIfAbsent(context, unused -> new KmsConnectionPool());
        return new SSLContext(new Spi(context, pool), context.getProvider(), context.getProtocol()) {
        };
    }

    /** The JVM's default context (its default trust), wrapped as {@link #wrap} does. */
    static SSLContext wrapDefault() {
        try {
            return wrap(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new KeyShiftException("Could not set up TLS for the KMS (" + e.getMessage()
                    + "): check the Java installation's security providers.", e);
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final KmsConnectionPool pool;

        Spi(SSLContext delegate, KmsConnectionPool pool) {
            this.delegate = delegate;
            this.pool = pool;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            throw new IllegalStateException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new KmsSocketFactory(delegate.getSocketFactory(), pool);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }
    }

    /**
     * The driver asks for an unconnected socket and connects it itself: that one is reusable. The other
     * shapes are not used for KMS calls and get plain sockets, Nagle off.
     */
    private static final class KmsSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final KmsConnectionPool pool;

        KmsSocketFactory(SSLSocketFactory delegate, KmsConnectionPool pool) {
            this.delegate = delegate;
            this.pool = pool;
        }

        static Socket noDelay(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return new ReusableKmsSocket(() -> (SSLSocket) noDelay(delegate.createSocket()), pool);
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(socket, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
