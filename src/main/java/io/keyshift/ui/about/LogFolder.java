package io.keyshift.ui.about;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/** The folder of the log file, as Logback was actually configured, so support gets the right file. */
final class LogFolder {

    private LogFolder() {
    }

    static Optional<Path> path() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return Optional.empty();
        }
        Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof FileAppender<?> file && file.getFile() != null) {
                return Optional.of(Path.of(file.getFile()).toAbsolutePath().getParent());
            }
        }
        return Optional.empty();
    }
}
