package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 64 concurrent connections running 1000 events each, every event checked; the server stays up and its memory
 * stays bounded.
 */
class ConcurrencyIT {
    private static final int CONNECTIONS = 64;
    private static final int EVENTS = 1000;

    @Test
    void sixtyFourConnectionsThousandEventsEach() throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(), "", "hello", "block")) {
            KongConnectionPool pool = new KongConnectionPool(server.socket(), CONNECTIONS,
                    KongConnectionPool.Policy.RANDOM, Duration.ofSeconds(30));
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long hello = kong.startInstance("hello", "{\"greeting\":\"hey\"}");
            long block = kong.startInstance("block", "{}");
            AtomicLong completed = new AtomicLong();
            ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < CONNECTIONS; w++) {
                int worker = w;
                futures.add(workers.submit(() -> {
                    for (int i = 0; i < EVENTS; i++) {
                        String name = "w" + worker + "-" + i;
                        if (i % 10 == 9) {
                            FakeRequest r = FakeRequest.builder().header("x-block", name).build();
                            EventOutcome out = kong.handleEvent(block, "access", r);
                            assertEquals(EventOutcome.Ending.EXIT, out.ending(), name);
                            assertEquals(403, r.status(), name);
                        } else {
                            FakeRequest r = FakeRequest.builder().header("x-name", name).build();
                            EventOutcome out = kong.handleEvent(hello, "access", r);
                            assertEquals(EventOutcome.Ending.RET, out.ending(), name);
                            assertEquals("hello " + name, r.responseHeader("x-hello"));
                            assertEquals("hey", r.responseHeader("x-hello-greeting"));
                        }
                        completed.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            workers.shutdown();
            assertEquals((long) CONNECTIONS * EVENTS, completed.get());
            assertTrue(server.alive(), "the server is still up");
            long rss = server.rssKb();
            assertTrue(rss < 512 * 1024, "resident memory stays bounded: " + rss + " kB");
            assertTrue(pool.openedCount() >= CONNECTIONS / 2, "many connections were open: " + pool.openedCount());
            // the events of exit are freed at once: nothing stays in flight
            FakeRequest after = FakeRequest.builder().header("x-name", "after").build();
            assertEquals(EventOutcome.Ending.RET, kong.handleEvent(hello, "access", after).ending());
            ServerProcess.await("no event left in flight", Duration.ofSeconds(10),
                    () -> ((java.util.Map<?, ?>) kong.client().call("plugin.GetStatus", null)).get("Events")
                            .equals(0L));
            pool.close();
            assertEquals(0, server.stop());
        }
    }
}
