package io.keyshift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The 1-, 5- and 15-minute load averages, printed beside a benchmark's figures on a shared machine. */
final class LoadAverage {

    private LoadAverage() {
    }

    static String now() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
