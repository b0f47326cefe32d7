package io.kjps.rpc.dispatch;

import static io.kjps.rpc.dispatch.TestPlugins.handle;
import static io.kjps.rpc.dispatch.TestPlugins.id;
import static io.kjps.rpc.dispatch.TestPlugins.plugin;
import static io.kjps.rpc.dispatch.TestPlugins.start;
import static io.kjps.rpc.dispatch.TestPlugins.step;
import static io.kjps.rpc.dispatch.TestPlugins.stepNoData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.config.Default;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.server.HandlerThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many Kong connections at once: 64 drivers run 200 events each, and every Step of an event is dispatched on a
 * randomly chosen connection thread, as Kong's connection pool does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DispatcherConcurrencyTest {
    static final int DRIVERS = 64;
    static final int EVENTS = 200;
    static final int CONNECTIONS = 16;

    record Echo(@Default("!") String suffix) {
    }

    private ExecutorService handlerThreads;
    private ExecutorService drivers;
    private final List<ExecutorService> connections = new ArrayList<>();

    @BeforeEach
    void setUp() {
        handlerThreads = HandlerThreads.create("conc-handler-", 1024);
        drivers = Executors.newFixedThreadPool(DRIVERS);
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(Executors.newSingleThreadExecutor());
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        drivers.shutdownNow();
        connections.forEach(ExecutorService::shutdownNow);
        handlerThreads.shutdownNow();
        assertTrue(drivers.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void manyConcurrentEventsWithStepsOnRandomConnections() throws Exception {
        PluginRegistry registry = new PluginRegistry();
        KongPhaseHandler<Echo> echo = new KongPhaseHandler<>() {
            @Override
            public void access(Kong kong, Echo config) {
                String n = kong.request().getHeader("x-n");
                kong.response().setHeader("x-echo", n + config.suffix());
            }
        };
        assertNull(registry.register(plugin("echo", echo, Echo.class, "access"), "bundle"));
        Dispatcher d = new Dispatcher(registry, handlerThreads, new DispatcherSettings(1_000, 30_000, 30_000, true));

        Set<Long> eventIds = ConcurrentHashMap.newKeySet();
        Set<Long> instanceIds = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < DRIVERS; t++) {
            int driver = t;
            results.add(drivers.submit(() -> {
                // each driver is one Kong worker with its own instance and config
                String suffix = "#" + driver;
                long instance = id(d.dispatch(start("echo", "{\"suffix\":\"" + suffix + "\",\"__seq__\":"
                        + driver + "}")));
                assertTrue(instanceIds.add(instance), "instance ids are unique");
                go.await();
                int ok = 0;
                for (int i = 0; i < EVENTS; i++) {
                    String n = driver + "-" + i;
                    StepResult first = (StepResult) onRandomConnection(() -> d.dispatch(handle(instance, "access")));
                    long event = first.eventId();
                    assertTrue(eventIds.add(event), "event ids are unique: " + event);
                    assertCall(first, "kong.request.get_header", "x-n");
                    StepResult second = (StepResult) onRandomConnection(() -> d.dispatch(step(event, n)));
                    assertEquals(event, second.eventId());
                    assertCall(second, "kong.response.set_header", "x-echo", n + suffix);
                    StepResult third = (StepResult) onRandomConnection(() -> d.dispatch(stepNoData(event)));
                    assertEquals(event, third.eventId());
                    assertEquals(StepResult.RET, third.data());
                    ok++;
                }
                return ok;
            }));
        }
        go.countDown();
        for (Future<Integer> f : results) {
            assertEquals(EVENTS, f.get(100, TimeUnit.SECONDS));
        }
        assertEquals(DRIVERS * EVENTS, eventIds.size());
        assertEquals(DRIVERS * EVENTS, d.eventsStarted());
        assertTrue(d.events().isEmpty(), "every event left the table");
        assertEquals(DRIVERS, d.instances().size());
        assertEquals(DRIVERS, instanceIds.size());
    }

    private Object onRandomConnection(java.util.concurrent.Callable<Object> call) throws Exception {
        ExecutorService conn = connections.get(ThreadLocalRandom.current().nextInt(CONNECTIONS));
        return conn.submit(call).get(60, TimeUnit.SECONDS);
    }

    private static void assertCall(StepResult r, String method, Object... args) {
        PdkCall call = assertInstanceOf(PdkCall.class, r.data());
        assertEquals(method, call.method());
        assertEquals(Arrays.asList(args), Arrays.asList(call.args()));
    }
}
