package io.keyshift.core.kms;

import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The socket the driver gets for one KMS call. Connecting takes a live idle connection to the same
 * endpoint from the pool when there is one; closing gives the connection back when its exchange is
 * complete and both sides keep it ({@link HttpExchange}), and closes it otherwise. A reused connection
 * the KMS has meanwhile closed fails before any byte of an answer: the request then goes once more on a
 * fresh connection, which is what the driver would have opened anyway. A read that times out is not
 * sent again: the KMS may be working on it.
 */
final class ReusableKmsSocket extends SSLSocket {

    /** Opens an unconnected socket of the wrapped context. */
    interface Opener {
        SSLSocket open() throws IOException;
    }

    private final Opener opener;
    private final KmsConnectionPool pool;
    private final HttpExchange exchange = new HttpExchange();
    private final InputStream input = new ResponseStream();
    private final OutputStream output = new RequestStream();
    private SSLSocket socket;
    private boolean reused;
    private boolean released;
    private SSLParameters parameters;
    private int readTimeout;
    private SocketAddress endpoint;
    private int connectTimeout;
    private String endpointKey;

    ReusableKmsSocket(Opener opener, KmsConnectionPool pool) throws IOException {
        this.opener = opener;
        this.pool = pool;
        this.socket = opener.open();
    }

    @Override
    public void connect(SocketAddress address, int timeout) throws IOException {
        endpoint = address;
        connectTimeout = timeout;
        endpointKey = address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : null;
        SSLSocket idle = endpointKey == null ? null : pool.take(endpointKey);
        if (idle == null) {
            socket.connect(address, timeout);
            return;
        }
        socket.close(); // the unconnected one opened for this call
        idle.setSoTimeout(readTimeout);
        socket = idle;
        reused = true;
    }

    @Override
    public void connect(SocketAddress address) throws IOException {
        connect(address, 0);
    }

    /**
     * Sends the request again on a fresh connection when the reused one turned out closed: only while no
     * byte of an answer has come, so the KMS cannot have answered it.
     */
    private boolean retriedOnFreshConnection() throws IOException {
        if (!reused || !exchange.nothingReceived()) {
            return false;
        }
        KmsConnectionPool.closeQuietly(socket);
        reused = false;
        socket = opener.open();
        if (parameters != null) {
            socket.setSSLParameters(parameters);
        }
        socket.setSoTimeout(readTimeout);
        socket.connect(endpoint, connectTimeout);
        socket.getOutputStream().write(exchange.sent());
        return true;
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (endpointKey != null && exchange.connectionReusable() && socket.isConnected() && !socket.isClosed()) {
            pool.give(endpointKey, socket);
        } else {
            KmsConnectionPool.closeQuietly(socket);
        }
    }

    private final class RequestStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            send(exchange.write(bytes, offset, length));
        }

        @Override
        public void flush() throws IOException {
            send(exchange.flush());
            socket.getOutputStream().flush();
        }

        @Override
        public void close() {
            release();
        }
    }

    private void send(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        try {
            socket.getOutputStream().write(bytes);
        } catch (IOException closed) {
            if (!retriedOnFreshConnection()) {
                throw closed;
            }
        }
    }

    private final class ResponseStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            send(exchange.flush());
            int count;
            try {
                count = socket.getInputStream().read(bytes, offset, length);
            } catch (SocketTimeoutException slow) {
                throw slow;
            } catch (IOException closed) {
                if (!retriedOnFreshConnection()) {
                    throw closed;
                }
                count = socket.getInputStream().read(bytes, offset, length);
            }
            if (count < 0 && retriedOnFreshConnection()) {
                count = socket.getInputStream().read(bytes, offset, length);
            }
            if (count > 0) {
                exchange.received(bytes, offset, count);
            }
            return count;
        }

        @Override
        public int available() throws IOException {
            return socket.getInputStream().available();
        }

        @Override
        public void close() {
            release();
        }
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public boolean isClosed() {
        return released || socket.isClosed();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        socket.bind(local);
    }

    @Override
    public void shutdownInput() throws IOException {
        released = true;
        socket.close();
    }

    @Override
    public void shutdownOutput() throws IOException {
        released = true;
        socket.close();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        readTimeout = timeout;
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return socket.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters sslParameters) {
        parameters = sslParameters;
        socket.setSSLParameters(sslParameters);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return socket.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return socket.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        socket.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return socket.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return socket.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        socket.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return socket.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return socket.getHandshakeSession();
    }

    @Override
    public String getApplicationProtocol() {
        return socket.getApplicationProtocol();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        socket.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        socket.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void startHandshake() throws IOException {
        socket.startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        socket.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return socket.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        socket.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return socket.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        socket.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return socket.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        socket.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return socket.getEnableSessionCreation();
    }

    @Override
    public String toString() {
        return "KMS connection to " + endpointKey + (reused ? " (reused)" : "");
    }
}
