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
 * The benchmark's CI smoke: the whole harness (server process, Kong emulator, load threads, /proc readings, the
 * report) against the floor server for a fraction of a second. It checks that numbers come out, never what they are.
 */
class BenchSmokeTest {

    @Test
    void theHarnessRunsAndReportsNumbers() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "kjps-bench-smoke");
        String report = BenchMain.create(Map.of("work", work.toString(), "servers", "floor",
                "scenarios", "hello,headers,exit,log,churn", "concurrency", "2", "runs", "1", "window-ms", "300",
                "settle-ms", "50", "warmup-ms", "100", "startup-runs", "0")).run();
        for (String scenario : new String[] {"hello", "headers", "exit", "log", "churn"}) {
            Matcher m = Pattern.compile("\\| " + scenario + " \\| 2 \\| floor \\| (\\d+) \\| ([0-9.]+) \\|.* \\| (\\d+) \\|\\n")
                    .matcher(report);
            assertTrue(m.find(), "no row for " + scenario + " in\n" + report);
            assertTrue(Long.parseLong(m.group(1)) > 0, "no events for " + scenario + ":\n" + report);
            assertEquals("0", m.group(3), "errors in " + scenario + ":\n" + report);
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
