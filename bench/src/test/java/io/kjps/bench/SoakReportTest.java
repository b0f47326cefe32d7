package io.kjps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's parsing and verdict, without a soak (bench/soak.sh runs one; CI never does). */
class SoakReportTest {

    @Test
    void liveHeapIsTheSumOfTheGenerations() {
        String serial = "12345:\n def new generation   total 9792K, used 1234K [0x00000000f0000000, 0x0, 0x0)\n"
                + "  eden space 8704K,  14% used [0x0, 0x0, 0x0)\n"
                + " tenured generation   total 21888K, used 4000K [0x0, 0x0, 0x0, 0x0)\n"
                + "   the space 21888K,  18% used [0x0, 0x0, 0x0, 0x0)\n"
                + " Metaspace       used 9000K, committed 9300K, reserved 1056768K\n";
        assertEquals(5234, SoakMain.heapUsedKb(serial));
        assertEquals(7000, SoakMain.heapUsedKb(" garbage-first heap   total 262144K, used 7000K [0x0, 0x0)\n"));
        assertEquals(-1, SoakMain.heapUsedKb("Could not attach"));
    }

    @Test
    void theVerdictComparesTheFirstAndLastThirds() {
        List<SoakMain.Sample> flat = new ArrayList<>();
        List<SoakMain.Sample> leaking = new ArrayList<>();
        for (int i = 0; i <= 9; i++) {
            flat.add(new SoakMain.Sample(i * 10, 100_000, 30, 5000 + (i % 2) * 100, i * 1000L, 0));
            leaking.add(new SoakMain.Sample(i * 10, 100_000, 30 + i, 5000 + i * 1000, i * 1000L, 0));
        }
        String ok = SoakMain.report(flat, null, null, 16, 2, 90, 10, Instant.EPOCH);
        assertTrue(ok.contains("Verdict: **flat**"), ok);
        String bad = SoakMain.report(leaking, null, null, 16, 2, 90, 10, Instant.EPOCH);
        assertTrue(bad.contains("Verdict: **NOT flat**") && bad.contains("Live heap GREW, threads GREW"), bad);
    }
}
