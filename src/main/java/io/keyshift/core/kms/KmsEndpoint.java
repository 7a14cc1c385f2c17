package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A KMS endpoint as the drivers want it: a bare {@code host[:port]}, reached over TLS. */
final class KmsEndpoint {

    private static final Pattern HOST_AND_PORT = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:([0-9]{1,5}))?");

    private KmsEndpoint() {
    }

    /**
     * {@code text} as {@code host[:port]} (a pasted {@code https://…/} URL is trimmed to it), or null when
     * it is null or blank; refused with a sentence naming {@code shape} when it is not one.
     */
    static String normalize(String text, String what, String shape) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String endpoint = text.strip();
        if (endpoint.startsWith("http://")) {
            throw new KeyShiftException("The " + what + " " + endpoint + " is plain HTTP: KMS is reached over TLS only,"
                    + " give " + shape + ".");
        }
        // Users paste URLs; the driver and the SDKs want the bare authority.
        endpoint = endpoint.replaceFirst("^https://", "").replaceFirst("/$", "");
        Matcher matcher = HOST_AND_PORT.matcher(endpoint);
        if (!matcher.matches()) {
            throw new KeyShiftException("The " + what + " \"" + endpoint + "\" is not " + shape + ".");
        }
        if (matcher.group(4) != null) {
            int port = Integer.parseInt(matcher.group(4));
            if (port < 1 || port > 65535) {
                throw new KeyShiftException("The " + what + "'s port " + port + " is not between 1 and 65535.");
            }
        }
        return endpoint;
    }

    /** The host of a {@code host[:port]} endpoint. */
    static String host(String endpoint) {
        int colon = endpoint.indexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }
}
