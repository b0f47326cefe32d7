package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

/**
 * Bad input through the real socket (issue 6, item 2), one test per case. After each case: the offender got a
 * precise error or a closed connection, a connection opened before the case is still served, a normal hello event
 * works, no event is left in flight, and the server's thread count and RSS stay bounded.
 */
class BadInputIT {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final long RSS_TOLERANCE_KB = 256 * 1024;
    private static final int THREAD_TOLERANCE = 32;
    private static ServerProcess server;
    private static KongEmulator kong;
    private static long helloId;
    private static long baselineThreads;
    private static long baselineRssKb;
    private static final AtomicLong MSGIDS = new AtomicLong(1000);
    private RawClient bystander;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(ServerProcess.newPrefix(), "-Dkjps.abandon.timeout.ms=2000", "hello");
        kong = new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 4,
                KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30))));
        helloId = kong.startInstance("hello", "{\"greeting\":\"yo\"}");
        assertHelloWorks();
        baselineThreads = server.threads();
        baselineRssKb = server.rssKb();
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

    @BeforeEach
    void openBystander() throws IOException {
        bystander = RawClient.connect(server.socket());
    }

    @AfterEach
    void serverStillServes() throws Exception {
        assertTrue(server.alive(), "the server is alive");
        Value status = bystander.call(MSGIDS.incrementAndGet(), "plugin.GetStatus", null);
        assertNull(RawClient.error(status), "a connection opened before the case is still served");
        bystander.close();
        assertHelloWorks();
        ServerProcess.await("no event is left in flight", Duration.ofSeconds(10), () -> eventsInFlight() == 0);
        ServerProcess.await("the thread count returns near " + baselineThreads, Duration.ofSeconds(45),
                () -> threads() <= baselineThreads + THREAD_TOLERANCE);
        long rss = server.rssKb();
        assertTrue(rss <= baselineRssKb + RSS_TOLERANCE_KB, "RSS " + rss + " kB stays within "
                + RSS_TOLERANCE_KB + " kB of " + baselineRssKb + " kB");
    }

    private static void assertHelloWorks() {
        FakeRequest r = FakeRequest.builder().header("x-name", "Alice").build();
        EventOutcome out = kong.handleEvent(helloId, "access", r);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertEquals("hello Alice", r.responseHeader("x-hello"));
        assertEquals("yo", r.responseHeader("x-hello-greeting"));
    }

    private static long threads() {
        try {
            return server.threads();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long eventsInFlight() {
        try (RawClient c = RawClient.connect(server.socket())) {
            Value r = c.call(1, "plugin.GetStatus", null);
            for (var e : r.asArrayValue().get(3).asMapValue().entrySet()) {
                if (e.getKey().toString().equals("Events")) {
                    return e.getValue().asIntegerValue().toLong();
                }
            }
            throw new AssertionError("no Events in " + r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int occurrences(String text) {
        return server.logText().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    private static void awaitLog(String text, int before) {
        ServerProcess.await("the server logs \"" + text + "\"", Duration.ofSeconds(10),
                () -> occurrences(text) > before);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Asserts the response to msgid carries exactly this error, and the connection goes on. */
    private static void assertError(RawClient c, long msgid, Object method, Object param, String expected)
            throws IOException {
        c.send(RawClient.request(msgid, method, param));
        assertResponse(c.read(), msgid, expected);
    }

    private static void assertResponse(Value r, long msgid, String expected) {
        List<Value> l = r.asArrayValue().list();
        assertEquals(4, l.size(), r.toString());
        assertEquals(1, l.get(0).asIntegerValue().toInt(), r.toString());
        assertEquals(msgid, l.get(1).asIntegerValue().toLong(), r.toString());
        assertEquals(expected, RawClient.error(r));
    }

    private static void assertConnectionGoesOn(RawClient c) throws IOException {
        long id = MSGIDS.incrementAndGet();
        Value r = c.call(id, "plugin.GetStatus", null);
        assertResponse(r, id, null);
    }

    @Test
    void truncatedMessageClosesOnlyThatConnection() throws Exception {
        int before = occurrences("end of stream in the middle of a message");
        byte[] whole = RawClient.request(7, "plugin.StartInstance", Map.of("Name", "hello", "Config", "{}"));
        try (RawClient c = RawClient.connect(server.socket())) {
            c.send(Arrays.copyOf(whole, whole.length - 3));
            c.shutdownOutput();
            c.assertClosedByServer(CLOSE_WAIT);
        }
        awaitLog("end of stream in the middle of a message", before);
    }

    @Test
    void garbageBytesCloseTheConnection() throws Exception {
        int before = occurrences("not msgpack");
        try (RawClient c = RawClient.connect(server.socket())) {
            c.send(bytes(0xc1, 0xc1, 0xc1, 0xc1, 0xde, 0xad, 0xbe, 0xef));
            c.assertClosedByServer(CLOSE_WAIT);
        }
        awaitLog("not msgpack", before);
    }

    @Test
    void wrongArraySizeGetsAnErrorAndTheConnectionGoesOn() throws Exception {
        try (RawClient c = RawClient.connect(server.socket())) {
            c.send(concat(bytes(0x93, 0x00, 0x05), packed("plugin.GetStatus")));
            assertResponse(c.read(), 5, "malformed request: expected a request of 4 elements [0, msgid, method, "
                    + "params], got 3");
            c.send(concat(bytes(0x95, 0x00, 0x06), packed("plugin.GetStatus"), bytes(0x91, 0xc0, 0xc0)));
            assertResponse(c.read(), 6, "malformed request: expected a request of 4 elements [0, msgid, method, "
                    + "params], got 5");
            c.send(bytes(0x90));
            assertResponse(c.read(), 0, "malformed request: expected a request of 4 elements [0, msgid, method, "
                    + "params], got 0");
            assertConnectionGoesOn(c);
        }
    }

    @Test
    void wrongTypeInEveryFieldGetsAPreciseError() throws Exception {
        try (RawClient c = RawClient.connect(server.socket())) {
            // the envelope [type, msgid, method, params]
            c.send(concat(bytes(0x94), packed("x"), bytes(0x03), packed("plugin.GetStatus"), bytes(0x91, 0xc0)));
            assertResponse(c.read(), 3, "malformed request: expected message type 0 (request), got string \"x\"");
            c.send(concat(bytes(0x94, 0x01, 0x04), packed("plugin.GetStatus"), bytes(0x91, 0xc0)));
            assertResponse(c.read(), 4, "malformed request: expected message type 0 (request), got integer 1");
            c.send(concat(bytes(0x94, 0x00), packed("abc"), packed("plugin.GetStatus"), bytes(0x91, 0xc0)));
            assertResponse(c.read(), 0, "malformed request: expected an unsigned 32-bit msgid, got string \"abc\"");
            c.send(concat(bytes(0x94, 0x00, 0xff), packed("plugin.GetStatus"), bytes(0x91, 0xc0)));
            assertResponse(c.read(), 0, "malformed request: expected an unsigned 32-bit msgid, got integer -1");
            c.send(concat(bytes(0x94, 0x00, 0x08, 0xc3, 0x91, 0xc0)));
            assertResponse(c.read(), 8, "malformed request: expected the method name as a string, got boolean true");
            c.send(concat(bytes(0x94, 0x00, 0x09), packed("plugin.GetStatus"), packed("x")));
            assertResponse(c.read(), 9, "malformed request: expected the params of plugin.GetStatus as an array, "
                    + "got string \"x\"");
            // the params of each method
            assertError(c, 10, "plugin.StartInstance", "x",
                    "plugin.StartInstance: expected a map {Name, Config}, got string \"x\"");
            assertError(c, 11, "plugin.StartInstance", Map.of("Name", 5L, "Config", "{}"),
                    "plugin.StartInstance: expected Name as a string, got integer 5");
            assertError(c, 12, "plugin.StartInstance", Map.of("Name", "hello", "Config", 5L),
                    "plugin.StartInstance: Config must be a JSON string, got integer 5");
            Value badJson = c.call(13, "plugin.StartInstance", Map.of("Name", "hello", "Config", "[1,"));
            assertTrue(RawClient.error(badJson).startsWith("plugin.StartInstance: bad config for plugin hello: "
                    + "config is not JSON: "), badJson.toString());
            assertError(c, 14, "plugin.HandleEvent", List.of(1L),
                    "plugin.HandleEvent: expected a map {InstanceId, EventName}, got array of 1");
            assertError(c, 15, "plugin.HandleEvent", Map.of("InstanceId", "x", "EventName", "access"),
                    "plugin.HandleEvent InstanceId: expected a non-negative integer id, got string \"x\"");
            assertError(c, 16, "plugin.HandleEvent", Map.of("InstanceId", -3L, "EventName", "access"),
                    "plugin.HandleEvent InstanceId: expected a non-negative integer id, got integer -3");
            assertError(c, 17, "plugin.HandleEvent", Map.of("InstanceId", helloId, "EventName", 5L),
                    "plugin.HandleEvent: expected EventName as a string, got integer 5");
            assertError(c, 18, "plugin.Step", "x", "plugin.Step: expected a map {EventId, Data}, got string \"x\"");
            assertError(c, 19, "plugin.Step", Map.of("EventId", 1.5, "Data", "x"),
                    "plugin.Step EventId: expected a non-negative integer id, got float 1.5");
            assertError(c, 20, "plugin.StepError", Map.of("EventId", true),
                    "plugin.StepError EventId: expected a non-negative integer id, got boolean true");
            assertError(c, 21, "plugin.CloseInstance", "x",
                    "plugin.CloseInstance: expected a non-negative integer id, got string \"x\"");
            assertError(c, 22, "plugin.InstanceStatus", Map.of(),
                    "plugin.InstanceStatus: expected a non-negative integer id, got map of 0");
            assertError(c, 23, "plugin.GetPluginInfo", 5L,
                    "plugin.GetPluginInfo: expected a plugin name, got integer 5");
            assertConnectionGoesOn(c);
        }
    }

    @Test
    void unknownMethodGetsAnError() throws Exception {
        try (RawClient c = RawClient.connect(server.socket())) {
            assertError(c, 31, "plugin.Nope", Map.of(), "method plugin.Nope not implemented");
            assertError(c, 32, "", null, "method  not implemented");
            assertConnectionGoesOn(c);
        }
    }

    @Test
    void nonStringMethodGetsAnError() throws Exception {
        try (RawClient c = RawClient.connect(server.socket())) {
            assertError(c, 41, 5L, null, "malformed request: expected the method name as a string, got integer 5");
            assertError(c, 42, null, null, "malformed request: expected the method name as a string, got nil");
            assertError(c, 43, List.of("plugin.GetStatus"), null,
                    "malformed request: expected the method name as a string, got array of 1");
            assertConnectionGoesOn(c);
        }
    }

    @Test
    void declaredLengthOfTwoGigabytesClosesWithoutAllocating() throws Exception {
        int strBefore = occurrences("str of 2147483647 bytes exceeds the limit");
        int binBefore = occurrences("bin of 2147483648 bytes exceeds the limit");
        try (RawClient c = RawClient.connect(server.socket())) {
            // [0, 1, <str32 of 2^31-1 bytes> ...
            c.send(bytes(0x94, 0x00, 0x01, 0xdb, 0x7f, 0xff, 0xff, 0xff, 'p', 'l', 'u'));
            c.assertClosedByServer(CLOSE_WAIT);
        }
        try (RawClient c = RawClient.connect(server.socket())) {
            // [0, 2, "plugin.Step", [<bin32 of 2^31 bytes> ...
            c.send(concat(bytes(0x94, 0x00, 0x02), packed("plugin.Step"), bytes(0x91, 0xc6, 0x80, 0x00, 0x00, 0x00)));
            c.assertClosedByServer(CLOSE_WAIT);
        }
        awaitLog("str of 2147483647 bytes exceeds the limit", strBefore);
        awaitLog("bin of 2147483648 bytes exceeds the limit", binBefore);
    }

    @Test
    void aMillionTinyValuesInOneMessageCloseTheConnection() throws Exception {
        int before = occurrences("message of more than 1048576 values exceeds the limit");
        // [0, 1, "plugin.GetStatus", [<array32 of 2^20 nils>]]: every container within its own limit, the message
        // as a whole over its budget of values
        byte[] nils = new byte[1 << 20];
        Arrays.fill(nils, (byte) 0xc0);
        try (RawClient c = RawClient.connect(server.socket())) {
            c.send(concat(bytes(0x94, 0x00, 0x01), packed("plugin.GetStatus"),
                    bytes(0x91, 0xdd, 0x00, 0x10, 0x00, 0x00), nils));
            c.assertClosedByServer(CLOSE_WAIT);
        }
        awaitLog("message of more than 1048576 values exceeds the limit", before);
    }

    @Test
    void deeplyNestedArraysCloseTheConnection() throws Exception {
        int before = occurrences("nesting deeper than 64 levels");
        byte[] nested = new byte[100_000];
        Arrays.fill(nested, (byte) 0x91);
        try (RawClient c = RawClient.connect(server.socket())) {
            c.send(concat(bytes(0x94, 0x00, 0x01), packed("plugin.GetStatus"), nested));
            c.assertClosedByServer(CLOSE_WAIT);
        }
        awaitLog("nesting deeper than 64 levels", before);
    }

    @Test
    void eofMidMessageFreesTheConnection() throws Exception {
        int before = occurrences("end of stream in the middle of a message");
        long openBefore = connectionsOpen();
        long socketsBefore = server.socketDescriptors();
        byte[] whole = RawClient.request(9, "plugin.HandleEvent", Map.of("InstanceId", helloId, "EventName", "access"));
        RawClient c = RawClient.connect(server.socket());
        ServerProcess.await("the server counts the new connection", Duration.ofSeconds(30),
                () -> connectionsOpen() == openBefore + 1);
        c.send(Arrays.copyOf(whole, whole.length / 2));
        c.close();
        awaitLog("end of stream in the middle of a message", before);
        // freed: the server no longer holds the connection, nor its socket
        ServerProcess.await("the server's open connections are back to " + openBefore, Duration.ofSeconds(30),
                () -> connectionsOpen() == openBefore);
        ServerProcess.await("the server's sockets are back to " + socketsBefore, Duration.ofSeconds(30),
                () -> server.socketDescriptors() <= socketsBefore);
    }

    /** @return Kong's connections open in the server, from the shell's {@code kong:stats} */
    private static long connectionsOpen() {
        try {
            CommandResult stats = ShellIT.shell(server.prefix(), "kong:stats");
            assertEquals(0, stats.status(), stats.toString());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^connections open (\\d+)$")
                    .matcher(stats.out());
            assertTrue(m.find(), stats.out());
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eofMidEventIsReclaimedAfterTheAbandonTimeout() throws Exception {
        int before = occurrences("abandoned");
        try (RawClient c = RawClient.connect(server.socket())) {
            Value r = c.call(51, "plugin.HandleEvent", Map.of("InstanceId", helloId, "EventName", "access"));
            assertResponse(r, 51, null);
            Map<String, Value> step = stringMap(r.asArrayValue().get(3));
            Map<String, Value> data = stringMap(step.get("Data"));
            assertEquals("kong.request.get_header", data.get("Method").asStringValue().asString());
            assertEquals(1, eventsInFlight(), "the event waits for Kong's answer");
        }
        // Kong's connection died mid-event: nobody answers; the abandon timeout (2 s here) frees it
        ServerProcess.await("the event is abandoned and freed", Duration.ofSeconds(15), () -> eventsInFlight() == 0);
        awaitLog("abandoned", before);
    }

    @Test
    void oneByteASecondDoesNotHoldUpOthers() throws Exception {
        byte[] whole = RawClient.request(61, "plugin.GetStatus", null);
        try (RawClient slow = RawClient.connect(server.socket())) {
            for (int i = 0; i < 5; i++) {
                slow.send(new byte[] {whole[i]});
                long t0 = System.nanoTime();
                assertHelloWorks();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 1000, "a hello event took " + ms + " ms while a client trickles bytes");
                Thread.sleep(1000); // the trickle itself: one byte a second (not synchronisation)
            }
            slow.send(Arrays.copyOfRange(whole, 5, whole.length));
            assertResponse(slow.read(), 61, null);
        }
    }

    @Test
    void thousandsOfIdleConnectionsAreServedAndReleased() throws Exception {
        int n = 2000;
        long limit = openFilesLimit();
        assertTrue(limit >= n + 512, "the server's open-files limit " + limit + " must exceed " + (n + 512)
                + " for this test (raise ulimit -n; see README)");
        long threadsBefore = server.threads();
        List<RawClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                idle.add(RawClient.connect(server.socket()));
            }
            assertHelloWorks();
            assertConnectionGoesOn(idle.get(0));
            assertConnectionGoesOn(idle.get(n - 1));
            System.out.printf("idle connections: %d open; server threads %d before, %d with them open, RSS %d kB;"
                    + " open-files limit %d%n", n, threadsBefore, server.threads(), server.rssKb(), limit);
        } finally {
            for (RawClient c : idle) {
                c.close();
            }
        }
        ServerProcess.await("the connection threads are released", Duration.ofSeconds(60),
                () -> threads() <= threadsBefore + THREAD_TOLERANCE);
        System.out.printf("idle connections: closed; server threads back to %d%n", server.threads());
    }

    private static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(server.serverPid()), "limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no open-files limit for " + server.serverPid());
    }

    private static Map<String, Value> stringMap(Value v) {
        Map<String, Value> m = new HashMap<>();
        for (var e : v.asMapValue().entrySet()) {
            m.put(e.getKey().toString(), e.getValue());
        }
        return m;
    }

    private static byte[] packed(Object v) throws IOException {
        var p = org.msgpack.core.MessagePack.newDefaultBufferPacker();
        RawClient.pack(p, v);
        return p.toByteArray();
    }
}
