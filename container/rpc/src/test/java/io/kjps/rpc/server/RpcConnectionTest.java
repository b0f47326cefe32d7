package io.kjps.rpc.server;

import static io.kjps.rpc.testutil.Bytes.ascii;
import static io.kjps.rpc.testutil.Bytes.concat;
import static io.kjps.rpc.testutil.Bytes.fixstr;
import static io.kjps.rpc.testutil.Bytes.hex;
import static io.kjps.rpc.testutil.Bytes.toHex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.config.Default;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.testutil.Bytes;
import io.kjps.rpc.testutil.KongEnd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessageUnpacker;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RpcConnectionTest {
    // hello-alice.jsonl, Kong's side
    static final String START = "940001b4706c7567696e2e5374617274496e7374616e63659182a44e616d65a568656c6c6fa6436f6e6"
            + "66967da00c67b225f5f6b65795f5f223a22706c7567696e733a68656c6c6f3a3a3a3a3a61346230633863312d366135652d3464"
            + "33662d396133352d303030303030303030303031222c225f5f7365715f5f223a312c226772656574696e67223a226869222c225f"
            + "5f706c7567696e5f6964223a2230303030303030302d303030302d343030302d383030302d303030303030303030303031222c22"
            + "5f5f77735f6964223a2261346230633863312d366135652d346433662d396133352d303030303030303030303031227d";
    static final String HANDLE = "940002b2706c7567696e2e48616e646c654576656e749182aa496e7374616e6365496400a94576656e"
            + "744e616d65a6616363657373";
    static final String STEP_ALICE = "940003ab706c7567696e2e537465709182a444617461a5416c696365a74576656e74496400";
    static final String STEP_4 = "940004ab706c7567696e2e537465709181a74576656e74496400";
    static final String STEP_5 = "940005ab706c7567696e2e537465709181a74576656e74496400";

    record HelloConfig(@Default("hi") String greeting) {
    }

    /** The JS reference's hello plugin in Java (conversations/plugins/hello.js). */
    static final class Hello implements KongPhaseHandler<HelloConfig> {
        static final List<String> THREADS = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void access(Kong kong, HelloConfig config) {
            THREADS.add(Thread.currentThread().getName());
            String name = kong.request().getHeader("x-name");
            kong.response().setHeader("x-hello", "hello " + (name == null ? "undefined" : name));
            kong.response().setHeader("x-hello-greeting", config.greeting());
        }
    }

    private ExecutorService handlerThreads;
    private Dispatcher dispatcher;
    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);

    @BeforeEach
    void setUp() {
        handlerThreads = HandlerThreads.create("conn-test-", 64);
        PluginRegistry registry = new PluginRegistry();
        PluginDescriptor d = PluginDescriptor.parse("{\"Kong\":{\"Name\":\"hello\",\"Version\":\"0.1.0\","
                + "\"Priority\":1000,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},\"Handler\":\"x.Hello\","
                + "\"ConfigType\":\"x.HelloConfig\"}");
        assertNull(registry.register(new ServedPlugin(d, new Hello(), ConfigDecoder.forType(HelloConfig.class),
                "test"), "bundle"));
        dispatcher = new Dispatcher(registry, handlerThreads, new DispatcherSettings(100, 10_000, 10_000, true));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        handlerThreads.shutdownNow();
        assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** What one connection wrote, whole. */
    record Served(byte[] written, List<Object> values) {
    }

    /**
     * Runs one connection on a thread named {@code connection-under-test}: Kong's end sends {@code kong} (one byte per
     * write when {@code oneByteWrites}) and then EOF; returns every byte the server wrote until it closed. The thread
     * ends then too, unless it runs an event still waiting for a step that may come on another connection.
     */
    private Served serveWhole(byte[] kong, long pid, boolean oneByteWrites) throws Exception {
        try (KongEnd end = KongEnd.open()) {
            RpcConnection c = new RpcConnection(end.server, dispatcher, codec, handlerThreads, "test", pid, null);
            Thread t = new Thread(c, "connection-under-test");
            t.start();
            if (oneByteWrites) {
                for (byte x : kong) {
                    end.out.write(x);
                }
            } else {
                end.out.write(kong);
            }
            end.out.close();
            byte[] written = end.readAll();
            if (dispatcher.events().isEmpty()) {
                t.join(TimeUnit.SECONDS.toMillis(20));
                assertFalse(t.isAlive(), "the connection's thread ends at EOF");
            }
            assertTrue(end.serverClosed(), "the connection closes its channel at EOF");
            return new Served(written, values(written));
        }
    }

    private List<Object> serve(byte[] in, long pid) throws Exception {
        return serveWhole(in, pid, false).values();
    }

    private static List<Object> values(byte[] bytes) throws Exception {
        List<Object> out = new ArrayList<>();
        MessageUnpacker u = unpacker(bytes);
        while (u.hasNext()) {
            out.add(MsgpackValues.read(u, DecodeLimits.DEFAULT));
        }
        return out;
    }

    private static Map<String, Object> call(String method, Object... args) {
        return Map.of("Method", method, "Args", Arrays.asList(args));
    }

    /** Asserts {@code [1, msgid, nil, {"EventId": eventId, "Data": data}]}. */
    private static void assertStep(Object response, long msgid, long eventId, Object data) {
        List<?> r = assertInstanceOf(List.class, response);
        assertEquals(Arrays.asList(1L, msgid, null), r.subList(0, 3), "response " + r);
        Map<?, ?> result = assertInstanceOf(Map.class, r.get(3));
        assertEquals(eventId, result.get("EventId"));
        assertEquals(data, result.get("Data"));
    }

    private static void assertError(Object response, long msgid, String error) {
        assertEquals(Arrays.asList(1L, msgid, error, null), response);
    }

    @Test
    void serverPidFirstThenEveryAnswerInOrder() throws Exception {
        byte[] kong = hex(START + HANDLE + STEP_ALICE + STEP_4 + STEP_5);
        byte[] written = serveWhole(kong, 4242, false).written();
        String pidNotification = "9302a9" + ascii("serverPid") + "cd1092";
        assertEquals(pidNotification, toHex(Arrays.copyOf(written, pidNotification.length() / 2)),
                "the first bytes are [2, \"serverPid\", 4242]");
        List<Object> out = values(written);
        assertEquals(6, out.size());
        assertEquals(List.of(2L, "serverPid", 4242L), out.get(0));
        List<?> started = assertInstanceOf(List.class, out.get(1));
        assertEquals(Arrays.asList(1L, 1L, null), started.subList(0, 3));
        assertEquals(0L, ((Map<?, ?>) started.get(3)).get("Id"));
        assertStep(out.get(2), 2, 0, call("kong.request.get_header", "x-name"));
        assertStep(out.get(3), 3, 0, call("kong.response.set_header", "x-hello", "hello Alice"));
        assertStep(out.get(4), 4, 0, call("kong.response.set_header", "x-hello-greeting", "hi"));
        assertStep(out.get(5), 5, 0, "ret");
    }

    @Test
    void eventsRunOnTheThreadThatReadsTheirConnection() throws Exception {
        Hello.THREADS.clear();
        List<Object> answers = serve(hex(START + HANDLE + STEP_ALICE + STEP_4 + STEP_5), -1);
        assertEquals(5, answers.size());
        assertStep(answers.get(4), 5, 0, "ret");
        // the phase method ran on the connection's own thread, which also read each step: no hand-off at all
        assertEquals(List.of("connection-under-test"), Hello.THREADS);
    }

    @Test
    void finalAnswerIsByteExact() throws Exception {
        Served served = serveWhole(hex(START + HANDLE + STEP_ALICE + STEP_4 + STEP_5), -1, false);
        List<Object> out = served.values();
        assertEquals(5, out.size(), "no serverPid with pid -1");
        assertEquals(List.of(1L, 1L), ((List<?>) out.get(0)).subList(0, 2), "the first thing written is a response");
        String all = toHex(served.written());
        // hello-alice.jsonl seq 12 is 940105c082a444617461a3726574a74576656e74496400 (JS puts Data first)
        assertTrue(all.endsWith("940105c082" + fixstr("EventId") + "00" + fixstr("Data") + fixstr("ret")), all);
    }

    @Test
    void malformedButValidMsgpackGetsAnErrorAndTheConnectionGoesOn() throws Exception {
        byte[] kong = concat(hex("94 00 07 2a 90"), hex("90"), hex("94 01 09 c0 c0"),
                hex("94 00 0a", fixstr("plugin.Nope"), "90"), hex(START));
        List<Object> out = serve(kong, -1);
        assertEquals(5, out.size());
        assertError(out.get(0), 7, "malformed request: expected the method name as a string, got integer 42");
        assertError(out.get(1), 0,
                "malformed request: expected a request of 4 elements [0, msgid, method, params], got 0");
        assertError(out.get(2), 9, "malformed request: expected message type 0 (request), got integer 1");
        assertError(out.get(3), 10, "method plugin.Nope not implemented");
        assertEquals(0L, ((Map<?, ?>) ((List<?>) out.get(4)).get(3)).get("Id"));
    }

    @Test
    void malformedRequestErrorIsByteExact() throws Exception {
        byte[] written = serveWhole(hex("94 00 07 2a 90"), -1, false).written();
        String msg = "malformed request: expected the method name as a string, got integer 42";
        assertEquals("940107d9" + String.format("%02x", msg.length()) + ascii(msg) + "c0", toHex(written));
    }

    @Test
    void garbageClosesOnlyThatConnectionAndEventsSurviveAcrossConnections() throws Exception {
        // connection A starts an instance and an event, then Kong puts it back in the pool (EOF here)
        List<Object> a = serve(hex(START + HANDLE), 1);
        assertEquals(3, a.size());
        assertStep(a.get(2), 2, 0, call("kong.request.get_header", "x-name"));

        // connection B sends bytes that are not msgpack: it is closed at once, nothing is answered
        List<Object> b = serve(concat(hex("c1 ff ff"), hex(STEP_ALICE)), 1);
        assertEquals(List.of(List.of(2L, "serverPid", 1L)), b);

        // connection C declares a 2 GB string: closed as well
        List<Object> c = serve(hex("94 00 03 db 80000000"), -1);
        assertEquals(List.of(), c);

        // connection D ends in the middle of a message after one whole request: that one is still answered
        List<Object> d = serve(concat(hex("94 00 21", fixstr("plugin.GetStatus"), "90"),
                Arrays.copyOf(hex(STEP_ALICE), 9)), -1);
        assertEquals(1, d.size());
        assertEquals(Arrays.asList(1L, 33L, null), ((List<?>) d.get(0)).subList(0, 3));

        // connection E carries the rest of A's event
        List<Object> e = serve(hex(STEP_ALICE + STEP_4 + STEP_5), -1);
        assertStep(e.get(0), 3, 0, call("kong.response.set_header", "x-hello", "hello Alice"));
        assertStep(e.get(1), 4, 0, call("kong.response.set_header", "x-hello-greeting", "hi"));
        assertStep(e.get(2), 5, 0, "ret");
        assertTrue(dispatcher.events().isEmpty());
    }

    @Test
    void garbageOnOneConnectionWhileAnotherIsWaiting() throws Exception {
        KongEnd end = KongEnd.open();
        Thread live = new Thread(new RpcConnection(end.server, dispatcher, codec, handlerThreads, "live", -1, null),
                "live connection");
        live.start();
        MessageUnpacker fromServer = org.msgpack.core.MessagePack.newDefaultUnpacker(end.in);
        end.out.write(hex(START));
        assertEquals(0L, ((Map<?, ?>) ((List<?>) MsgpackValues.read(fromServer, DecodeLimits.DEFAULT)).get(3))
                .get("Id"));
        end.out.write(hex(HANDLE));
        assertStep(MsgpackValues.read(fromServer, DecodeLimits.DEFAULT), 2, 0,
                call("kong.request.get_header", "x-name"));

        assertEquals(List.of(), serve(hex("c1"), -1));

        end.out.write(hex(STEP_ALICE));
        assertStep(MsgpackValues.read(fromServer, DecodeLimits.DEFAULT), 3, 0,
                call("kong.response.set_header", "x-hello", "hello Alice"));
        end.out.close();
        live.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(live.isAlive(), "EOF ends the connection");
        assertTrue(end.serverClosed());
        end.close();
    }

    @Test
    void oneBytePerReadIsServedTheSame() throws Exception {
        List<Object> out = serveWhole(hex(START + HANDLE + STEP_ALICE + STEP_4 + STEP_5), -1, true).values();
        assertEquals(5, out.size());
        assertStep(out.get(4), 5, 0, "ret");
    }

    @Test
    void stoppingEndsAPhaseMethodBlockedInPluginCodeAndTheConnection() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PluginRegistry registry = new PluginRegistry();
        registry.register(new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"slow\",\"Version\":\"1\","
                + "\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{}},\"Handler\":\"x\"}"),
                new KongPhaseHandler<Object>() {
                    @Override
                    public void access(Kong kong, Object config) throws InterruptedException {
                        entered.countDown();
                        release.await();
                    }
                }, ConfigDecoder.forType(null), "test"), "b");
        Dispatcher slow = new Dispatcher(registry, handlerThreads, new DispatcherSettings(100, 60_000, 60_000, true));
        byte[] kong = concat(hex("94 00 01", "b4", ascii("plugin.StartInstance"), "91 82", fixstr("Name"),
                fixstr("slow"), fixstr("Config"), fixstr("{}")), hex("94 00 02 b2", ascii("plugin.HandleEvent"),
                "91 82", fixstr("InstanceId"), "00", fixstr("EventName"), fixstr("access")));
        KongEnd end = KongEnd.open();
        RpcConnection connection = new RpcConnection(end.server, slow, codec, handlerThreads, "slow", -1, null);
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            connection.run();
            returned.complete(null);
        });
        t.start();
        end.out.write(kong);
        try {
            assertTrue(entered.await(20, TimeUnit.SECONDS));
            // what the socket server does when it stops: end the events, close the connections
            slow.cancelEvents(null, "the server is stopping");
            connection.close();
            returned.get(20, TimeUnit.SECONDS);
            assertTrue(end.serverClosed());
        } finally {
            release.countDown();
            end.close();
        }
    }
}
