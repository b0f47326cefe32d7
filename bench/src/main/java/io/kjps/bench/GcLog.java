package io.kjps.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads pauses from a JVM log written with {@code -Xlog:gc:file=<path>:uptime}. */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+(?:\\.\\d+))s\\].*Pause.* (\\d+(?:\\.\\d+))ms$");

    /**
     * @param count pauses in the interval
     * @param maxMillis the longest one (0 when none)
     * @param totalMillis all of them together
     */
    record Pauses(int count, double maxMillis, double totalMillis) {
    }

    private GcLog() {
    }

    /**
     * @param log the log file
     * @param fromUptimeSeconds only pauses that started at or after this JVM uptime
     * @return the pauses since then
     */
    static Pauses since(Path log, double fromUptimeSeconds) throws IOException {
        int count = 0;
        double max = 0;
        double total = 0;
        if (!Files.exists(log)) {
            return new Pauses(0, 0, 0);
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = PAUSE.matcher(line.trim());
            if (m.find() && Double.parseDouble(m.group(1)) >= fromUptimeSeconds) {
                double ms = Double.parseDouble(m.group(2));
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
        }
        return new Pauses(count, max, total);
    }
}
