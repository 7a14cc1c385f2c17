package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.scan.ScanMode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Which collections a read-only look scans, and how much of each. Shared by inspect and audit. */
final class ScanOptions {

    @Option(names = "--scan", paramLabel = "sample:N|full",
            description = "Documents read per collection: the first N, or all (default: ${DEFAULT-VALUE}).")
    String scan = ScanMode.DEFAULT.toString();

    @Option(names = "--namespace", paramLabel = "DB.COLL",
            description = "Collection to scan; repeat for several (default: every user collection).")
    List<String> namespaces = new ArrayList<>();

    ScanMode mode() {
        return ScanMode.parse(scan);
    }

    /** The collections named; empty means every user collection. */
    List<MongoNamespace> collections() {
        return namespaces.stream().map(ScanOptions::collection).toList();
    }

    private static MongoNamespace collection(String fullName) {
        try {
            return new MongoNamespace(fullName);
        } catch (IllegalArgumentException e) {
            throw new KeyShiftException("--namespace " + fullName + " is not DB.COLLECTION: pass it as, for example,"
                    + " hr.employees.", e);
        }
    }
}
