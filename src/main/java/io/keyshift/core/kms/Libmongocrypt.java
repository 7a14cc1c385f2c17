package io.keyshift.core.kms;

import com.mongodb.internal.crypt.capi.CAPI;
import io.keyshift.core.KeyShiftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libmongocrypt inside the mongodb-crypt library, which does every wrap, unwrap and rewrap. Versions
 * 1.5.0 and 1.5.1 write corrupt key material when they rewrap data keys, so KeyShift refuses to run
 * with them before any ClientEncryption is built.
 */
public final class Libmongocrypt {

    private static final Logger LOG = LoggerFactory.getLogger(Libmongocrypt.class);
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private static volatile String version;

    private Libmongocrypt() {
    }

    /** The version the native library reports, such as {@code 1.15.1}. */
    public static String version() {
        String known = version;
        if (known == null) {
            try {
                // The driver has no public accessor; this is the call libmongocrypt documents for it.
                known = CAPI.mongocrypt_version(null).toString();
            } catch (LinkageError e) {
                throw new KeyShiftException("Could not load libmongocrypt (" + e.getMessage() + "): check that this"
                        + " KeyShift build includes libmongocrypt for your operating system.", e);
            }
            version = known;
        }
        return known;
    }

    /** True for 1.5.0 and 1.5.1 (MONGOCRYPT-441); a version that is not MAJOR.MINOR.PATCH is logged and let through. */
    public static boolean corruptsRewraps(String version) {
        Matcher release = RELEASE.matcher(version);
        if (!release.lookingAt()) {
            LOG.warn("libmongocrypt reports version \"{}\", which is not MAJOR.MINOR.PATCH; going on", version);
            return false;
        }
        return release.group(1).equals("1") && release.group(2).equals("5")
                && (release.group(3).equals("0") || release.group(3).equals("1"));
    }

    /** Refuses to go on with a libmongocrypt that corrupts rewraps. */
    public static void requireSafe() {
        requireSafe(version());
    }

    static void requireSafe(String version) {
        if (corruptsRewraps(version)) {
            throw new KeyShiftException("This KeyShift runs with libmongocrypt " + version + ", which corrupts data"
                    + " keys when it rewraps them: use a KeyShift build with libmongocrypt 1.5.2 or later (the"
                    + " mongodb-crypt library that carries it); nothing was changed.");
        }
    }
}
