package io.keyshift.core.kms;

import org.bson.Document;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The few REST calls the Azure and GCP target checks make themselves (token, key metadata, a round
 * trip), over TLS with the provider's trust. The drivers' own calls go through libmongocrypt instead.
 */
final class KmsRest {

    /** An answer: its HTTP status and its JSON body (empty when the body was not JSON). */
    record Response(int status, Document json) {
        boolean ok() {
            return status == 200;
        }

        /** A string field at a dotted path, such as {@code error.message}; empty when absent. */
        String text(String path) {
            Object value = json;
            for (String part : path.split("\\.")) {
                value = value instanceof Document document ? document.get(part) : null;
            }
            return value == null ? "" : value.toString();
        }
    }

    /** No answer at all: the host is wrong, unreachable, or its certificate is not trusted. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;

    KmsRest(Optional<SSLContext> sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1);
        sslContext.ifPresent(builder::sslContext);
        client = builder.build();
    }

    Response postForm(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    Response postJson(String url, String bearerToken, Document body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearerToken)
                .POST(HttpRequest.BodyPublishers.ofString(body.toJson())));
    }

    Response get(String url, String bearerToken) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearerToken).GET());
    }

    private Response send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = client.send(request.header("Accept", "application/json").timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
        Document json;
        try {
            json = Document.parse(response.body());
        } catch (RuntimeException notJson) {
            json = new Document();
        }
        return new Response(response.statusCode(), json);
    }
}
