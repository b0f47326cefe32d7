package io.kjps.rpc.dispatch;

import static io.kjps.rpc.dispatch.TestPlugins.assertCall;
import static io.kjps.rpc.dispatch.TestPlugins.assertRet;
import static io.kjps.rpc.dispatch.TestPlugins.handle;
import static io.kjps.rpc.dispatch.TestPlugins.id;
import static io.kjps.rpc.dispatch.TestPlugins.plugin;
import static io.kjps.rpc.dispatch.TestPlugins.start;
import static io.kjps.rpc.dispatch.TestPlugins.step;
import static io.kjps.rpc.dispatch.TestPlugins.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.Kong;
import io.kjps.pdk.PdkException;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.plugin.Phase;
import io.kjps.rpc.server.HandlerThreads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the dispatcher reports to its {@link EventRecorder}, and the slow-event log line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventRecorderTest {
    private final PluginRegistry registry = new PluginRegistry();
    private final ExecutorService handlerThreads = HandlerThreads.create("test-handler-", 64);
    private final Recorded recorded = new Recorded();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final Logger eventLog = Logger.getLogger(Event.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == java.util.logging.Level.WARNING) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Everything reported, as text: {@code plugin phase outcome}, {@code plugin pdk method}, {@code start x}. */
    static final class Recorded implements EventRecorder {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<Long> durations = Collections.synchronizedList(new ArrayList<>());

        @Override
        public PluginRecorder plugin(String pluginName) {
            return new PluginRecorder() {
                @Override
                public void eventEnded(Phase phase, EventEnd outcome, long durationNanos) {
                    lines.add(pluginName + " " + phase.kongName() + " " + outcome.label());
                    durations.add(durationNanos);
                }

                @Override
                public void pdkCall(String method, long roundTripNanos) {
                    assertTrue(roundTripNanos > 0, method + " took " + roundTripNanos);
                    lines.add(pluginName + " pdk " + method);
                }
            };
        }

        @Override
        public void instanceStarted(String pluginName) {
            lines.add("start " + pluginName);
        }

        @Override
        public void instanceClosed(String pluginName, boolean expired) {
            lines.add((expired ? "expire " : "close ") + pluginName);
        }

        @Override
        public Map<String, Object> status() {
            return Map.of("Lines", (long) lines.size());
        }
    }

    @BeforeEach
    void setUp() {
        eventLog.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        eventLog.removeHandler(capture);
        handlerThreads.shutdownNow();
        assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    private Dispatcher dispatcher(DispatcherSettings settings, long slowMillis) {
        Dispatcher d = new Dispatcher(registry, handlerThreads, settings);
        d.observe(recorded, slowMillis);
        return d;
    }

    private void serve(String name, KongPhaseHandler<?> handler) {
        registry.register(plugin(name, handler, null, "access"), "bundle 1");
    }

    private static KongPhaseHandler<Object> access(DispatcherTest.Access<Object> body) {
        return new KongPhaseHandler<>() {
            @Override
            public void access(Kong kong, Object config) throws Exception {
                body.run(kong, config);
            }
        };
    }

    @Test
    void everyOutcomeAndEveryAnsweredPdkCallIsReportedOnce() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        serve("calls", access((k, c) -> k.response().setHeader("x", k.request().getHeader("host"))));
        serve("exits", access((k, c) -> k.response().exit(403, "no", null)));
        serve("throws", access((k, c) -> {
            throw new IllegalStateException("bug");
        }));
        serve("blocks", access((k, c) -> never.await()));
        serve("waits", access((k, c) -> {
            try {
                k.request().getHeader("x");
            } catch (PdkException e) {
                // abandoned: Kong never answers
            }
        }));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 300, 200, true), 60_000);
        try {
            long calls = id(d.dispatch(start("calls", "{}")));
            long event = assertCall(d.dispatch(handle(calls, "access")), "kong.request.get_header", false, "host");
            assertCall(d.dispatch(step(event, "h")), "kong.response.set_header", false, "x", "h");
            assertRet(d.dispatch(step(event, null)));
            assertCall(d.dispatch(handle(id(d.dispatch(start("exits", "{}"))), "access")), "kong.response.exit",
                    true, 403, "no");
            assertCall(d.dispatch(handle(id(d.dispatch(start("throws", "{}"))), "access")), "kong.response.error",
                    true, 500);
            assertCall(d.dispatch(handle(id(d.dispatch(start("blocks", "{}"))), "access")), "kong.response.error",
                    true, 500);
            long waits = id(d.dispatch(start("waits", "{}")));
            assertCall(d.dispatch(handle(waits, "access")), "kong.request.get_header", false, "x");
            spinUntil(() -> recorded.lines.contains("waits access abandoned"));
            d.dispatch(request("plugin.CloseInstance", calls));
        } finally {
            never.countDown();
        }
        assertEquals(List.of("start calls", "calls pdk kong.request.get_header", "calls pdk kong.response.set_header",
                "calls access ret", "start exits", "exits access exit", "start throws", "throws access error",
                "start blocks", "blocks access timeout", "start waits", "waits access abandoned", "close calls"),
                recorded.lines, "a call Kong never answered has no round trip");
        assertTrue(recorded.durations.get(3) >= TimeUnit.MILLISECONDS.toNanos(300), "the timeout's duration");
        assertEquals(Map.of("Lines", 13L),
                ((Map<?, ?>) d.dispatch(request("plugin.GetStatus", null))).get("Metrics"));
    }

    @Test
    void eventsThatNeverRunAreFailed() throws Exception {
        serve("gone", access((k, c) -> { }));
        Dispatcher d = dispatcher(new DispatcherSettings(50, 10_000, 10_000, true), 60_000);
        long instance = id(d.dispatch(start("gone", "{}")));
        registry.unregister(registry.get("gone"));
        assertEquals("plugin.HandleEvent: plugin gone of instance " + instance + " is not deployed",
                org.junit.jupiter.api.Assertions.assertThrows(RpcError.class,
                        () -> d.dispatch(handle(instance, "access"))).getMessage());
        assertEquals(List.of("start gone", "gone access failed"), recorded.lines);
    }

    @Test
    void aSlowEventLogsOneLineWithItsPdkCallsAndTheirTimes() throws Exception {
        serve("slow", access((k, c) -> {
            k.request().getHeader("a");
            k.response().exit(200, "done", null);
        }));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 10_000, true), 20);
        long event = assertCall(d.dispatch(handle(id(d.dispatch(start("slow", "{}"))), "access")),
                "kong.request.get_header", false, "a");
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(30)) {
            Thread.onSpinWait(); // Kong takes 30 ms to answer
        }
        assertCall(d.dispatch(step(event, "x")), "kong.response.exit", true, 200, "done");
        spinUntil(() -> !warnings.isEmpty());
        assertEquals(1, warnings.size(), warnings.toString());
        String line = warnings.get(0);
        assertTrue(line.matches("slow event: plugin slow 0\\.1\\.0 \\(test slow\\) access \\(event \\d+, instance \\d+\\) "
                + "took \\d+\\.\\d{3} ms \\(over 20 ms\\), ended exit; 2 PDK calls, (\\d+)\\.\\d{3} ms in Kong: "
                + "kong\\.request\\.get_header \\d+\\.\\d{3} ms, kong\\.response\\.exit \\(ended the event\\)"), line);
        long inKong = Long.parseLong(line.replaceAll(".*PDK calls, (\\d+)\\..*", "$1"));
        assertTrue(inKong >= 30, line);
    }

    @Test
    void aFastEventLogsNothing() throws Exception {
        serve("fast", access((k, c) -> { }));
        Dispatcher d = dispatcher(new DispatcherSettings(100, 10_000, 10_000, true), 10_000);
        assertRet(d.dispatch(handle(id(d.dispatch(start("fast", "{}"))), "access")));
        spinUntil(() -> recorded.lines.contains("fast access ret"));
        assertEquals(List.of(), warnings);
    }

    private static void spinUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.onSpinWait();
        }
    }
}
