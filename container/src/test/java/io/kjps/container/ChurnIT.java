package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.value.Value;

/**
 * Leaks (issue 6, item 4) against the real server: events ended by a terminal call are freed at once, instances
 * Kong drops without CloseInstance expire ({@code kjps.instance.idle.ms}, 5 s here), abandoned events are reclaimed
 * ({@code kjps.abandon.timeout.ms}, 1 s here), and 100,000 StartInstance/CloseInstance cycles leave the instance
 * and event tables, the live heap (after a full GC, through {@code jcmd}) and the thread count where they were.
 */
class ChurnIT {
    static final int CYCLES = 100_000;
    static final int CONNECTIONS = 4;
    static final int BATCH = 250;
    static final long HEAP_TOLERANCE_KB = 16 * 1024;
    private static ServerProcess server;
    private static KongEmulator kong;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(ServerProcess.newPrefix(),
                "-Dkjps.instance.idle.ms=5000 -Dkjps.abandon.timeout.ms=1000", "hello", "block");
        kong = new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 4,
                KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kong != null) {
            kong.client().pool().close();
        }
        if (server != null) {
            assertEquals(0, server.stop(), "exit status after SIGTERM");
            server.close();
        }
    }

    static Map<String, Long> status() throws IOException {
        try (RawClient c = RawClient.connect(server.socket())) {
            Value r = c.call(1, "plugin.GetStatus", null);
            assertNull(RawClient.error(r));
            java.util.Map<String, Long> m = new java.util.HashMap<>();
            for (var e : r.asArrayValue().get(3).asMapValue().entrySet()) {
                if (e.getValue().isIntegerValue()) {
                    m.put(e.getKey().toString(), e.getValue().asIntegerValue().toLong());
                }
            }
            return m;
        }
    }

    private static long statusOf(String key) {
        try {
            return status().get(key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long threads() {
        try {
            return server.threads();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the server's live heap in kB right after a full GC, from {@code jcmd GC.heap_info} */
    static long liveHeapKb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        // one line per heap (G1) or per generation (Serial, Parallel): sum them; Metaspace lines have no "total"
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        assertTrue(found, info);
        return used;
    }

    private static String jcmd(long pid, String command) throws Exception {
        String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jcmd " + command);
        assertEquals(0, p.exitValue(), out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hundredThousandStartCloseCyclesLeaveNothingBehind() throws Exception {
        runCycles(10_000); // warm-up: JIT, pools, heap sizing
        ServerProcess.await("the warm-up's instances are closed", Duration.ofSeconds(10),
                () -> statusOf("Instances") == 0 && statusOf("Events") == 0);
        long heapBefore = liveHeapKb(server.serverPid());
        long threadsBefore = server.threads();
        long rssBefore = server.rssKb();
        long t0 = System.nanoTime();
        runCycles(CYCLES);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Long> after = status();
        assertEquals(0L, after.get("Instances"), "every instance was closed");
        assertEquals(0L, after.get("Events"));
        long heapAfter = liveHeapKb(server.serverPid());
        long rssAfter = server.rssKb();
        ServerProcess.await("the thread count returns to " + threadsBefore, Duration.ofSeconds(45),
                () -> threads() <= threadsBefore + 2);
        System.out.printf("churn: %d StartInstance/CloseInstance cycles over %d connections in %d ms (%.0f cycles/s);"
                        + " live heap after full GC %d kB -> %d kB; RSS %d kB -> %d kB; threads %d -> %d%n", CYCLES,
                CONNECTIONS, ms, CYCLES * 1000.0 / ms, heapBefore, heapAfter, rssBefore, rssAfter, threadsBefore,
                threads());
        assertTrue(heapAfter - heapBefore < HEAP_TOLERANCE_KB, "live heap grew from " + heapBefore + " kB to "
                + heapAfter + " kB");
    }

    /** Pipelines StartInstance then CloseInstance in batches over several connections at once. */
    private static void runCycles(int cycles) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int share = cycles / CONNECTIONS;
                done.add(pool.submit(() -> cyclesOnOneConnection(share)));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(cycles, total);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int cyclesOnOneConnection(int cycles) throws IOException {
        String config = "{\"greeting\":\"churn\",\"__seq__\":1}";
        int done = 0;
        try (RawClient c = RawClient.connect(server.socket())) {
            long msgid = 0;
            while (done < cycles) {
                int n = Math.min(BATCH, cycles - done);
                ByteArrayOutputStream starts = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    starts.writeBytes(RawClient.request(++msgid, "plugin.StartInstance",
                            Map.of("Name", "hello", "Config", config)));
                }
                c.send(starts.toByteArray());
                List<Long> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Value r = c.readBlocking();
                    assertNull(RawClient.error(r), r.toString());
                    for (var e : r.asArrayValue().get(3).asMapValue().entrySet()) {
                        if (e.getKey().toString().equals("Id")) {
                            ids.add(e.getValue().asIntegerValue().toLong());
                        }
                    }
                }
                assertEquals(n, ids.size());
                ByteArrayOutputStream closes = new ByteArrayOutputStream();
                for (long id : ids) {
                    closes.writeBytes(RawClient.request(++msgid, "plugin.CloseInstance", id));
                }
                c.send(closes.toByteArray());
                for (int i = 0; i < n; i++) {
                    Value r = c.readBlocking();
                    assertNull(RawClient.error(r), r.toString());
                }
                done += n;
            }
        }
        return done;
    }

    @Test
    void anEventEndedByATerminalCallIsFreedAtOnce() throws Exception {
        long id = kong.startInstance("block", "{}");
        for (int i = 0; i < 50; i++) {
            EventOutcome out = kong.handleEvent(id, "access", FakeRequest.builder().header("x-block", "1").build());
            assertEquals(EventOutcome.Ending.EXIT, out.ending());
            // Kong never answers exit (protocol.md §4.12): the event must already be gone, with no wait
            assertEquals(0L, statusOf("Events"), "the event parked after exit is freed at once");
        }
    }

    @Test
    void instancesKongDropsWithoutCloseInstanceExpire() throws Exception {
        List<Long> dropped = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            dropped.add(kong.startInstance("hello", "{\"greeting\":\"dropped " + i + "\"}"));
        }
        assertTrue(statusOf("Instances") >= 50);
        // Kong 3.5+ resets its instances without CloseInstance; kjps.instance.idle.ms=5000 here
        ServerProcess.await("idle instances expire", Duration.ofSeconds(20), () -> statusOf("Instances") == 0);
        assertTrue(server.logText().contains("instances unused for 5000 ms"), "the expiry is logged");
        KongRpcException gone = org.junit.jupiter.api.Assertions.assertThrows(KongRpcException.class,
                () -> kong.handleEvent(dropped.get(0), "access", FakeRequest.builder().build()));
        assertTrue(gone.getMessage().contains("No plugin instance " + dropped.get(0)), gone.getMessage());
        // Kong's answer to that error: start again and retry (ConfiguredPlugin does what Kong does)
        ConfiguredPlugin plugin = kong.plugin("hello", "{\"greeting\":\"again\"}");
        FakeRequest r = FakeRequest.builder().header("x-name", "Eve").build();
        assertEquals(EventOutcome.Ending.RET, plugin.handleEvent("access", r).ending());
        assertEquals("again", r.responseHeader("x-hello-greeting"));
    }

    @Test
    void abandonedEventsAreReclaimed() throws Exception {
        long threadsBefore = server.threads();
        long id = kong.startInstance("hello", "{}");
        int n = 200;
        try (RawClient c = RawClient.connect(server.socket())) {
            for (int i = 0; i < n; i++) {
                // HandleEvent answers with the first PDK call; Kong never sends the Step (a Lua error, protocol.md §8.9)
                Value r = c.call(100 + i, "plugin.HandleEvent", Map.of("InstanceId", id, "EventName", "access"));
                assertNull(RawClient.error(r), r.toString());
            }
        }
        assertTrue(statusOf("Events") > 0, "the abandoned events wait for their Step");
        ServerProcess.await("abandoned events are reclaimed", Duration.ofSeconds(15), () -> statusOf("Events") == 0);
        ServerProcess.await("their threads are released", Duration.ofSeconds(45),
                () -> threads() <= threadsBefore + 8);
        FakeRequest r = FakeRequest.builder().header("x-name", "Zed").build();
        assertEquals(EventOutcome.Ending.RET, kong.handleEvent(kong.startInstance("hello", "{}"), "access", r)
                .ending());
        assertEquals("hello Zed", r.responseHeader("x-hello"));
    }
}
