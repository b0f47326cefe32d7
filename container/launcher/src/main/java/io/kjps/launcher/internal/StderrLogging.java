package io.kjps.launcher.internal;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends all {@code java.util.logging} output (the launcher's, Felix's through {@link FelixJulLogger}, FileInstall's
 * with {@code felix.fileinstall.log.default=jul}, and every bundle that logs with JUL or {@code System.Logger}) to
 * stderr, one line per record in the {@link OneLineFormatter} format. Kong merges the server's stdout and stderr
 * into its error log at info level (protocol.md §3.2).
 */
public final class StderrLogging {

    /**
     * JDK 21+ logs every {@code Runtime.exit} at DEBUG with a stack trace; kept at INFO even with {@code -v}. A
     * strong reference, because JUL forgets the level of a logger that has been garbage collected.
     */
    private static final Logger RUNTIME_EXIT = Logger.getLogger("java.lang.Runtime");

    private StderrLogging() {
    }

    /**
     * Replaces the root logger's handlers with one writing to {@code err}, at INFO, or FINE when {@code verbose}.
     */
    public static void install(PrintStream err, boolean verbose) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(verbose ? Level.FINE : Level.INFO);
        root.addHandler(new StreamHandler(err));
        RUNTIME_EXIT.setLevel(Level.INFO);
    }

    /** Writes each formatted record to a {@link PrintStream} and flushes it at once. */
    private static final class StreamHandler extends Handler {
        private final PrintStream stream;

        StreamHandler(PrintStream stream) {
            this.stream = stream;
            setFormatter(new OneLineFormatter());
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line;
            try {
                line = getFormatter().format(record);
            } catch (RuntimeException e) {
                line = record.getMessage() + " (unformattable: " + e + ")\n";
            }
            synchronized (this) {
                stream.print(line);
                stream.flush();
            }
        }

        @Override
        public void flush() {
            stream.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
