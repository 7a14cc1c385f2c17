package io.keyshift.core;

/** The version KeyShift was built as, read from the jar manifest ("dev" when run from classes). */
public final class Version {

    private Version() {
    }

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
