package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Crash and restart (issue 6, item 5): the server is killed with SIGKILL under load and started again on the same
 * prefix, as Kong's {@code start_cmd} respawn does (at least 1 s later). The emulated Kong sees connection errors,
 * then recovers on its own: the new {@code serverPid} drops its cached instances, "No plugin instance" starts them
 * again, and events succeed. Asserted: events were retried after "No plugin instance" and succeeded, and no request
 * sent once the respawned server was ready failed. The recovery time (respawn to first successful event) is printed.
 */
class CrashRestartIT {
    private static final int WORKERS = 4;
    private static final Duration RESPAWN_DELAY = Duration.ofSeconds(1);

    @Test
    void killMinusNineUnderLoadThenRespawnRecovers() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        ServerProcess first = ServerProcess.start(prefix, "", "hello");
        ServerProcess second = null;
        KongEmulator kong = new KongEmulator(new KongClient(new KongConnectionPool(prefix.resolve(
                "kong-java-pluginserver.socket"), 8, KongConnectionPool.Policy.LIFO, Duration.ofSeconds(10))));
        AtomicInteger pidChanges = new AtomicInteger();
        kong.client().addServerPidListener(pid -> pidChanges.incrementAndGet());
        ConfiguredPlugin hello = kong.plugin("hello", "{\"greeting\":\"back\"}");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicLong readyAt = new AtomicLong(); // 0 until the respawned server listens and serves hello
        List<String> failedAfterReady = new ArrayList<>();
        AtomicLong firstSuccessAfterRespawn = new AtomicLong();
        AtomicLong respawnedAt = new AtomicLong(); // 0 until the respawn
        CountDownLatch loaded = new CountDownLatch(WORKERS * 20);
        CountDownLatch recovered = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> unexpected = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        long began = System.nanoTime();
                        try {
                            FakeRequest r = FakeRequest.builder().header("x-name", "Kim").build();
                            EventOutcome out = hello.handleEvent("access", r);
                            if (out.ending() != EventOutcome.Ending.RET || !"back".equals(r.responseHeader(
                                    "x-hello-greeting"))) {
                                throw new AssertionError("wrong outcome " + out);
                            }
                            long now = System.nanoTime();
                            ok.incrementAndGet();
                            if (out.instanceRetries() > 0) {
                                retried.incrementAndGet();
                            }
                            loaded.countDown();
                            long respawn = respawnedAt.get();
                            if (respawn != 0 && now - respawn > 0 && firstSuccessAfterRespawn.compareAndSet(0, now)) {
                                recovered.countDown();
                            }
                        } catch (KongException e) {
                            errors.incrementAndGet(); // what Kong logs while the server is down
                            long ready = readyAt.get();
                            if (ready != 0 && began - ready > 0) {
                                synchronized (failedAfterReady) {
                                    failedAfterReady.add(e.toString()); // a request the respawned server failed
                                }
                            }
                            pace();
                        } catch (Throwable e) {
                            synchronized (unexpected) {
                                unexpected.add(e);
                            }
                            return;
                        }
                    }
                }, "kong-worker-" + w);
                workers.add(t);
                t.start();
            }
            assertTrue(loaded.await(30, TimeUnit.SECONDS), "events run before the crash");
            long oldPid = first.serverPid();
            assertEquals(Long.valueOf(oldPid), kong.client().serverPid());
            first.kill();
            assertFalse(first.alive());
            ServerProcess.await("the emulator sees connection errors", Duration.ofSeconds(10),
                    () -> errors.get() > 0);
            long killedAt = System.nanoTime();
            ServerProcess.await("Kong's respawn delay passes", RESPAWN_DELAY.plusSeconds(1),
                    () -> System.nanoTime() - killedAt >= RESPAWN_DELAY.toNanos());
            int okBeforeRespawn = ok.get();
            long spawn = System.nanoTime();
            respawnedAt.set(spawn);
            second = ServerProcess.start(prefix, "", "hello");
            long ready = System.nanoTime();
            readyAt.set(ready);
            assertTrue(recovered.await(30, TimeUnit.SECONDS), "an event succeeds after the respawn");
            long recoveryMs = (firstSuccessAfterRespawn.get() - spawn) / 1_000_000;
            long startMs = (ready - spawn) / 1_000_000;
            int okAfter = ok.get();
            ServerProcess.await("events keep succeeding", Duration.ofSeconds(10), () -> ok.get() >= okAfter + 100);
            running.set(false);
            for (Thread t : workers) {
                t.join(30_000);
            }
            assertTrue(unexpected.isEmpty(), unexpected.toString());
            assertNotEquals(oldPid, second.serverPid());
            assertEquals(Long.valueOf(second.serverPid()), kong.client().serverPid(), "the new serverPid was seen");
            assertTrue(pidChanges.get() >= 1, "the serverPid listener dropped the cached instances");
            // the first event on the new server carries an instance id of the old one: "No plugin instance", then
            // Kong's reset, a new StartInstance and the event again, which succeeds (counted only on success)
            assertTrue(retried.get() >= 1, "events retried after No plugin instance: " + retried.get());
            assertEquals(List.of(), failedAfterReady, "every request sent after the respawned server was ready"
                    + " succeeded, the retried ones included");
            System.out.printf("crash-restart: %d events before kill -9, %d connection errors while down, respawn %d ms"
                            + " after the kill; server ready (log) %d ms after respawn, first successful event %d ms"
                            + " after respawn; %d events retried after No plugin instance; %d events after%n",
                    okBeforeRespawn, errors.get(), (spawn - killedAt) / 1_000_000, startMs, recoveryMs, retried.get(),
                    ok.get() - okBeforeRespawn);
            assertTrue(recoveryMs < 30_000, "recovered in " + recoveryMs + " ms");
        } finally {
            running.set(false);
            for (Thread t : workers) {
                t.join(30_000);
            }
            kong.client().pool().close();
            first.close();
            if (second != null) {
                assertEquals(0, second.stop());
                second.close();
            }
        }
    }

    /** Paces a worker's retries while the server is down, as Kong's next request would come later. */
    private static void pace() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
