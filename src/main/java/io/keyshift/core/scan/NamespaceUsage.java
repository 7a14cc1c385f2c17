package io.keyshift.core.scan;

import java.util.List;

/**
 * What the scan of one collection found.
 *
 * @param truncated true when the collection had more distinct (path, key) pairs than the scanner
 *                  keeps; counts of the pairs kept stay exact
 */
public record NamespaceUsage(String namespace,
                             long documentsScanned,
                             List<FieldUsage> fields,
                             List<UnreadableValues> unreadable,
                             boolean truncated) {

    public NamespaceUsage {
        fields = List.copyOf(fields);
        unreadable = List.copyOf(unreadable);
    }
}
