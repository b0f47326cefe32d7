package io.kjps.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
import io.kjps.rpc.testutil.KongEnd;
import java.io.OutputStream;
import io.kjps.rpc.testutil.RecordedLines;
import io.kjps.rpc.testutil.RecordedLines.Line;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Replays Kong's side of the golden conversations byte for byte against RpcConnections on one Dispatcher, one
 * in-memory connection per recorded {@code conn}, and compares each answer with the reference server's the way
 * Kong looks at it (conversations/README.md, "Replaying"). The plugins are Java ports of {@code plugins/*.js}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordingReplayTest {
    private static final long PID = 31337;

    record HelloConfig(@Default("hi") String greeting) {
    }

    /** plugins/hello.js. */
    static final class Hello implements KongPhaseHandler<HelloConfig> {
        @Override
        public void access(Kong kong, HelloConfig config) {
            String name = kong.request().getHeader("x-name");
            kong.response().setHeader("x-hello", "hello " + (name == null ? "undefined" : name));
            kong.response().setHeader("x-hello-greeting", config.greeting());
        }
    }

    /** plugins/block.js. */
    static final class Block implements KongPhaseHandler<Void> {
        @Override
        public void access(Kong kong, Void config) {
            if (kong.request().getHeader("x-block") != null) {
                kong.response().exit(403, "denied", Map.of("x-why", "test"));
            }
        }
    }

    private ExecutorService handlerThreads;
    private PluginRegistry registry;

    @BeforeEach
    void setUp() {
        handlerThreads = HandlerThreads.create("replay-", 256);
        registry = new PluginRegistry();
        registry.register(served("hello", 1000, new Hello(), HelloConfig.class), "bundle");
        registry.register(served("block", 2000, new Block(), null), "bundle");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        handlerThreads.shutdownNow();
        assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static ServedPlugin served(String name, int priority, KongPhaseHandler<?> h, Class<?> config) {
        return new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"" + name + "\",\"Version\":\"0.1.0\","
                + "\"Priority\":" + priority + ",\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},"
                + "\"Handler\":\"x\",\"ConfigType\":null}"), h, ConfigDecoder.forType(config), "replay");
    }

    /** Kong's end of one connection. */
    private final class Conn {
        final KongEnd end = KongEnd.open();
        final OutputStream toServer = end.out;
        final MessageUnpacker fromServer = MessagePack.newDefaultUnpacker(end.in);
        final Thread thread;

        Conn(int n, Dispatcher d) throws Exception {
            thread = new Thread(new RpcConnection(end.server, d, new RpcCodec(DecodeLimits.DEFAULT), handlerThreads,
                    "conn " + n, PID, null), "replay conn " + n);
            thread.start();
            assertEquals(List.of(2L, "serverPid", PID), read(), "conn " + n + " starts with serverPid");
        }

        Object read() throws Exception {
            return MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        }

        void close() throws Exception {
            toServer.close();
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), thread.getName() + " ends at EOF");
            end.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello-alice.jsonl", "hello-noname.jsonl", "block.jsonl", "restart.jsonl",
        "concurrency.jsonl", "config-change-reload.jsonl", "config-change-close.jsonl"})
    void replay(String file) throws Exception {
        List<Line> lines = RecordedLines.load(file);
        Map<Integer, Deque<Line>> expected = new HashMap<>();
        for (Line l : lines) {
            if (l.fromServer()) {
                expected.computeIfAbsent(l.conn(), c -> new ArrayDeque<>()).add(l);
            }
        }
        Dispatcher dispatcher = new Dispatcher(registry, handlerThreads,
                new DispatcherSettings(1_000, 10_000, 10_000, true));
        Map<Integer, Conn> open = new HashMap<>();
        int compared = 0;
        for (Line l : lines) {
            if (l.note() != null && l.note().startsWith("action: SIGTERM to the plugin server")) {
                // restart.jsonl: the server process dies; its tables go with it
                for (Conn c : open.values()) {
                    c.close();
                }
                open.clear();
                dispatcher = new Dispatcher(registry, handlerThreads,
                        new DispatcherSettings(1_000, 10_000, 10_000, true));
            } else if (l.event() != null && (l.event().equals("kong closed") || l.event().equals("server closed"))) {
                Conn c = open.remove(l.conn());
                if (c != null) {
                    c.close();
                }
            } else if (l.fromKong()) {
                Conn c = open.get(l.conn());
                if (c == null) {
                    c = new Conn(l.conn(), dispatcher);
                    open.put(l.conn(), c);
                }
                c.toServer.write(l.bytes());
                Line want = expected.get(l.conn()).poll();
                assertNotNull(want, file + " seq " + l.seq() + ": the reference answered");
                assertAnswer(file + " seq " + l.seq() + "/" + want.seq(), l, want, c.read());
                compared++;
            }
        }
        for (Conn c : open.values()) {
            c.close();
        }
        assertTrue(expected.values().stream().allMatch(Deque::isEmpty), file + ": every answer compared");
        assertEquals(lines.stream().filter(Line::fromServer).count(), compared);
        assertTrue(dispatcher.events().isEmpty(), file + ": no event left behind");
    }

    /** Compares what Kong looks at. */
    private static void assertAnswer(String where, Line request, Line reference, Object answer) {
        JsonArray req = request.msg().getAsJsonArray();
        JsonArray ref = reference.msg().getAsJsonArray();
        String method = req.get(2).getAsString();
        List<?> got = assertInstanceOf(List.class, answer, where);
        assertEquals(4, got.size(), where);
        assertEquals(1L, got.get(0), where);
        assertEquals(req.get(1).getAsLong(), got.get(1), where + ": msgid echoed");
        JsonElement refError = ref.get(2);
        if (method.equals("plugin.CloseInstance")) {
            return; // Kong ignores the result and the error
        }
        if (refError.isJsonNull()) {
            assertNull(got.get(2), where + ": no error");
        } else {
            String error = assertInstanceOf(String.class, got.get(2), where);
            assertTrue(refError.getAsString().toLowerCase(Locale.ROOT).contains("no plugin instance"), where);
            assertTrue(error.toLowerCase(Locale.ROOT).contains("no plugin instance"), where + ": " + error);
            assertTrue(error.contains("No plugin instance"), where + ": the wording Kong 2.3/2.4 match too");
            return;
        }
        Map<?, ?> result = assertInstanceOf(Map.class, got.get(3), where);
        JsonObject refResult = ref.get(3).getAsJsonObject();
        if (method.equals("plugin.StartInstance")) {
            assertEquals(refResult.get("Id").getAsLong(), result.get("Id"), where + ": Id");
            return;
        }
        assertEquals(refResult.get("EventId").getAsLong(), result.get("EventId"), where + ": EventId");
        RecordedLines.assertSameValue(refResult.get("Data"), result.get("Data"), where + ": Data");
    }
}
