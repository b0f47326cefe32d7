package io.kjps.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.KongPacker;
import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.testutil.HelloPlugin;
import io.kjps.rpc.testutil.KongEnd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Each rare case of {@link RpcConnection}'s threading, one at a time, through real unix sockets: the step of an
 * event on another connection, another request on the connection an event waits on, a phase method that blocks
 * past the handler timeout, and a Kong that closes the connection an event waits on. Every answer is checked for
 * its msgid, so the order of answers on each connection is checked too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RareCasesTest {
    private static final int HANDLER_TIMEOUT_MS = 300;

    /** Blocks until released, without calling Kong. */
    static final class Stuck implements KongPhaseHandler<Object> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean sawInterrupt;

        @Override
        public void access(Kong kong, Object config) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                sawInterrupt = true;
            }
        }
    }

    private final Stuck stuck = new Stuck();
    private ExecutorService threads;
    private Dispatcher dispatcher;
    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
    private final List<KongEnd> ends = new ArrayList<>();

    @BeforeEach
    void setUp() {
        threads = HandlerThreads.create("rare-", 256);
        PluginRegistry registry = new PluginRegistry();
        assertNull(registry.register(served("hello", new HelloPlugin()), "a"));
        assertNull(registry.register(served("stuck", stuck), "b"));
        dispatcher = new Dispatcher(registry, threads, new DispatcherSettings(1_000, HANDLER_TIMEOUT_MS, 20_000, true));
    }

    private static ServedPlugin served(String name, KongPhaseHandler<Object> h) {
        return new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"" + name + "\",\"Version\":\"1.0.0\","
                + "\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},\"Handler\":\"x\"}"), h,
                ConfigDecoder.forType(null), "test");
    }

    @AfterEach
    void tearDown() throws Exception {
        stuck.release.countDown();
        for (KongEnd e : ends) {
            e.close();
        }
        threads.shutdownNow();
        dispatcher.close();
    }

    /** Kong's end of one connection, served by an RpcConnection started on a pool thread. */
    private final class Conn {
        final KongEnd end = KongEnd.open();
        final MessageUnpacker in = MessagePack.newDefaultUnpacker(end.in);

        Conn() throws Exception {
            ends.add(end);
            threads.execute(new RpcConnection(end.server, dispatcher, codec, threads, "conn", -1, null));
        }

        /** Sends a request and returns the answer's result, after checking that it answers this msgid. */
        Object call(long msgid, String method, Object param) throws Exception {
            end.out.write(KongPacker.pack(Arrays.asList(0, msgid, method, Arrays.asList(param))));
            List<?> answer = assertInstanceOf(List.class, MsgpackValues.read(in, DecodeLimits.DEFAULT));
            assertEquals(Arrays.asList(1L, msgid, null), answer.subList(0, 3), "answer " + answer);
            return answer.get(3);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static long start(Conn c, long msgid, String plugin) throws Exception {
        Map<?, ?> r = (Map<?, ?>) c.call(msgid, "plugin.StartInstance", map("Name", plugin, "Config", "{}"));
        return (Long) r.get("Id");
    }

    private static Map<?, ?> handle(Conn c, long msgid, long instance) throws Exception {
        return (Map<?, ?>) c.call(msgid, "plugin.HandleEvent", map("InstanceId", instance, "EventName", "access"));
    }

    private static Map<?, ?> step(Conn c, long msgid, Object eventId, Object data) throws Exception {
        Map<String, Object> p = map("EventId", eventId);
        if (data != null) {
            p.put("Data", data);
        }
        return (Map<?, ?>) c.call(msgid, "plugin.Step", p);
    }

    private static String method(Map<?, ?> stepResult) {
        return (String) ((Map<?, ?>) stepResult.get("Data")).get("Method");
    }

    /** A connection that still answers: it was not left without a thread. */
    private static void stillServed(Conn c, long msgid) throws Exception {
        assertTrue(((Map<?, ?>) c.call(msgid, "plugin.GetStatus", map())).containsKey("Pid"));
    }

    @Test
    void theStepOnAnotherConnection() throws Exception {
        Conn a = new Conn();
        Conn b = new Conn();
        long hello = start(a, 1, "hello");
        Map<?, ?> first = handle(a, 2, hello);
        assertEquals("kong.request.get_header", method(first));
        Object event = first.get("EventId");
        // the step comes on b: b's thread gives b to the event, whose thread lets a go to a fresh thread
        assertEquals("kong.response.set_header", method(step(b, 3, event, "Ann")));
        assertEquals("ret", step(b, 4, event, null).get("Data"));
        stillServed(a, 5);
        stillServed(b, 6);
        assertTrue(dispatcher.events().isEmpty());
    }

    @Test
    void anotherRequestOnTheConnectionAnEventWaitsOn() throws Exception {
        Conn a = new Conn();
        Conn b = new Conn();
        long hello = start(a, 1, "hello");
        Object first = handle(a, 2, hello).get("EventId");
        // Kong lent a to another request while the first event's PDK function ran: a goes, with it, to a fresh thread
        Object second = handle(a, 3, hello).get("EventId");
        assertTrue(!first.equals(second));
        // both events go on, their steps on either connection, each answered where it came
        assertEquals("kong.response.set_header", method(step(a, 4, first, "One")));
        assertEquals("kong.response.set_header", method(step(b, 5, second, "Two")));
        assertEquals("ret", step(b, 6, first, null).get("Data"));
        assertEquals("ret", step(a, 7, second, null).get("Data"));
        stillServed(a, 8);
        stillServed(b, 9);
        assertTrue(dispatcher.events().isEmpty());
    }

    @Test
    void aPhaseMethodPastTheHandlerTimeoutIsAnsweredForAndItsConnectionGoesOn() throws Exception {
        Conn a = new Conn();
        long id = start(a, 1, "stuck");
        long t0 = System.nanoTime();
        Map<?, ?> answer = handle(a, 2, id);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(stuck.entered.await(0, TimeUnit.SECONDS));
        assertTrue(waited >= HANDLER_TIMEOUT_MS, "answered by the watchdog, not before the deadline: " + waited);
        // fail closed: kong.response.error(500), a terminal call
        assertEquals("kong.response.error", method(answer));
        // the phase method's thread is stuck in plugin code; the connection is served by another one
        stillServed(a, 3);
        long hello = start(a, 4, "hello");
        assertEquals("kong.request.get_header", method(handle(a, 5, hello)));
    }

    @Test
    void kongClosesTheConnectionAnEventWaitsOnAndSendsTheStepOnAnother() throws Exception {
        Conn a = new Conn();
        Conn b = new Conn();
        long hello = start(b, 1, "hello");
        Object event = handle(a, 2, hello).get("EventId");
        a.end.out.close(); // EOF: the event's thread stops reading a and waits for its step elsewhere
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!a.end.serverClosed() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(a.end.serverClosed(), "the server closes its end at EOF");
        assertEquals("kong.response.set_header", method(step(b, 3, event, "Late")));
        assertEquals("ret", step(b, 4, event, null).get("Data"));
        stillServed(b, 5);
    }
}
