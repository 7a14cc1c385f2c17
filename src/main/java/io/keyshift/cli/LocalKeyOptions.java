package io.keyshift.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The local master key files: the one the data keys are under today, and the new one for a local → local rotation. */
final class LocalKeyOptions {

    static final String SOURCE = "--local-key";
    static final String TARGET = "--new-local-key";

    @Option(names = SOURCE, paramLabel = "FILE", description = "Source: the local master key file the keys are under"
            + " (96 bytes or base64).")
    Path sourceKeyFile;

    @Option(names = TARGET, paramLabel = "FILE", description = "Target: the new local master key file (make one with"
            + " `keyshift local-key new FILE`).")
    Path targetKeyFile;
}
