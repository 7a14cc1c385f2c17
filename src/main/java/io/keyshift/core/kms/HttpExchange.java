package io.keyshift.core.kms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One request and its response on a KMS connection, followed closely enough to know whether the
 * connection can carry the next call. libmongocrypt writes {@code Connection: close} into every HTTP
 * request; a whole HTTP/1.1 request has that header line removed (HTTP/1.1 connections are persistent
 * by default), which no signature covers: AWS SigV4 signs content-length, content-type, host, x-amz-date
 * and x-amz-target, and Azure and GCP requests carry a bearer token. Anything else (a KMIP message, a
 * request that does not end) passes unchanged, and its connection is closed after use.
 */
final class HttpExchange {

    /** Bounds a request's or a response's head; KMS heads are a few hundred bytes. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private boolean passThrough;
    private boolean keepAliveAsked;

    private final ByteArrayOutputStream responseHead = new ByteArrayOutputStream();
    private long received;
    private boolean responseHeadDone;
    private boolean responseKeepsConnection;
    private long contentLength = -1;
    private long bodyReceived;

    /** Takes bytes the driver wrote; returns what to send now: nothing until a whole HTTP request is there. */
    byte[] write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        byte[] request = pending.toByteArray();
        if (!passThrough && !startsLikeHttp(request)) {
            passThrough = true; // a KMIP message
        }
        if (passThrough) {
            return release(request);
        }
        int headEnd = indexOf(request, HEAD_END);
        if (headEnd < 0) {
            if (request.length > MAX_HEAD_BYTES) {
                passThrough = true;
                return release(request);
            }
            return new byte[0];
        }
        String head = new String(request, 0, headEnd, StandardCharsets.ISO_8859_1);
        long bodyLength = requestBodyLength(head);
        if (bodyLength < 0) {
            passThrough = true;
            return release(request);
        }
        int bodyStart = headEnd + HEAD_END.length;
        if (request.length - bodyStart < bodyLength) {
            return new byte[0];
        }
        StringBuilder kept = new StringBuilder();
        for (String line : head.split("\r\n", -1)) {
            if (!headerName(line).equals("connection")) {
                kept.append(line).append("\r\n");
            }
        }
        kept.append("\r\n");
        keepAliveAsked = true;
        byte[] newHead = kept.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] rewritten = Arrays.copyOf(newHead, newHead.length + request.length - bodyStart);
        System.arraycopy(request, bodyStart, rewritten, newHead.length, request.length - bodyStart);
        return release(rewritten);
    }

    /** What the driver wrote and was not sent yet; it goes as it is, and the connection will not be kept. */
    byte[] flush() {
        if (pending.size() == 0) {
            return new byte[0];
        }
        passThrough = true;
        return release(pending.toByteArray());
    }

    /** Everything sent so far: what a second attempt on a fresh connection sends again. */
    byte[] sent() {
        return sent.toByteArray();
    }

    /** Follows the response's bytes as the driver reads them. */
    void received(byte[] bytes, int offset, int length) {
        received += length;
        if (responseHeadDone) {
            bodyReceived += length;
            return;
        }
        responseHead.write(bytes, offset, length);
        byte[] head = responseHead.toByteArray();
        int headEnd = indexOf(head, HEAD_END);
        if (headEnd < 0) {
            if (head.length > MAX_HEAD_BYTES) {
                passThrough = true;
            }
            return;
        }
        responseHeadDone = true;
        bodyReceived = head.length - headEnd - HEAD_END.length;
        readResponseHead(new String(head, 0, headEnd, StandardCharsets.ISO_8859_1));
        responseHead.reset();
    }

    boolean nothingReceived() {
        return received == 0;
    }

    /** True when the request asked to keep the connection, the server agreed, and the whole response was read. */
    boolean connectionReusable() {
        return keepAliveAsked && !passThrough && responseHeadDone && responseKeepsConnection
                && contentLength >= 0 && bodyReceived == contentLength;
    }

    private byte[] release(byte[] bytes) {
        pending.reset();
        sent.writeBytes(bytes);
        return bytes;
    }

    /** The body length a request head announces; -1 when it is not a plain HTTP/1.1 request KeyShift can follow. */
    private static long requestBodyLength(String head) {
        String[] lines = head.split("\r\n", -1);
        if (!lines[0].endsWith(" HTTP/1.1")) {
            return -1;
        }
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            String name = headerName(lines[i]);
            if (name.equals("transfer-encoding")) {
                return -1;
            }
            if (name.equals("content-length")) {
                length = parseLength(headerValue(lines[i]));
            }
        }
        return length;
    }

    private void readResponseHead(String head) {
        String[] lines = head.split("\r\n", -1);
        String[] status = lines[0].split(" ", 3);
        boolean http11 = status.length >= 2 && status[0].equals("HTTP/1.1") && !status[1].startsWith("1");
        boolean closes = false;
        for (int i = 1; i < lines.length; i++) {
            String name = headerName(lines[i]);
            String value = headerValue(lines[i]).toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                contentLength = parseLength(value);
            } else if (name.equals("connection") && value.contains("close")) {
                closes = true;
            } else if (name.equals("transfer-encoding")) {
                closes = true; // chunked bodies are not followed; such a connection is closed after use
            }
        }
        responseKeepsConnection = http11 && !closes;
    }

    private static String headerName(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    }

    private static String headerValue(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An HTTP method (upper-case letters) then a space; a KMIP message starts with a tag: 0x42 then 0x00. */
    private static boolean startsLikeHttp(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8); i++) {
            if (bytes[i] == ' ') {
                return i > 0;
            }
            if (bytes[i] < 'A' || bytes[i] > 'Z') {
                return false;
            }
        }
        return bytes.length < 8;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
