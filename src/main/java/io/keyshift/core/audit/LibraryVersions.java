package io.keyshift.core.audit;

import com.mongodb.internal.build.MongoDriverVersion;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.Libmongocrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The versions of what KeyShift talks to the cluster with, and which of them are known to be bad. */
final class LibraryVersions {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryVersions.class);
    private static final String UNKNOWN = "unknown";

    private LibraryVersions() {
    }

    static String driver() {
        return MongoDriverVersion.VERSION;
    }

    /** The version the bundled native libmongocrypt reports; {@value #UNKNOWN} when it cannot be loaded. */
    static String libmongocrypt() {
        try {
            return Libmongocrypt.version();
        } catch (KeyShiftException e) {
            LOG.warn("Could not read the libmongocrypt version", e);
            return UNKNOWN;
        }
    }

    static List<String> warnings(String serverVersion, String libmongocrypt) {
        List<String> warnings = new ArrayList<>();
        if (!libmongocrypt.equals(UNKNOWN) && Libmongocrypt.corruptsRewraps(libmongocrypt)) {
            warnings.add("libmongocrypt " + libmongocrypt + " corrupts data keys when rewrapping them: upgrade"
                    + " the driver (and its libmongocrypt) before any rewrap.");
        }
        if (isBelow(serverVersion, 4, 2)) {
            warnings.add("MongoDB " + serverVersion + " predates client-side field level encryption (4.2):"
                    + " upgrade the server.");
        }
        return warnings;
    }

    private static boolean isBelow(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return actualMajor < major || actualMajor == major && actualMinor < minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
