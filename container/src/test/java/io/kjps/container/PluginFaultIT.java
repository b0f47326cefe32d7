package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

/**
 * Plugin faults through the real socket (issue 6, item 3), with the fault-injecting {@code faulty} (default policy:
 * fail closed) and {@code faulty-open} ({@code kjps.fail.open.faulty-open=true}) test plugins deployed next to the
 * samples, and a 1 s handler deadline. After each case a normal hello event works and nothing is left in flight.
 */
class PluginFaultIT {
    private static final long DEADLINE_MS = 1000;
    private static final List<Object> ERROR_500 = List.of(500L);
    private static ServerProcess server;
    private static KongEmulator kong;
    private static long helloId;
    private static long faultyId;
    private static long faultyOpenId;
    private static long baselineThreads;

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Path prefix = ServerProcess.newPrefix();
        java.nio.file.Path deploy = ServerProcess.deployWithFaulty(prefix);
        server = ServerProcess.start(prefix, "-Dkjps.handler.timeout.ms=" + DEADLINE_MS
                        + " -Dkjps.fail.open.faulty-open=true -Dkjps.fail.open.faulty=false",
                List.of("-deploy", deploy.toString()), "hello", "faulty", "faulty-open");
        kong = emulator();
        helloId = kong.startInstance("hello", "{}");
        faultyId = kong.startInstance("faulty", "{\"limit\":7}");
        faultyOpenId = kong.startInstance("faulty-open", "{}");
        assertHelloWorks(kong);
        assertEquals("ok 7", event(faultyId, null).responseHeader("x-faulty"));
        baselineThreads = server.threads();
    }

    private static KongEmulator emulator() {
        return new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 8,
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

    @AfterEach
    void othersStillServed() {
        assertTrue(server.alive());
        assertHelloWorks(kong);
        assertEquals("ok 1", event(faultyOpenId, null).responseHeader("x-faulty"));
        ServerProcess.await("no event is left in flight", Duration.ofSeconds(10), () -> status("Events") == 0);
        ServerProcess.await("the thread count returns near " + baselineThreads, Duration.ofSeconds(45),
                () -> threads() <= baselineThreads + 32);
    }

    private static void assertHelloWorks(KongEmulator k) {
        FakeRequest r = FakeRequest.builder().header("x-name", "Bob").build();
        EventOutcome out = k.handleEvent(helloId, "access", r);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertEquals("hello Bob", r.responseHeader("x-hello"));
    }

    private static FakeRequest event(long instance, String fault) {
        FakeRequest r = request(fault);
        EventOutcome out = kong.handleEvent(instance, "access", r);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        return r;
    }

    private static FakeRequest request(String fault) {
        FakeRequest.Builder b = FakeRequest.builder();
        if (fault != null) {
            b.header("x-fault", fault);
        }
        return b.build();
    }

    private static long threads() {
        try {
            return server.threads();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long status(String key) {
        try (RawClient c = RawClient.connect(server.socket())) {
            Value r = c.call(1, "plugin.GetStatus", null);
            for (var e : r.asArrayValue().get(3).asMapValue().entrySet()) {
                if (e.getKey().toString().equals(key)) {
                    return e.getValue().asIntegerValue().toLong();
                }
            }
            throw new AssertionError("no " + key + " in " + r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLog(String text) {
        ServerProcess.await("the server logs \"" + text + "\"", Duration.ofSeconds(10),
                () -> server.logText().contains(text));
    }

    private static void assertFailsClosed(EventOutcome out) {
        assertEquals(EventOutcome.Ending.ERROR, out.ending(), out.toString());
        assertEquals("kong.response.error", out.terminalCall().method());
        assertEquals(ERROR_500, out.terminalArgs());
    }

    @Test
    void exceptionInAHandlerFailsClosedByDefault() {
        FakeRequest r = request("throw");
        assertFailsClosed(kong.handleEvent(faultyId, "access", r));
        assertEquals(500, r.status());
        awaitLog("java.lang.IllegalStateException: faulty: thrown on purpose");
        awaitLog("the request ends with kong.response.error(500)");
    }

    @Test
    void errorInAHandlerFailsClosedToo() {
        assertFailsClosed(kong.handleEvent(faultyId, "access", request("error")));
        awaitLog("java.lang.StackOverflowError: faulty: error on purpose");
    }

    @Test
    void aPluginConfiguredToFailOpenLetsTheRequestGoOn() {
        FakeRequest r = request("throw");
        EventOutcome out = kong.handleEvent(faultyOpenId, "access", r);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertEquals(List.of("kong.request.get_header"), out.methods());
        assertTrue(!r.exited(), "the request goes on");
        awaitLog("faulty-open 0.1.0");
        awaitLog("the event ends normally");
        // the same fault in the fail-closed plugin, right after, still fails closed
        assertFailsClosed(kong.handleEvent(faultyId, "access", request("throw")));
    }

    @Test
    void exceptionWhileDecodingTheConfigAnswersStartInstanceWithTheCause() {
        KongRpcException type = assertThrows(KongRpcException.class,
                () -> kong.startInstance("faulty", "{\"limit\":\"many\"}"));
        assertTrue(type.getMessage().contains("plugin.StartInstance: bad config for plugin faulty: config.limit: "),
                type.getMessage());
        KongRpcException ctor = assertThrows(KongRpcException.class,
                () -> kong.startInstance("faulty", "{\"limit\":-1}"));
        assertTrue(ctor.getMessage().contains("plugin.StartInstance: bad config for plugin faulty: ")
                && ctor.getMessage().contains("limit must not be negative, got -1"), ctor.getMessage());
    }

    @Test
    void aHandlerThatBlocksPastTheDeadlineFailsClosedAndIsInterrupted() {
        long t0 = System.nanoTime();
        assertFailsClosed(kong.handleEvent(faultyId, "access", request("block")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= DEADLINE_MS && ms < DEADLINE_MS + 5000, "ended after " + ms + " ms");
        awaitLog("did not return or call the PDK within " + DEADLINE_MS + " ms");
        awaitLog("java.lang.InterruptedException: sleep interrupted");
        EventOutcome open = kong.handleEvent(faultyOpenId, "access", request("block"));
        assertEquals(EventOutcome.Ending.RET, open.ending(), "faulty-open fails open on a timeout too");
    }

    @Test
    void aHandlerThatLoopsPastTheDeadlineFailsClosedAndIsInterrupted() {
        long t0 = System.nanoTime();
        assertFailsClosed(kong.handleEvent(faultyId, "access", request("loop")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= DEADLINE_MS && ms < DEADLINE_MS + 5000, "ended after " + ms + " ms");
        awaitLog("faulty: loop interrupted after");
    }

    @Test
    void aPdkCallAfterExitThrowsInThePluginAndNeverHangs() {
        FakeRequest r = request("after-exit");
        EventOutcome out = kong.handleEvent(faultyId, "access", r);
        assertEquals(EventOutcome.Ending.EXIT, out.ending());
        assertEquals(403L, out.terminalArgs().get(0));
        awaitLog("kong.request.get_header called after the event finished (kong.response.exit ended it)");
    }

    @Test
    void onePluginsFaultsNeverDisturbAnotherPluginsEvents() throws Exception {
        KongEmulator other = emulator();
        // two threads of their own: the common pool may have one thread on two cores (and does on Java 21+)
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<EventOutcome> blocked = CompletableFuture.supplyAsync(
                    () -> other.handleEvent(faultyId, "access", request("block")), two);
            CompletableFuture<EventOutcome> looping = CompletableFuture.supplyAsync(
                    () -> other.handleEvent(faultyId, "access", request("loop")), two);
            ServerProcess.await("two faulty events run", Duration.ofSeconds(5), () -> status("Events") >= 2);
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                assertHelloWorks(kong);
                assertEquals(EventOutcome.Ending.RET, kong.handleEvent(faultyOpenId, "access", request(null))
                        .ending());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < DEADLINE_MS / 2, "other plugins' events took " + ms + " ms");
            }
            assertFailsClosed(blocked.get(10, TimeUnit.SECONDS));
            assertFailsClosed(looping.get(10, TimeUnit.SECONDS));
        } finally {
            two.shutdownNow();
            other.client().pool().close();
        }
    }
}
