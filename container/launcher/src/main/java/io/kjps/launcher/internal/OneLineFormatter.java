package io.kjps.launcher.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats a log record as one line, {@code 2026-11-29T06:40:00.123Z INFO  [FrameworkLauncher] message}, followed
 * by the stack trace lines of its throwable, if any.
 *
 * <p>The timestamp is UTC with milliseconds. The level is padded to five characters: SEVERE is written
 * {@code ERROR}, WARNING {@code WARN}, INFO and CONFIG {@code INFO}, FINE {@code DEBUG}, FINER and FINEST
 * {@code TRACE}. The logger name is shortened to its last dot-separated part ({@code root} for the root logger).
 */
public final class OneLineFormatter extends Formatter {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        TIMESTAMP.formatTo(record.getInstant(), line);
        line.append(' ').append(levelName(record.getLevel())).append(" [")
                .append(shortName(record.getLoggerName())).append("] ")
                .append(formatMessage(record)).append('\n');
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter writer = new PrintWriter(trace)) {
                thrown.printStackTrace(writer);
            }
            line.append(trace.toString().replace(System.lineSeparator(), "\n"));
        }
        return line.toString();
    }

    static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN ";
        }
        if (value >= Level.CONFIG.intValue()) {
            return "INFO ";
        }
        if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    static String shortName(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "root";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
