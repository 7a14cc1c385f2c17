package io.keyshift.cli;

import io.keyshift.core.Version;
import picocli.CommandLine;

/** Prints the same version the GUI's About page shows. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"KeyShift " + Version.current()};
    }
}
