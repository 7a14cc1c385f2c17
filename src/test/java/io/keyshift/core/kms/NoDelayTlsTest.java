package io.keyshift.core.kms;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoDelayTlsTest {

    @Test
    void socketsForKmsCallsSendWithoutNaglesDelayAndKeepTheContextsSessionCache() throws Exception {
        SSLContext plain = SSLContext.getDefault();
        try (SSLSocket before = (SSLSocket) plain.getSocketFactory().createSocket()) {
            assertFalse(before.getTcpNoDelay(), "the JVM's sockets start with Nagle on");
        }
        SSLContext wrapped = NoDelayTls.wrap(plain);
        try (SSLSocket socket = (SSLSocket) wrapped.getSocketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
        assertSame(plain.getClientSessionContext(), wrapped.getClientSessionContext(),
                "resumed sessions must come from the one cache of the provider's context");
    }

    @Test
    void everyKmsProviderButLocalGetsANoDelayContext() throws Exception {
        KmsProviders providers = new KmsProviders()
                .with(LocalProvider.of("local", LocalMasterKey.of(new byte[96]), Path.of("old.key")))
                .with(AwsProvider.of(AwsCredentialSource.entered("AKIAIOSFODNN7EXAMPLE", "secret".toCharArray(), null),
                        null, null));
        assertFalse(providers.sslContexts().containsKey("local"));
        try (SSLSocket socket = (SSLSocket) providers.sslContexts().get("aws").getSocketFactory().createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
    }
}
