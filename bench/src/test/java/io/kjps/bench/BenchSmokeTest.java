package io.kjps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CI smoke: the whole harness (server process, Kong emulator, load threads and the Kong-paced event
 * loops with 1 and 2 workers, /proc readings, the report) against the two floor servers (a thread per connection;
 * one selector thread) for a fraction of a second per cell. It checks that numbers come out, never what they are.
 */
class BenchSmokeTest {
    private static final String[] SCENARIOS = {"hello", "headers", "exit", "log", "churn"};
    private static final String[] SERVERS = {"floor", "floor-selector"};

    @Test
    void theHarnessRunsAndReportsNumbers() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "kjps-bench-smoke");
        String report = BenchMain.create(Map.ofEntries(Map.entry("work", work.toString()),
                Map.entry("servers", String.join(",", SERVERS)), Map.entry("scenarios", String.join(",", SCENARIOS)),
                Map.entry("concurrency", "2"), Map.entry("runs", "1"), Map.entry("window-ms", "250"),
                Map.entry("settle-ms", "50"), Map.entry("warmup-ms", "100"), Map.entry("startup-runs", "0"),
                Map.entry("mode", "both"), Map.entry("workers", "1,2"), Map.entry("warmup-curve-s", "1"))).run();
        for (String server : SERVERS) {
            assertReported(report, server);
        }
    }

    private static void assertReported(String report, String server) {
        // the warm-up curve: | server | first window events/s | steady events/s | ... after |
        Matcher w = Pattern.compile("\\| " + server + " \\| (\\d+) \\| (\\d+) \\| [0-9.]+ s \\|\\n").matcher(report);
        assertTrue(w.find(), "no warm-up row for " + server + " in\n" + report);
        assertTrue(Long.parseLong(w.group(2)) > 0, "no steady events in the warm-up curve of " + server + ":\n" + report);
        for (String scenario : SCENARIOS) {
            // fast mode: | scenario | concurrency | server | events/s | ... | errors |
            Matcher m = Pattern.compile("\\| " + scenario + " \\| 2 \\| " + server
                    + " \\| (\\d+) \\| ([0-9.]+) \\|.* \\| (\\d+) \\|\\n").matcher(report);
            assertTrue(m.find(), "no fast row for " + scenario + " on " + server + " in\n" + report);
            assertTrue(Long.parseLong(m.group(1)) > 0, "no events for " + scenario + " on " + server + ":\n" + report);
            assertEquals("0", m.group(3), "errors in " + scenario + " on " + server + ":\n" + report);
            // Kong-paced: | scenario | concurrency | workers | server | events/s | ... | errors |
            for (int workers = 1; workers <= 2; workers++) {
                Matcher p = Pattern.compile("\\| " + scenario + " \\| 2 \\| " + workers
                        + " \\| " + server + " \\| (\\d+) \\|.* \\| (\\d+) \\|\\n").matcher(report);
                assertTrue(p.find(), "no paced row for " + scenario + ", " + workers + " workers on " + server
                        + " in\n" + report);
                assertTrue(Long.parseLong(p.group(1)) > 0, "no paced events for " + scenario + ", " + workers
                        + " workers on " + server + ":\n" + report);
                assertEquals("0", p.group(2), "paced errors in " + scenario + ", " + workers + " workers on "
                        + server + ":\n" + report);
            }
        }
    }

    @Test
    void theDocumentSectionIsReplaced() throws Exception {
        Path doc = Files.createTempFile("bench", ".md");
        Files.writeString(doc, "before\n" + BenchMain.BEGIN + "\nold\n" + BenchMain.END + "\nafter\n");
        BenchMain.updateDoc(doc, "new table\n");
        assertEquals("before\n" + BenchMain.BEGIN + "\n\nnew table\n\n" + BenchMain.END + "\nafter\n",
                Files.readString(doc));
    }
}
