package io.keyshift.core.scan;

import java.util.List;

/** Per collection and field path, which data keys encrypted the values seen. */
public record UsageMap(ScanMode mode, List<NamespaceUsage> namespaces) {

    public UsageMap {
        namespaces = List.copyOf(namespaces);
    }
}
