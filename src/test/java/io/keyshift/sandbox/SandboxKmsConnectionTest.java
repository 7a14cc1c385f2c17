package io.keyshift.sandbox;

import io.keyshift.core.kms.PemTrust;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's AWS KMS keeps an HTTPS connection open between signed requests, as AWS KMS does, and
 * closes it after answering a client that asks for that (libmongocrypt sends {@code Connection: close}).
 */
@ExtendWith(StackExtension.class)
class SandboxKmsConnectionTest {

    @Test
    void twoSignedEncryptsAreAnsweredOverOneTlsConnection(TestStack stack) throws Exception {
        try (SSLSocket socket = connect(stack)) {
            Response first = exchange(socket, encrypt(stack, "first", Map.of()));
            Response second = exchange(socket, encrypt(stack, "second", Map.of()));

            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.header("connection")).isNotEqualToIgnoringCase("close");
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"CiphertextBlob\"", stack.info().aws().cmkArn());
            assertThat(second.body()).contains("\"CiphertextBlob\"", stack.info().aws().cmkArn());
        }
    }

    /**
     * More connections than the emulator has worker threads, each kept open between two requests: an
     * idle connection holds no thread, and none is closed for lack of room (a client with this many
     * KMS calls in flight keeps them all).
     */
    @Test
    void twentyConnectionsStayOpenBetweenRequestsAtOnce(TestStack stack) throws Exception {
        List<SSLSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SSLSocket socket = connect(stack);
                sockets.add(socket);
                assertThat(exchange(socket, encrypt(stack, "first " + i, Map.of())).status()).isEqualTo(200);
            }
            for (SSLSocket socket : sockets) {
                Response again = exchange(socket, encrypt(stack, "again", Map.of()));

                assertThat(again.status()).as(again.body()).isEqualTo(200);
                assertThat(again.header("connection")).isNotEqualToIgnoringCase("close");
            }
        } finally {
            for (SSLSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aClientThatAsksForConnectionCloseIsAnsweredAndDisconnected(TestStack stack) throws Exception {
        try (SSLSocket socket = connect(stack)) {
            Response response = exchange(socket, encrypt(stack, "once", Map.of("Connection", "close")));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"CiphertextBlob\"");
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    private static SSLSocket connect(TestStack stack) throws IOException {
        URI endpoint = URI.create("https://" + stack.info().aws().endpoint());
        SSLSocket socket = (SSLSocket) PemTrust.sslContext(stack.info().aws().caFile()).getSocketFactory()
                .createSocket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** A KMS Encrypt under the sandbox CMK, signed with the migrator's credentials. */
    private static byte[] encrypt(TestStack stack, String plaintext, Map<String, String> extraHeaders) {
        SandboxInfo.Aws aws = stack.info().aws();
        String body = "{\"KeyId\":\"" + aws.cmkArn() + "\",\"Plaintext\":\""
                + Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8)) + "\"}";
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + aws.endpoint() + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "TrentService.Encrypt");
        extraHeaders.forEach(unsigned::putHeader);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(request -> request
                .identity(AwsCredentialsIdentity.create(aws.migrator().accessKeyId(), aws.migrator().secretAccessKey()))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, aws.region())).request();
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        if (signed.firstMatchingHeader("Host").isEmpty()) {
            head.append("Host: ").append(aws.endpoint()).append("\r\n");
        }
        signed.forEachHeader((name, values) -> values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(payload);
        return request.toByteArray();
    }

    private static Response exchange(SSLSocket socket, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = socket.getInputStream();
        List<String> head = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            head.add(line);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        head.subList(1, head.size()).forEach(line -> {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        });
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Response(Integer.parseInt(head.get(0).split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("The KMS emulator closed the connection before its response was complete; read: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }
}
