package io.kjps.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.testutil.HelloPlugin;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rare cases of {@link RpcConnection}'s threading, made common: many requests at once through one Kong pool whose
 * every call takes any idle connection (RANDOM) or the most recent one (LIFO), so steps arrive on other connections
 * than their events read, and other requests on the connection an event waits on. Every event must end as the
 * plugin says, with nothing lost or left in flight.
 */
class ConnectionHandOffTest {
    private static final int REQUESTS = 32;
    private static final int EVENTS = 300;

    /** Ends every other request with exit, as the block sample does. */
    static final class Block implements KongPhaseHandler<Object> {
        @Override
        public void access(Kong kong, Object config) {
            if (kong.request().getHeader("x-block") != null) {
                kong.response().exit(403, "blocked", null);
            }
        }
    }

    private Path dir;
    private ServerSocketChannel listener;
    private ExecutorService threads;
    private Dispatcher dispatcher;
    private final Set<RpcConnection> open = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("kjps-handoff");
        threads = HandlerThreads.create("handoff-", 4096);
        PluginRegistry registry = new PluginRegistry();
        assertNull(registry.register(new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"hello\","
                + "\"Version\":\"1.0.0\",\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},"
                + "\"Handler\":\"x.Hello\"}"), new HelloPlugin(), ConfigDecoder.forType(null), "test"), "a"));
        assertNull(registry.register(new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"block\","
                + "\"Version\":\"1.0.0\",\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},"
                + "\"Handler\":\"x.Block\"}"), new Block(), ConfigDecoder.forType(null), "test"), "b"));
        dispatcher = new Dispatcher(registry, threads, new DispatcherSettings(20_000, 20_000, 20_000, true));
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
        RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
        Thread accept = new Thread(() -> {
            int n = 0;
            while (listener.isOpen()) {
                try {
                    SocketChannel ch = listener.accept();
                    RpcConnection[] c = new RpcConnection[1];
                    c[0] = new RpcConnection(ch, dispatcher, codec, threads, "c" + (++n), 1,
                            () -> open.remove(c[0]));
                    open.add(c[0]);
                    threads.execute(c[0]);
                } catch (IOException e) {
                    return;
                }
            }
        }, "handoff-accept");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        listener.close();
        for (RpcConnection c : open) {
            c.close();
        }
        threads.shutdownNow();
        dispatcher.close();
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    @ParameterizedTest
    @EnumSource(KongConnectionPool.Policy.class)
    void everyEventEndsAsThePluginSaysWhicheverConnectionsItsStepsTake(KongConnectionPool.Policy policy)
            throws Exception {
        try (KongConnectionPool pool = new KongConnectionPool(dir.resolve("s"), REQUESTS, policy,
                Duration.ofSeconds(20))) {
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long hello = kong.startInstance("hello", "{}");
            long block = kong.startInstance("block", "{}");
            AtomicLong done = new AtomicLong();
            ExecutorService requests = Executors.newFixedThreadPool(REQUESTS);
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                int request = r;
                futures.add(requests.submit(() -> {
                    for (int i = 0; i < EVENTS; i++) {
                        String name = request + "-" + i;
                        if (i % 3 == 2) {
                            FakeRequest req = FakeRequest.builder().header("x-block", name).build();
                            assertEquals(EventOutcome.Ending.EXIT, kong.handleEvent(block, "access", req).ending());
                            assertEquals(403, req.status(), name);
                        } else {
                            FakeRequest req = FakeRequest.builder().header("x-name", name).build();
                            assertEquals(EventOutcome.Ending.RET, kong.handleEvent(hello, "access", req).ending());
                            assertEquals("hello " + name, req.responseHeader("x-hello"), name);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } catch (Exception e) {
                StringBuilder b = new StringBuilder();
                for (RpcConnection c : open) {
                    b.append(c.describeState()).append('\n');
                }
                b.append(dispatcher.events()).append('\n');
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("handoff-")) {
                        b.append(t.getName()).append(' ').append(t.getState()).append('\n');
                        for (int i = 0; i < Math.min(st.length, 40); i++) {
                            if (st[i].getClassName().startsWith("io.kjps")) {
                                b.append("    ").append(st[i]).append('\n');
                            }
                        }
                    }
                });
                System.err.println(b);
                throw e;
            } finally {
                requests.shutdownNow();
            }
            assertEquals((long) REQUESTS * EVENTS, done.get());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!dispatcher.events().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(dispatcher.events().isEmpty(), "nothing in flight: " + dispatcher.events());
        }
    }
}
