package io.keyshift.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.keyshift.core.secret.Redaction;

/**
 * The pattern layout of every KeyShift appender: it redacts the whole formatted event (message,
 * arguments, MDC, exception messages and causes), so a secret logged by mistake, by us or by a
 * library, never reaches a log file or the console.
 */
public final class RedactingLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return Redaction.redact(super.doLayout(event));
    }
}
