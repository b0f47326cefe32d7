package io.kjps.rpc.dispatch;

import static io.kjps.rpc.dispatch.TestPlugins.assertCall;
import static io.kjps.rpc.dispatch.TestPlugins.assertRet;
import static io.kjps.rpc.dispatch.TestPlugins.handle;
import static io.kjps.rpc.dispatch.TestPlugins.id;
import static io.kjps.rpc.dispatch.TestPlugins.list;
import static io.kjps.rpc.dispatch.TestPlugins.map;
import static io.kjps.rpc.dispatch.TestPlugins.plugin;
import static io.kjps.rpc.dispatch.TestPlugins.request;
import static io.kjps.rpc.dispatch.TestPlugins.start;
import static io.kjps.rpc.dispatch.TestPlugins.step;
import static io.kjps.rpc.dispatch.TestPlugins.stepNoData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kjps.pdk.Kong;
import io.kjps.pdk.PdkException;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.config.Default;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.plugin.Phase;
import io.kjps.rpc.server.HandlerThreads;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatcherTest {
    static final String OWNER = "bundle 1";
    static final DispatcherSettings SETTINGS = new DispatcherSettings(2_000, 10_000, 10_000, true);
    static final String ALICE_CONFIG = "{\"__key__\":\"plugins:hello:::::a4b0c8c1-6a5e-4d3f-9a35-000000000001\","
            + "\"__seq__\":1,\"greeting\":\"hi\",\"__plugin_id\":\"00000000-0000-4000-8000-000000000001\","
            + "\"__ws_id\":\"a4b0c8c1-6a5e-4d3f-9a35-000000000001\"}";
    static final String WAIT = "test: never released";

    record Hello(@Default("hi") String greeting) {
    }

    record Counter(@Default("7") int n, @Default("[]") List<String> tags) {
    }

    private PluginRegistry registry;
    private ExecutorService handlerThreads;
    private ExecutorService connections;
    private final List<CountDownLatch> toRelease = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        registry = new PluginRegistry();
        handlerThreads = HandlerThreads.create("test-handler-", 512);
        connections = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        toRelease.forEach(CountDownLatch::countDown);
        handlerThreads.shutdownNow();
        connections.shutdownNow();
        assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(connections.awaitTermination(10, TimeUnit.SECONDS));
    }

    private Dispatcher dispatcher(DispatcherSettings settings) {
        return new Dispatcher(registry, handlerThreads, settings);
    }

    private Dispatcher dispatcher() {
        return dispatcher(SETTINGS);
    }

    private ServedPlugin serve(ServedPlugin p) {
        assertNull(registry.register(p, OWNER));
        return p;
    }

    /** A latch that the test tears down, so no handler thread outlives its test. */
    private CountDownLatch latch() {
        CountDownLatch l = new CountDownLatch(1);
        toRelease.add(l);
        return l;
    }

    /** Dispatches on another thread, as another Kong connection would. */
    private Object onOtherConnection(Dispatcher d, RpcRequest r) throws Exception {
        Future<Object> f = connections.submit(() -> d.dispatch(r));
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpcError err) {
                throw err;
            }
            throw e;
        }
    }

    private static String error(Dispatcher d, RpcRequest r) {
        return assertThrows(RpcError.class, () -> d.dispatch(r)).getMessage();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out waiting for the handler");
    }

    /** A handler for the access phase. */
    interface Access<C> {
        void run(Kong kong, C config) throws Exception;
    }

    private static <C> KongPhaseHandler<C> access(Access<C> body) {
        return new KongPhaseHandler<>() {
            @Override
            public void access(Kong kong, C config) throws Exception {
                body.run(kong, config);
            }
        };
    }

    private static <C> KongPhaseHandler<C> log(Access<C> body) {
        return new KongPhaseHandler<>() {
            @Override
            public void log(Kong kong, C config) throws Exception {
                body.run(kong, config);
            }
        };
    }

    // ---- instances ----

    @Test
    void startInstanceGivesIntegerIdsFromZeroUpwards() throws Exception {
        serve(plugin("hello", access((k, c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        for (long expected = 0; expected < 5; expected++) {
            Object result = d.dispatch(start("hello", ALICE_CONFIG));
            Map<?, ?> m = assertInstanceOf(Map.class, result);
            assertEquals(List.of("Name", "Id", "Config", "StartTime"), List.copyOf(m.keySet()));
            assertEquals("hello", m.get("Name"));
            assertEquals(expected, m.get("Id"));
            assertEquals(ALICE_CONFIG, m.get("Config"), "the config as Kong sent it");
            assertInstanceOf(Double.class, m.get("StartTime"));
        }
        assertEquals(5, d.instances().size());
    }

    @Test
    void configWithKongsExtraKeysIsDecodedWithDefaults() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        serve(plugin("hello", access((k, c) -> seen.set(c)), Hello.class, "access"));
        serve(plugin("counter", access((k, c) -> seen.set(c)), Counter.class, "access"));
        Dispatcher d = dispatcher();

        long hello = id(d.dispatch(start("hello", ALICE_CONFIG)));
        assertRet(d.dispatch(handle(hello, "access")));
        assertEquals(new Hello("hi"), seen.get());

        long counter = id(d.dispatch(start("counter", "{\"__key__\":\"plugins:counter::::\",\"__seq__\":4,"
                + "\"__plugin_id\":\"00000000-0000-4000-8000-000000000009\",\"__ws_id\":\"w\",\"tags\":{},"
                + "\"route_id\":null}")));
        assertRet(d.dispatch(handle(counter, "access")));
        assertEquals(new Counter(7, List.of()), seen.get());
    }

    @Test
    void startInstanceErrors() throws Exception {
        serve(plugin("counter", access((k, c) -> { }), Counter.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(50, 1_000, 1_000, true));
        assertEquals("plugin.StartInstance: bad config for plugin counter: config.n: expected an integer, got \"x\"",
                error(d, start("counter", "{\"n\":\"x\"}")));
        assertEquals("plugin.StartInstance: no plugin named nope is deployed (serving [counter])",
                error(d, start("nope", "{}")));
        assertEquals("plugin.StartInstance: Config must be a JSON string, got map of 0",
                error(d, request("plugin.StartInstance", map("Name", "counter", "Config", map()))));
        assertEquals("plugin.StartInstance: expected Name as a string, got nil",
                error(d, request("plugin.StartInstance", map("Config", "{}"))));
        assertEquals("plugin.StartInstance: expected a map {Name, Config}, got integer 1",
                error(d, request("plugin.StartInstance", 1L)));
        assertTrue(d.instances().isEmpty(), "no instance was created by a failed start");
        assertEquals(0, id(d.dispatch(start("counter", null))), "ids are only used by successful starts");
    }

    @Test
    void closeInstance() throws Exception {
        serve(plugin("hello", access((k, c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long a = id(d.dispatch(start("hello", "{\"greeting\":\"one\"}")));
        long b = id(d.dispatch(start("hello", "{\"greeting\":\"two\"}")));
        Map<?, ?> closed = assertInstanceOf(Map.class, d.dispatch(request("plugin.CloseInstance", a)));
        assertEquals(a, closed.get("Id"));
        assertEquals("{\"greeting\":\"one\"}", closed.get("Config"));
        assertEquals("No plugin instance " + a, error(d, handle(a, "access")));
        assertRet(d.dispatch(handle(b, "access")));
        assertEquals("No plugin instance " + a, error(d, request("plugin.CloseInstance", a)));
        assertEquals("plugin.CloseInstance: expected a non-negative integer id, got string \"0\"",
                error(d, request("plugin.CloseInstance", "0")));
    }

    @Test
    void instanceStatusStatusAndPluginInfo() throws Exception {
        serve(plugin("hello", access((k, c) -> { }), Hello.class, "access", "log"));
        serve(plugin("block", access((k, c) -> { }), null, "access"));
        Dispatcher d = dispatcher();
        long id = id(d.dispatch(start("hello", "{}")));
        Map<?, ?> status = assertInstanceOf(Map.class, d.dispatch(request("plugin.InstanceStatus", id)));
        assertEquals("hello", status.get("Name"));
        assertEquals(id, status.get("Id"));
        assertEquals("No plugin instance 9", error(d, request("plugin.InstanceStatus", 9L)));

        Map<?, ?> server = assertInstanceOf(Map.class, d.dispatch(request("plugin.GetStatus", null)));
        assertEquals(ProcessHandle.current().pid(), server.get("Pid"));
        Map<?, ?> plugins = assertInstanceOf(Map.class, server.get("Plugins"));
        assertEquals(List.of("block", "hello"), List.copyOf(plugins.keySet()));
        Map<?, ?> hello = assertInstanceOf(Map.class, plugins.get("hello"));
        assertEquals("hello", hello.get("Name"));
        assertEquals(List.of(status), hello.get("Instances"), "the JS and Python servers' shape: each instance's status");
        assertTrue((Double) hello.get("LastStartInstance") > 0);
        assertEquals(0.0, hello.get("LastCloseInstance"));
        assertEquals(List.of(), ((Map<?, ?>) plugins.get("block")).get("Instances"));
        assertEquals(Map.of(), server.get("Metrics"), "no recorder: no figures");
        assertEquals(1L, server.get("Instances"));
        assertEquals(0L, server.get("Events"));

        Map<?, ?> info = assertInstanceOf(Map.class, d.dispatch(request("plugin.GetPluginInfo", "hello")));
        assertEquals("hello", info.get("Name"));
        assertEquals("0.1.0", info.get("Version"));
        assertEquals(1000L, info.get("Priority"));
        assertEquals(List.of("access", "log"), info.get("Phases"));
        assertEquals("{\"fields\":[]}", info.get("Schema"));
        assertEquals("plugin.GetPluginInfo: no plugin named x is deployed",
                error(d, request("plugin.GetPluginInfo", "x")));
        assertEquals("plugin.GetPluginInfo: expected a plugin name, got integer 1",
                error(d, request("plugin.GetPluginInfo", 1L)));
    }

    @Test
    void unknownMethod() {
        assertEquals("method plugin.SetPluginDir not implemented",
                error(dispatcher(), request("plugin.SetPluginDir", "/x")));
    }

    // ---- event errors ----

    @Test
    void handleEventForAnUnknownInstance() {
        Dispatcher d = dispatcher();
        assertEquals("No plugin instance 42", error(d, handle(42, "access")));
        assertEquals("No plugin instance 0", error(d, handle(0, "access")));
    }

    @Test
    void handleEventWithAnUnknownEventName() throws Exception {
        serve(plugin("hello", access((k, c) -> fail("must not run")), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long id = id(d.dispatch(start("hello", "{}")));
        assertEquals("plugin.HandleEvent: unknown event body_filter; expected certificate, rewrite, access, "
                + "response, preread or log", error(d, handle(id, "body_filter")));
        assertEquals("plugin.HandleEvent: unknown event Access; expected certificate, rewrite, access, response, "
                + "preread or log", error(d, handle(id, "Access")));
        assertTrue(d.events().isEmpty());
    }

    @Test
    void malformedEventParams() {
        Dispatcher d = dispatcher();
        assertEquals("plugin.HandleEvent: expected a map {InstanceId, EventName}, got integer 5",
                error(d, request("plugin.HandleEvent", 5L)));
        assertEquals("plugin.HandleEvent InstanceId: expected a non-negative integer id, got string \"x\"",
                error(d, request("plugin.HandleEvent", map("InstanceId", "x", "EventName", "access"))));
        assertEquals("plugin.HandleEvent InstanceId: expected a non-negative integer id, got integer -1",
                error(d, request("plugin.HandleEvent", map("InstanceId", -1L, "EventName", "access"))));
        assertEquals("plugin.Step EventId: expected a non-negative integer id, got nil",
                error(d, request("plugin.Step", map("Data", "x"))));
        assertEquals("plugin.Step: expected a map {EventId, Data}, got nil", error(d, request("plugin.Step", null)));
    }

    @Test
    void idsSentAsIntegralFloatsAreAccepted() throws Exception {
        serve(plugin("hello", access((k, c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long id = id(d.dispatch(start("hello", "{}")));
        assertRet(d.dispatch(request("plugin.HandleEvent", map("InstanceId", (double) id, "EventName", "access"))));
        assertEquals("plugin.HandleEvent InstanceId: expected a non-negative integer id, got float 0.5",
                error(d, request("plugin.HandleEvent", map("InstanceId", 0.5, "EventName", "access"))));
    }

    @Test
    void stepForAnUnknownEvent() {
        Dispatcher d = dispatcher();
        assertEquals("plugin.Step: no running event 99", error(d, step(99, "x")));
        assertEquals("plugin.StepMultiMap: no running event 99",
                error(d, request("plugin.StepMultiMap", map("EventId", 99L, "Data", map()))));
        assertEquals("plugin.StepError: no running event 7",
                error(d, request("plugin.StepError", map("EventId", 7L, "Data", "boom"))));
    }

    // ---- a full event ----

    @Test
    void fullEventWithStepsOnOtherConnections() throws Exception {
        AtomicReference<String> host = new AtomicReference<>();
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            handlerThread.set(Thread.currentThread());
            host.set(k.request().getHeader("host"));
            k.response().setHeader("x-host", host.get() + " " + c.greeting());
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", ALICE_CONFIG)));

        Object first = d.dispatch(handle(instance, "access"));
        long event = assertCall(first, "kong.request.get_header", false, "host");
        assertEquals(0, event, "event ids count from 0");
        assertEquals(1, d.events().size());
        assertTrue(d.events().iterator().next().awaitingResult());
        assertEquals(Phase.ACCESS, d.events().iterator().next().phase());

        Object second = onOtherConnection(d, step(event, "example.com"));
        assertEquals(event, assertCall(second, "kong.response.set_header", false, "x-host", "example.com hi"));
        assertEquals("example.com", host.get());

        Object third = onOtherConnection(d, stepNoData(event));
        assertEquals(event, assertRet(third));
        assertTrue(d.events().isEmpty(), "a finished event leaves the table");
        assertEquals(1, d.eventsStarted());
        assertNotSame(Thread.currentThread(), handlerThread.get());
        assertEquals("plugin.Step: no running event 0", error(d, stepNoData(event)));
    }

    @Test
    void stepWithoutDataGivesNullToTheHandler() throws Exception {
        AtomicReference<Object> got = new AtomicReference<>("unset");
        CountDownLatch done = new CountDownLatch(1);
        serve(plugin("hello", access((Kong k, Hello c) -> {
            got.set(k.request().getHeader("x-name"));
            done.countDown();
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x-name");
        assertRet(onOtherConnection(d, stepNoData(event)));
        await(done);
        assertNull(got.get());
    }

    @Test
    void stepErrorBecomesAPdkException() throws Exception {
        AtomicReference<String> message = new AtomicReference<>();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            try {
                k.request().getHeader("x");
            } catch (PdkException e) {
                message.set(e.getMessage());
            }
            try {
                k.call("kong.x");
            } catch (PdkException e) {
                message.set(message.get() + " | " + e.getMessage());
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x");
        assertCall(onOtherConnection(d, request("plugin.StepError", map("EventId", event, "Data", "boom"))),
                "kong.x", false);
        assertRet(d.dispatch(request("plugin.StepError", map("EventId", event))));
        assertEquals("kong.request.get_header failed in Kong: boom | kong.x failed in Kong: unknown error",
                message.get());
    }

    @Test
    void typedStepVariantsDeliverTheirData() throws Exception {
        AtomicReference<Object> query = new AtomicReference<>();
        AtomicReference<Object> consumer = new AtomicReference<>();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            query.set(k.request().getQuery());
            consumer.set(k.call("kong.client.get_consumer"));
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_query", false);
        assertCall(d.dispatch(request("plugin.StepMultiMap", map("EventId", event,
                "Data", map("flag", list(), "a", list("1"), "b", list("2", "3"))))), "kong.client.get_consumer", false);
        assertRet(d.dispatch(request("plugin.StepConsumer", map("EventId", event, "Data", map("id", "c1")))));
        assertEquals(Map.of("flag", List.of(), "a", List.of("1"), "b", List.of("2", "3")), query.get());
        assertEquals(map("id", "c1"), consumer.get());
        for (String variant : List.of("plugin.StepCredential", "plugin.StepRoute", "plugin.StepService",
                "plugin.StepMemoryStats", "plugin.StepPlugin")) {
            assertEquals(variant + ": no running event 1234", error(d, request(variant, map("EventId", 1234L))));
        }
    }

    @Test
    void stepWhileTheHandlerIsRunningIsRefused() throws Exception {
        CountDownLatch gotResult = new CountDownLatch(1);
        CountDownLatch release = latch();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            k.request().getHeader("x");
            gotResult.countDown();
            release.await();
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x");
        Future<Object> pending = connections.submit(() -> d.dispatch(step(event, "v")));
        await(gotResult);
        assertEquals("event " + event + " is not waiting for a PDK result (running)",
                error(d, step(event, "again")));
        release.countDown();
        assertRet(pending.get(20, TimeUnit.SECONDS));
    }

    // ---- terminal calls ----

    @Test
    void exitIsTerminal() throws Exception {
        AtomicReference<String> afterExit = new AtomicReference<>();
        AtomicBoolean returnedFromExit = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        serve(plugin("block", access((Kong k, Object c) -> {
            try {
                if (k.request().getHeader("x-block") != null) {
                    k.response().exit(403, "denied", Map.of("x-why", "test"));
                    returnedFromExit.set(true);
                    try {
                        k.request().getHeader("x-after");
                    } catch (PdkException e) {
                        afterExit.set(e.getMessage());
                    }
                }
            } finally {
                done.countDown();
            }
        }), null, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("block", "{}")));
        long event = assertCall(d.dispatch(handle(instance, "access")), "kong.request.get_header", false, "x-block");
        Object exit = onOtherConnection(d, step(event, "1"));
        assertEquals(event, assertCall(exit, "kong.response.exit", true, 403, "denied", Map.of("x-why", "test")));
        assertTrue(d.events().isEmpty(), "the event leaves the table as soon as exit is handed to Kong");
        await(done);
        assertTrue(returnedFromExit.get(), "exit returns to the plugin without waiting for Kong");
        assertEquals("kong.request.get_header called after the event finished (kong.response.exit ended it)",
                afterExit.get());
        assertEquals("plugin.Step: no running event " + event, error(d, stepNoData(event)));

        // block.jsonl seq 11: the same connection carries the next request's HandleEvent
        long next = assertCall(d.dispatch(handle(instance, "access")), "kong.request.get_header", false, "x-block");
        assertEquals(event + 1, next);
        assertRet(d.dispatch(stepNoData(next)));
    }

    @Test
    void errorIsTerminalToo() throws Exception {
        serve(plugin("block", access((Kong k, Object c) -> k.response().error(503, "busy", null)), null,
                "access"));
        Dispatcher d = dispatcher();
        Object r = d.dispatch(handle(id(d.dispatch(start("block", "{}"))), "access"));
        assertCall(r, "kong.response.error", true, 503, "busy");
        assertTrue(d.events().isEmpty());
    }

    // ---- failures ----

    @Test
    void handlerExceptionFailsClosedWithError500() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        Object r = d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access"));
        assertCall(r, "kong.response.error", true, 500);
        assertTrue(d.events().isEmpty());
    }

    @Test
    void handlerExceptionAfterAPdkCallFailsClosedOnTheStep() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> {
            if (k.request().getHeader("x") == null) {
                throw new Exception("checked");
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x");
        assertCall(onOtherConnection(d, stepNoData(event)), "kong.response.error", true, 500);
        assertTrue(d.events().isEmpty());
    }

    @Test
    void handlerExceptionInTheLogPhaseJustEnds() throws Exception {
        serve(plugin("hello", log((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "log"));
        Dispatcher d = dispatcher();
        assertRet(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "log")));
        assertTrue(d.events().isEmpty());
    }

    @Test
    void failOpenEndsTheEventWithRet() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 10_000, false));
        assertRet(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")));
    }

    @Test
    void perPluginFailurePolicyOverridesTheGlobalOne() throws Exception {
        serve(plugin("open", access((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "access"));
        serve(plugin("closed", access((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "access"));
        serve(plugin("global", access((Kong k, Hello c) -> {
            throw new IllegalStateException("plugin bug");
        }), Hello.class, "access"));
        Map<String, Boolean> failOpen = Map.of("open", true, "closed", false);
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 10_000, true, failOpen::get));
        assertRet(d.dispatch(handle(id(d.dispatch(start("open", "{}"))), "access")));
        assertCall(d.dispatch(handle(id(d.dispatch(start("closed", "{}"))), "access")), "kong.response.error", true,
                500);
        assertCall(d.dispatch(handle(id(d.dispatch(start("global", "{}"))), "access")), "kong.response.error", true,
                500);
        Dispatcher open = dispatcher(new DispatcherSettings(100, 10_000, 10_000, false, failOpen::get));
        assertCall(open.dispatch(handle(id(open.dispatch(start("closed", "{}"))), "access")), "kong.response.error",
                true, 500);
        assertRet(open.dispatch(handle(id(open.dispatch(start("global", "{}"))), "access")));
        assertTrue(d.events().isEmpty());
        assertTrue(open.events().isEmpty());
    }

    @Test
    void perPluginFailurePolicyLookupThatFailsFallsBackToTheGlobalOne() {
        DispatcherSettings s = new DispatcherSettings(1, 1, 1, true, name -> {
            throw new IllegalStateException("framework stopping");
        });
        assertTrue(s.failClosedFor("any"));
        assertTrue(DispatcherSettings.DEFAULT.failClosedFor("any"));
        assertEquals(DispatcherSettings.DEFAULT, new DispatcherSettings(5_000, 30_000, 65_000, true, null));
    }

    @Test
    void argumentKongCannotReceiveFailsInThePluginsThread() throws Exception {
        AtomicReference<String> message = new AtomicReference<>();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            try {
                k.response().setHeaders(Map.of("x", new Object()));
            } catch (IllegalArgumentException e) {
                message.set(e.getMessage());
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        assertRet(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")));
        assertEquals("cannot send a java.lang.Object to Kong: use text, numbers, booleans, byte[], lists, maps or"
                + " null", message.get());
    }

    @Test
    void handlerThatBlocksTooLongIsFailedAndInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> afterTimeout = new AtomicReference<>();
        CountDownLatch never = latch();
        serve(plugin("hello", access((Kong k, Hello c) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                try {
                    k.request().getHeader("x");
                } catch (PdkException p) {
                    afterTimeout.set(p.getMessage());
                }
            } finally {
                done.countDown();
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 200, 10_000, true));
        long instance = id(d.dispatch(start("hello", "{}")));
        long t0 = System.nanoTime();
        Object r = d.dispatch(handle(instance, "access"));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertCall(r, "kong.response.error", true, 500);
        assertTrue(waitedMillis >= 200, "waited " + waitedMillis + " ms");
        assertTrue(waitedMillis < 10_000, "waited " + waitedMillis + " ms");
        assertTrue(d.events().isEmpty());
        await(interrupted);
        await(done);
        assertEquals("kong.request.get_header called after the event finished (timed out after 200 ms)",
                afterTimeout.get());
    }

    @Test
    void handlerThatBlocksAfterAStepIsFailedOnThatStep() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = latch();
        serve(plugin("hello", log((Kong k, Hello c) -> {
            k.request().getHeader("x");
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }), Hello.class, "log"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 200, 10_000, true));
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "log")),
                "kong.request.get_header", false, "x");
        assertRet(onOtherConnection(d, stepNoData(event)));
        assertTrue(d.events().isEmpty());
        await(interrupted);
    }

    @Test
    void abandonedEventEndsWithAPdkExceptionInTheHandler() throws Exception {
        AtomicReference<String> message = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        serve(plugin("hello", access((Kong k, Hello c) -> {
            try {
                k.request().getHeader("x-provoke");
            } catch (PdkException e) {
                message.set(e.getMessage());
            } finally {
                done.countDown();
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 150, true));
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x-provoke");
        // Kong raised in Lua and never sends the Step (pdkcheck-error.jsonl)
        await(done);
        assertEquals("Kong sent no result for kong.request.get_header within 150 ms: abandoned", message.get());
        assertTrue(d.events().isEmpty(), "an abandoned event leaves the table");
        assertEquals("plugin.Step: no running event " + event, error(d, stepNoData(event)));
    }

    @Test
    void abandonRacingWithALateStepIsConsistent() throws Exception {
        java.util.concurrent.BlockingQueue<String> outcomes = new java.util.concurrent.LinkedBlockingQueue<>();
        serve(plugin("racy", access((Kong k, Hello c) -> {
            try {
                outcomes.add("value " + k.request().getHeader("x"));
            } catch (PdkException e) {
                outcomes.add("abandoned");
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 3, true));
        long instance = id(d.dispatch(start("racy", "{}")));
        for (int i = 0; i < 150; i++) {
            long event = assertCall(d.dispatch(handle(instance, "access")), "kong.request.get_header", false, "x");
            long until = System.nanoTime() + java.util.concurrent.ThreadLocalRandom.current().nextLong(6_000_000);
            spinUntil(() -> System.nanoTime() >= until);
            String value = "v" + i;
            boolean stepOk;
            try {
                assertRet(d.dispatch(step(event, value)));
                stepOk = true;
            } catch (RpcError e) {
                stepOk = false;
                assertTrue(e.getMessage().equals("plugin.Step: no running event " + event)
                        || e.getMessage().equals("event " + event + " is not waiting for a PDK result (finished: "
                        + "Kong sent no result for kong.request.get_header within 3 ms: abandoned)"), e.getMessage());
            }
            String outcome = outcomes.poll(20, TimeUnit.SECONDS);
            assertEquals(stepOk ? "value " + value : "abandoned", outcome, "iteration " + i);
            spinUntil(() -> d.events().isEmpty());
        }
        assertTrue(outcomes.isEmpty());
    }

    @Test
    void handlerTimeoutRacingWithReturnNeverLeaksAnInterrupt() throws Exception {
        AtomicInteger interruptedAtStart = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        serve(plugin("racy", access((Kong k, Hello c) -> {
            if (Thread.currentThread().isInterrupted()) {
                interruptedAtStart.incrementAndGet();
            }
            ran.incrementAndGet();
            long until = System.nanoTime() + java.util.concurrent.ThreadLocalRandom.current().nextLong(6_000_000);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }), Hello.class, "access"));
        // few handler threads, so they are reused by the following events
        ExecutorService small = HandlerThreads.create("reused-", 2);
        try {
            Dispatcher d = new Dispatcher(registry, small, new DispatcherSettings(100, 3, 10_000, true));
            long instance = id(d.dispatch(start("racy", "{}")));
            for (int i = 0; i < 150; i++) {
                Object r = d.dispatch(handle(instance, "access"));
                StepResult s = assertInstanceOf(StepResult.class, r);
                if (!StepResult.RET.equals(s.data())) {
                    assertCall(r, "kong.response.error", true, 500);
                }
                assertTrue(d.events().isEmpty());
                int expected = i + 1;
                spinUntil(() -> ran.get() == expected
                        && (!(small instanceof java.util.concurrent.ThreadPoolExecutor pool)
                        || pool.getActiveCount() == 0));
            }
            assertEquals(150, ran.get());
            assertEquals(0, interruptedAtStart.get(), "a timed-out event's interrupt must not reach the next one");
        } finally {
            small.shutdownNow();
            assertTrue(small.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHandlerTimeoutChangedWhileServingAppliesToTheNextEvent() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        toRelease.add(never);
        serve(plugin("stuck", access((Kong k, Hello c) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(2_000, 600_000, 600_000, true));
        try {
            long instance = id(d.dispatch(start("stuck", "{}")));
            d.update(new DispatcherSettings(2_000, 50, 600_000, true));
            assertEquals(50, d.settings().handlerTimeoutMillis());
            long t0 = System.nanoTime();
            assertCall(d.dispatch(handle(instance, "access")), "kong.response.error", true, 500);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30),
                    "answered by the new 50 ms timeout, not the 10 minutes it started with");
        } finally {
            d.close();
        }
    }

    @Test
    void cancelEventsEndsWaitingHandlers() throws Exception {
        AtomicReference<String> message = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        serve(plugin("hello", access((Kong k, Hello c) -> {
            try {
                k.request().getHeader("x");
            } catch (PdkException e) {
                message.set(e.getMessage());
            } finally {
                done.countDown();
            }
        }), Hello.class, "access"));
        serve(plugin("other", access((Kong k, Hello c) -> k.request().getHeader("y")), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long hello = assertCall(d.dispatch(handle(id(d.dispatch(start("hello", "{}"))), "access")),
                "kong.request.get_header", false, "x");
        long other = assertCall(d.dispatch(handle(id(d.dispatch(start("other", "{}"))), "access")),
                "kong.request.get_header", false, "y");
        d.cancelEvents("hello", "plugin removed");
        await(done);
        assertTrue(message.get().startsWith("kong.request.get_header "), message.get());
        assertTrue(message.get().endsWith("plugin removed"), message.get());
        assertEquals(1, d.events().size());
        assertEquals(other, d.events().iterator().next().id());
        assertEquals("plugin.Step: no running event " + hello, error(d, stepNoData(hello)));
        assertRet(d.dispatch(stepNoData(other)));
    }

    @Test
    void busyExecutorIsAnErrorAndLeavesNoEvent() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> { }), Hello.class, "access"));
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        Dispatcher d = new Dispatcher(registry, stopped, SETTINGS);
        long id = id(d.dispatch(start("hello", "{}")));
        assertEquals("plugin.HandleEvent: server busy, 0 events in flight", error(d, handle(id, "access")));
        assertTrue(d.events().isEmpty());
    }

    // ---- phases and plugin revisions ----

    @Test
    void phaseNotImplementedAnswersRetAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        serve(plugin("hello", access((Kong k, Hello c) -> calls.incrementAndGet()), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", "{}")));
        assertEquals(0, assertRet(d.dispatch(handle(instance, "log"))));
        assertEquals(1, assertRet(d.dispatch(handle(instance, "response"))));
        assertEquals(0, calls.get());
        assertTrue(d.events().isEmpty());
        assertEquals(2, assertRet(d.dispatch(handle(instance, "access"))));
        assertEquals(1, calls.get());
    }

    @Test
    void everyPhaseReachesItsMethod() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        KongPhaseHandler<Object> all = new KongPhaseHandler<>() {
            @Override
            public void certificate(Kong kong, Object config) {
                seen.add("certificate");
            }

            @Override
            public void rewrite(Kong kong, Object config) {
                seen.add("rewrite");
            }

            @Override
            public void access(Kong kong, Object config) {
                seen.add("access");
            }

            @Override
            public void response(Kong kong, Object config) {
                seen.add("response");
            }

            @Override
            public void preread(Kong kong, Object config) {
                seen.add("preread");
            }

            @Override
            public void log(Kong kong, Object config) {
                seen.add("log");
            }
        };
        List<String> phases = List.of("certificate", "rewrite", "access", "response", "preread", "log");
        serve(plugin("all", all, null, phases.toArray(String[]::new)));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("all", "{}")));
        for (String phase : phases) {
            assertRet(d.dispatch(handle(instance, phase)));
        }
        assertEquals(phases, seen);
    }

    @Test
    void pluginReplacedWithinTheWaitIsAwaitedAndConfigIsDecodedForTheNewRevision() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        ServedPlugin rev1 = serve(plugin("hello", access((Kong k, Object c) -> seen.set("rev1 " + c)), Hello.class,
                "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(20_000, 10_000, 10_000, true));
        long instance = id(d.dispatch(start("hello", "{\"greeting\":\"g\",\"tags\":[\"t\"]}")));
        assertRet(d.dispatch(handle(instance, "access")));
        assertEquals("rev1 " + new Hello("g"), seen.get());

        assertTrue(registry.unregister(rev1));
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread connection = new Thread(() -> {
            try {
                result.complete(d.dispatch(handle(instance, "access")));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "waiting connection");
        connection.start();
        awaitState(connection, Thread.State.TIMED_WAITING);
        assertFalse(result.isDone(), "HandleEvent waits for the plugin to come back");

        List<Object> rev2Configs = Collections.synchronizedList(new ArrayList<>());
        serve(plugin("hello", access((Kong k, Object c) -> rev2Configs.add(c)), Counter.class, "access"));
        assertRet(result.get(20, TimeUnit.SECONDS));
        assertEquals(List.of(new Counter(7, List.of("t"))), rev2Configs, "the config decoded for the new type");

        assertRet(d.dispatch(handle(instance, "access")));
        assertEquals(2, rev2Configs.size());
        assertSame(rev2Configs.get(0), rev2Configs.get(1), "decoded once per revision, not per event");
    }

    @Test
    void anIdleInstanceLetsGoOfTheConfigDecodedForARetiredRevision() throws Exception {
        AtomicReference<WeakReference<Object>> rev1Config = new AtomicReference<>();
        ServedPlugin rev1 = serve(plugin("hello", access((Kong k, Object c) -> rev1Config.set(new WeakReference<>(c))),
                Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", "{\"greeting\":\"g\"}")));
        long other = id(d.dispatch(start("hello", "{\"greeting\":\"h\"}")));
        assertRet(d.dispatch(handle(instance, "access")));
        Instance idle = d.instances().stream().filter(i -> i.id() == instance).findFirst().orElseThrow();
        assertTrue(idle.holdsDecodedConfig());

        // the same owner registers its next revision (a bundle update); the instance runs no event meanwhile
        List<Object> rev2Configs = Collections.synchronizedList(new ArrayList<>());
        serve(plugin("hello", access((Kong k, Object c) -> rev2Configs.add(c)), Counter.class, "access"));
        assertFalse(idle.holdsDecodedConfig(), "the retired revision's config is released at once");
        rev1 = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rev1Config.get().get() != null) {
            assertTrue(System.nanoTime() < deadline, "the old revision's config object stays reachable");
            System.gc();
            Thread.sleep(10);
        }

        assertRet(d.dispatch(handle(instance, "access")));
        assertRet(d.dispatch(handle(other, "access")));
        assertEquals(2, rev2Configs.size(), "both instances decode again for the new revision");
        assertTrue(idle.holdsDecodedConfig());
    }

    @Test
    void pluginNotBackInTimeIsAnErrorNamingIt() throws Exception {
        ServedPlugin p = serve(plugin("hello", access((Kong k, Hello c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 10_000, true));
        long instance = id(d.dispatch(start("hello", "{}")));
        registry.unregister(p);
        long t0 = System.nanoTime();
        assertEquals("plugin.HandleEvent: plugin hello of instance " + instance + " is not deployed",
                error(d, handle(instance, "access")));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 100, "it waited pluginWaitMillis");
        assertTrue(d.events().isEmpty());
    }

    @Test
    void newRevisionWhoseTypeRejectsTheConfigIsAnError() throws Exception {
        ServedPlugin rev1 = serve(plugin("hello", access((Kong k, Object c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", "{\"n\":\"seven\"}")));
        ServedPlugin rev2 = plugin("hello", access((Kong k, Object c) -> fail("must not run")), Counter.class,
                "access");
        assertNull(registry.register(rev2, OWNER));
        String message = error(d, handle(instance, "access"));
        assertEquals("plugin.HandleEvent: config of instance " + instance + " does not fit " + rev2
                + ": config.n: expected an integer, got \"seven\"", message);
        assertTrue(d.events().isEmpty());
        assertFalse(registry.unregister(rev1), "rev1 was already replaced");
    }

    @Test
    void runningEventKeepsTheRevisionItStartedOn() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> k.response().setHeader("rev",
                "1 " + k.request().getHeader("x"))), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", "{}")));
        long event = assertCall(d.dispatch(handle(instance, "access")), "kong.request.get_header", false, "x");
        serve(plugin("hello", access((Kong k, Hello c) -> k.response().setHeader("rev", "2")), Hello.class,
                "access"));
        assertCall(d.dispatch(step(event, "v")), "kong.response.set_header", false, "rev", "1 v");
        assertRet(d.dispatch(stepNoData(event)));
        assertCall(d.dispatch(handle(instance, "access")), "kong.response.set_header", false, "rev", "2");
    }

    @Test
    void expireInstances() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long old = id(d.dispatch(start("hello", "{}")));
        long used = id(d.dispatch(start("hello", "{}")));
        assertEquals(0, d.expireInstances(60_000));
        Instance oldInstance = d.instances().stream().filter(i -> i.id() == old).findFirst().orElseThrow();
        // let 400 ms pass (not waiting for anything: the two instances need different ages)
        spinUntil(() -> System.nanoTime() - oldInstance.lastUsedNanos() > TimeUnit.MILLISECONDS.toNanos(400));
        assertRet(d.dispatch(handle(used, "access"))); // touches it
        Instance usedInstance = d.instances().stream().filter(i -> i.id() == used).findFirst().orElseThrow();
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - usedInstance.lastUsedNanos()) + 200;
        assertEquals(1, d.expireInstances(idle));
        assertEquals("No plugin instance " + old, error(d, handle(old, "access")));
        assertRet(d.dispatch(handle(used, "access")));
        spinUntil(() -> System.nanoTime() != usedInstance.lastUsedNanos());
        assertEquals(1, d.expireInstances(0));
        assertTrue(d.instances().isEmpty());
    }

    private static void awaitState(Thread t, Thread.State state) {
        spinUntil(() -> t.getState() == state || !t.isAlive());
        assertEquals(state, t.getState());
    }

    private static void spinUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached in 20 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void eventIdsAreServerWideAcrossInstancesAndPlugins() throws Exception {
        serve(plugin("a", access((Kong k, Hello c) -> k.request().getHeader("a")), Hello.class, "access"));
        serve(plugin("b", access((Kong k, Hello c) -> k.request().getHeader("b")), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long ia = id(d.dispatch(start("a", "{}")));
        long ib = id(d.dispatch(start("b", "{}")));
        long e0 = assertCall(d.dispatch(handle(ia, "access")), "kong.request.get_header", false, "a");
        long e1 = assertCall(d.dispatch(handle(ib, "access")), "kong.request.get_header", false, "b");
        long e2 = assertCall(d.dispatch(handle(ia, "access")), "kong.request.get_header", false, "a");
        assertEquals(List.of(0L, 1L, 2L), List.of(e0, e1, e2));
        assertEquals(3, d.events().size());
        assertEquals(e1, assertRet(onOtherConnection(d, stepNoData(e1))));
        assertEquals(e2, assertRet(onOtherConnection(d, stepNoData(e2))));
        assertEquals(e0, assertRet(onOtherConnection(d, stepNoData(e0))));
        assertTrue(d.events().isEmpty());
    }

    @Test
    void stepResultsCarryTheEventId() throws Exception {
        serve(plugin("hello", access((Kong k, Hello c) -> { }), Hello.class, "access"));
        Dispatcher d = dispatcher();
        long instance = id(d.dispatch(start("hello", "{}")));
        for (int i = 0; i < 3; i++) {
            StepResult r = assertInstanceOf(StepResult.class, d.dispatch(handle(instance, "access")));
            assertEquals(i, r.eventId());
        }
    }
}
