package io.keyshift.core.scan;

/** Binary subtype 6 values at one path whose header could not be read, with the first reason seen. */
public record UnreadableValues(String path, long values, String reason) {
}
