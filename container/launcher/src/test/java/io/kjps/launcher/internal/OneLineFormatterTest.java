package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class OneLineFormatterTest {

    private static final Instant WHEN = Instant.parse("2026-11-29T06:40:00.123Z");

    private static LogRecord record(Level level, String logger, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setInstant(WHEN);
        record.setLoggerName(logger);
        return record;
    }

    @Test
    void oneLine() {
        assertEquals("2026-11-29T06:40:00.123Z INFO  [FrameworkLauncher] listening on /x.sock\n",
                new OneLineFormatter().format(record(Level.INFO, "io.kjps.launcher.internal.FrameworkLauncher",
                        "listening on /x.sock")));
    }

    @Test
    void millisecondsAreAlwaysWritten() {
        LogRecord record = record(Level.WARNING, "felix", "m");
        record.setInstant(Instant.parse("2026-01-02T03:04:05Z"));
        assertEquals("2026-01-02T03:04:05.000Z WARN  [felix] m\n", new OneLineFormatter().format(record));
    }

    @Test
    void levels() {
        assertEquals(List.of("ERROR", "WARN ", "INFO ", "INFO ", "DEBUG", "TRACE", "TRACE"),
                List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE, Level.FINER, Level.FINEST)
                        .stream().map(OneLineFormatter::levelName).toList());
    }

    @Test
    void rootLoggerAndParameters() {
        LogRecord record = record(Level.SEVERE, "", "{0} bundles");
        record.setParameters(new Object[] {12});
        assertEquals("2026-11-29T06:40:00.123Z ERROR [root] 12 bundles\n", new OneLineFormatter().format(record));
    }

    @Test
    void stackTraceFollows() {
        LogRecord record = record(Level.SEVERE, "a.b.C", "failed");
        record.setThrown(new IllegalStateException("boom"));
        String text = new OneLineFormatter().format(record);
        List<String> lines = text.lines().toList();
        assertEquals("2026-11-29T06:40:00.123Z ERROR [C] failed", lines.get(0));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(1));
        assertTrue(lines.get(2).startsWith("\tat io.kjps.launcher.internal.OneLineFormatterTest."), lines.get(2));
        assertTrue(text.endsWith("\n"));
    }

    @Test
    void stderrLoggingWritesThroughTheFormatter() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            StderrLogging.install(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
            Logger logger = Logger.getLogger("io.kjps.test.Probe");
            logger.fine("hidden at INFO");
            logger.info("shown");
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[Probe] shown\n"), text);

            bytes.reset();
            StderrLogging.install(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
            logger.fine("shown with -v");
            assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(" DEBUG [Probe] shown with -v\n"));
        } finally {
            java.util.logging.LogManager.getLogManager().reset();
        }
    }
}
