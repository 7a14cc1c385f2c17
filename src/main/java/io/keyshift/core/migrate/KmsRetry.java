package io.keyshift.core.migrate;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Retries a KMS-backed operation on transient failures, with capped, jittered exponential backoff.
 * The driver does not retry KMS requests itself, whichever the provider; AWS throttles with HTTP 400
 * ThrottlingException, Azure Key Vault and Google Cloud KMS with 429.
 * Retrying is safe for the operations it wraps: a KMS failure aborts them before any write.
 */
final class KmsRetry {

    /** Told about each retry, so a progress view can say what is happening and why. */
    @FunctionalInterface
    public interface Listener {
        void retrying(int attempt, Duration delay, String reason);
    }

    /** Given up after the attempts ran out, or on a failure that is not transient. */
    public static final class GaveUp extends RuntimeException {
        private final int attempts;

        GaveUp(int attempts, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }

    private static final Pattern TRANSIENT_STATUS = Pattern.compile("http status=(429|5\\d\\d)");

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    public KmsRetry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Eight attempts, from 200 ms doubling to at most 10 s: about 30 s of patience in all. */
    public static KmsRetry standard() {
        return new KmsRetry(8, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    /**
     * Runs the operation; returns its result, or throws {@link GaveUp} wrapping the last failure.
     *
     * @param kms the KMS the operation calls, as a DBA names it ({@code AWS KMS}, {@code Azure Key Vault or
     *            the KMIP server}), for the reason each retry is given
     */
    public <T> T run(Supplier<T> operation, String kms, Listener listener) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException failure) {
                if (!isTransient(failure) || attempt >= maxAttempts) {
                    throw new GaveUp(attempt, failure);
                }
                Duration delay = delay(attempt);
                listener.retrying(attempt, delay, reason(failure, kms));
                sleep(delay);
            }
        }
    }

    /** Throttling, 429, 5xx, a dropped connection or a timeout, anywhere in the cause chain. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof MongoSocketException || t instanceof MongoTimeoutException
                    || droppedKmsReply(t)) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("throttlingexception") || message.contains("rate exceeded")
                    || TRANSIENT_STATUS.matcher(message).find()
                    || message.contains("connection reset") || message.contains("connection refused")
                    || message.contains("timed out") || message.contains("end of stream")
                    || message.contains("eof") && message.contains("kms")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The driver reads a KMS reply in a loop and feeds each read to libmongocrypt; when KMS closes the
     * connection early, the read returns -1 and wrapping it throws IndexOutOfBoundsException: a dropped
     * connection, which surfaces as "Exception in encryption library: null".
     */
    private static boolean droppedKmsReply(Throwable t) {
        return t instanceof IndexOutOfBoundsException && Arrays.stream(t.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals("com.mongodb.client.internal.Crypt") && frame.getMethodName().equals("decryptKey"));
    }

    /** A short reason for the progress view, naming {@code kms}: throttled, server error, or connection problem. */
    static String reason(Throwable failure, String kms) {
        String text = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            text += " " + String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        }
        if (text.contains("throttling") || text.contains("rate exceeded") || text.contains("status=429")) {
            return kms + " is throttling requests";
        }
        if (TRANSIENT_STATUS.matcher(text).find()) {
            return kms + " answered with a server error";
        }
        return "the connection to " + kms + " failed";
    }

    Duration delay(int attempt) {
        long exponential = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(exponential, maxDelay.toMillis());
        // Full jitter keeps several KeyShift runs (or retries of one) from hitting KMS in step.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a KMS request", e);
        }
    }
}
