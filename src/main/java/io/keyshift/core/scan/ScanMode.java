package io.keyshift.core.scan;

import io.keyshift.core.KeyShiftException;

/**
 * How much of each collection to read: the first {@code sampleSize} documents in natural order, or
 * all of them ({@code sampleSize} null).
 */
public record ScanMode(Integer sampleSize) {

    public static final ScanMode DEFAULT = sample(1000);

    public ScanMode {
        if (sampleSize != null && sampleSize < 1) {
            throw new KeyShiftException("A scan sample must be at least 1 document, was " + sampleSize + ".");
        }
    }

    public static ScanMode sample(int documents) {
        return new ScanMode(documents);
    }

    public static ScanMode full() {
        return new ScanMode(null);
    }

    /** Parses {@code sample:N} or {@code full}. */
    public static ScanMode parse(String text) {
        String value = text.strip();
        if (value.equals("full")) {
            return full();
        }
        if (value.startsWith("sample:")) {
            try {
                return sample(Integer.parseInt(value.substring("sample:".length())));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new KeyShiftException("Unknown scan \"" + text + "\": use sample:N (e.g. sample:1000) or full.");
    }

    public boolean isFull() {
        return sampleSize == null;
    }

    @Override
    public String toString() {
        return isFull() ? "full" : "sample:" + sampleSize;
    }
}
