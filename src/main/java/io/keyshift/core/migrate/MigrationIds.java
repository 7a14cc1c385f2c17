package io.keyshift.core.migrate;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** A migration's id (strategy, UTC time, random suffix) and who started it (user@host). */
final class MigrationIds {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private MigrationIds() {
    }

    static String newId(Strategy strategy, Instant now) {
        byte[] suffix = new byte[2];
        ThreadLocalRandom.current().nextBytes(suffix);
        return strategy.name().toLowerCase(Locale.ROOT) + "-" + ID_TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
    }

    static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name") + "@" + host;
    }
}
