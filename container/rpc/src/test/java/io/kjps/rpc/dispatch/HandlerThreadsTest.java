package io.kjps.rpc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.server.HandlerThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandlerThreadsTest {

    @Test
    void tasksRunOnNamedThreads() throws Exception {
        ExecutorService pool = HandlerThreads.create("named-", 4);
        try {
            Future<String> name = pool.submit(() -> Thread.currentThread().getName());
            assertTrue(name.get(10, TimeUnit.SECONDS).startsWith("named-"), name.get());
            Future<Boolean> daemon = pool.submit(() -> Thread.currentThread().isDaemon());
            assertTrue(daemon.get(10, TimeUnit.SECONDS), "handler threads never keep the JVM alive");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threadsArePlatformThreadsOnEveryJvmAndBounded() throws Exception {
        ExecutorService pool = HandlerThreads.create("conn-", 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Future<String> thread = pool.submit(() -> {
                release.await();
                return Thread.currentThread().toString();
            });
            assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
            release.countDown();
            String t = thread.get(10, TimeUnit.SECONDS);
            assertTrue(t.contains("conn-") && !t.startsWith("VirtualThread"), t);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void platformPoolIsBoundedAndRefusesBeyondItsSize() throws Exception {
        ExecutorService pool = HandlerThreads.create("bounded-", 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        try {
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(running.await(10, TimeUnit.SECONDS));
            assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        } finally {
            release.countDown();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void documentedDefaults() {
        assertEquals(new DispatcherSettings(5_000, 30_000, 65_000, true), DispatcherSettings.DEFAULT);
        assertTrue(DispatcherSettings.DEFAULT.handlerTimeoutMillis() < 60_000, "under Kong's 60 s read timeout");
        assertTrue(DispatcherSettings.DEFAULT.abandonTimeoutMillis() > 60_000, "longer than Kong waits for us");
        assertEquals(new DecodeLimits(32 << 20, 32 << 20, 1 << 20, 64, 64L << 20, 1 << 20), DecodeLimits.DEFAULT);
    }

    @Test
    void noPluginInstanceWording() {
        // Kong 2.3/2.4 match "No plugin instance" case-sensitively, later versions lower-case it (protocol.md §4.9)
        assertEquals("No plugin instance 12", RpcError.noInstance(12L).getMessage());
        assertEquals(0, RpcError.noInstance(1L).getStackTrace().length, "a protocol answer, not a bug");
    }
}
