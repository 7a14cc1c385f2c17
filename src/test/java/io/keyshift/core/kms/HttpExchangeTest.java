package io.keyshift.core.kms;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpExchangeTest {

    private static final String SIGNED_HEAD = "POST / HTTP/1.1\r\n"
            + "Connection:close\r\n"
            + "Content-Length:13\r\n"
            + "Content-Type:application/x-amz-json-1.1\r\n"
            + "Host:kms.us-east-1.amazonaws.com\r\n"
            + "X-Amz-Date:20261206T063136Z\r\n"
            + "X-Amz-Target:TrentService.Encrypt\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIAX/20261206/us-east-1/kms/aws4_request, "
            + "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=ed2e\r\n\r\n";

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aWholeRequestLosesOnlyItsConnectionCloseLineAndKeepsEverySignedByte() {
        HttpExchange exchange = new HttpExchange();
        byte[] request = ascii(SIGNED_HEAD + "{\"KeyId\":\"k\"}");

        String sent = text(exchange.write(request, 0, request.length));

        assertEquals(SIGNED_HEAD.replace("Connection:close\r\n", "") + "{\"KeyId\":\"k\"}", sent);
        assertEquals(sent, text(exchange.sent()), "a second attempt sends exactly the same bytes");
    }

    @Test
    void aRequestWrittenInPiecesIsHeldUntilItsBodyIsWhole() {
        HttpExchange exchange = new HttpExchange();
        byte[] request = ascii(SIGNED_HEAD + "{\"KeyId\":\"k\"}");
        int cut = request.length - 5;

        assertEquals(0, exchange.write(request, 0, cut).length);
        String sent = text(exchange.write(request, cut, 5));

        assertTrue(sent.endsWith("{\"KeyId\":\"k\"}"));
        assertFalse(sent.contains("Connection"));
    }

    @Test
    void aKmipMessagePassesUnchangedAndItsConnectionIsNotKept() {
        HttpExchange exchange = new HttpExchange();
        byte[] ttlv = {0x42, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8};

        assertArrayEquals(ttlv, exchange.write(ttlv, 0, ttlv.length));
        byte[] answer = {0x42, 0x00, 0x7b, 0x01, 0x00, 0x00, 0x00, 0x00};
        exchange.received(answer, 0, answer.length);

        assertFalse(exchange.connectionReusable());
    }

    @Test
    void aConnectionIsKeptOnlyAfterTheWholeAnswerOfAServerThatKeepsIt() {
        byte[] request = ascii(SIGNED_HEAD + "{\"KeyId\":\"k\"}");

        HttpExchange whole = new HttpExchange();
        whole.write(request, 0, request.length);
        byte[] answer = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        whole.received(answer, 0, answer.length - 1);
        assertFalse(whole.connectionReusable(), "one byte of the body is still unread");
        whole.received(answer, answer.length - 1, 1);
        assertTrue(whole.connectionReusable());

        assertFalse(answered(request, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
        assertFalse(answered(request, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
        assertFalse(answered(request, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
        assertFalse(answered(request, "HTTP/1.1 200 OK\r\n\r\n{}"), "no length: the body ends with the connection");
    }

    @Test
    void aRequestThatNeverEndsGoesOutAsItIsBeforeReadingAndItsConnectionIsNotKept() {
        HttpExchange exchange = new HttpExchange();
        byte[] head = ascii("POST / HTTP/1.1\r\nContent-Length:100\r\n\r\n{}");

        assertEquals(0, exchange.write(head, 0, head.length).length);
        assertArrayEquals(head, exchange.flush());
        byte[] answer = ascii("HTTP/1.1 400 Bad\r\nContent-Length: 2\r\n\r\n{}");
        exchange.received(answer, 0, answer.length);

        assertFalse(exchange.connectionReusable());
    }

    private static boolean answered(byte[] request, String response) {
        HttpExchange exchange = new HttpExchange();
        exchange.write(request, 0, request.length);
        byte[] answer = ascii(response);
        exchange.received(answer, 0, answer.length);
        return exchange.connectionReusable();
    }
}
