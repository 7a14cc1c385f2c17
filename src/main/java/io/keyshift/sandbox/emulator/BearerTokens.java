package io.keyshift.sandbox.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens an emulator issued, each to one principal for an hour. A token it did not issue,
 * or one past its hour, names nobody.
 */
final class BearerTokens {

    static final Duration LIFETIME = Duration.ofHours(1);

    private record Grant(String principal, Instant expires) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    String issue(String principal) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(token, new Grant(principal, Instant.now().plus(LIFETIME)));
        return token;
    }

    /** The principal an {@code Authorization: Bearer …} header was issued to, if it is still valid. */
    Optional<String> principal(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        Grant grant = grants.get(authorization.substring("Bearer ".length()).trim());
        return grant == null || grant.expires().isBefore(Instant.now()) ? Optional.empty() : Optional.of(grant.principal());
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body. */
    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
