package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The keeper (issue 12, item 2): the process Kong starts holds the socket, so Kong's connects never fail while the
 * JVM that runs the plugins starts or dies; calls wait on the socket until a server process accepts them.
 */
class KeeperIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /**
     * Connects every 2 ms on fresh connections and records the longest stretch during which connects were refused,
     * as Kong's connect of a new connection would be.
     */
    private static final class ConnectProbe implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong connects = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong longestRefusedNanos = new AtomicLong();
        final Thread thread;

        ConnectProbe(Path socket) {
            thread = new Thread(() -> {
                long refusedSince = 0;
                while (running.get()) {
                    long now = System.nanoTime();
                    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        connects.incrementAndGet();
                        if (refusedSince != 0) {
                            longestRefusedNanos.accumulateAndGet(now - refusedSince, Math::max);
                            refusedSince = 0;
                        }
                    } catch (IOException e) {
                        refused.incrementAndGet();
                        if (refusedSince == 0) {
                            refusedSince = now;
                        }
                    }
                    try {
                        Thread.sleep(2); // a probe's pace, not a synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (refusedSince != 0) {
                    longestRefusedNanos.accumulateAndGet(System.nanoTime() - refusedSince, Math::max);
                }
            }, "connect-probe");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    @Test
    void theSocketAcceptsBeforeTheServerProcessIsUpAndAnEarlyCallWaitsForThePlugin() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path socket = prefix.resolve("kong-java-pluginserver.socket");
        Path log = prefix.resolve("server.log");
        Process process = new ProcessBuilder(ServerProcess.distribution().resolve("bin/kong-java-pluginserver")
                .toString(), "-kong-prefix", prefix.toString())
                .redirectError(log.toFile()).redirectOutput(prefix.resolve("server.stdout").toFile()).start();
        try {
            SocketChannel early = null;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (early == null && System.nanoTime() < deadline) {
                try {
                    early = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                } catch (IOException notYet) {
                    Thread.onSpinWait();
                }
            }
            assertTrue(early != null, "the socket accepts a connect");
            String logAtConnect = Files.readString(log);
            assertTrue(!logAtConnect.contains("[Main] listening on"),
                    "the first connect succeeded before the server process was up; log:\n" + logAtConnect);
            early.close();
            KongEmulator kong = new KongEmulator(new KongClient(new KongConnectionPool(socket, 1,
                    KongConnectionPool.Policy.LIFO, DEADLINE)));
            long t0 = System.nanoTime();
            long instance = kong.startInstance("hello", "{\"greeting\":\"early\"}");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            FakeRequest r = FakeRequest.builder().header("x-name", "Kim").build();
            assertEquals(EventOutcome.Ending.RET, kong.handleEvent(instance, "access", r).ending());
            assertEquals("early", r.responseHeader("x-hello-greeting"));
            System.out.println("KEEPER-START: a StartInstance sent before the plugins were up waited " + waitedMs
                    + " ms and succeeded");
            kong.client().pool().close();
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the keeper stops on SIGTERM");
            assertEquals(0, process.exitValue(), Files.readString(log));
        }
    }

    @Test
    void killMinusNineOfTheServerProcessUnderLoadNeverRefusesAConnect() throws Exception {
        String log = underLoad("KEEPER-CRASH: kill -9 of the server process",
                (keeper, victim) -> ProcessHandle.of(victim).orElseThrow().destroyForcibly()); // SIGKILL
        assertTrue(log.contains("died (killed by signal 9)"), log);
    }

    @Test
    void sighupRestartsTheServerProcessOnTheSameSocketUnderLoad() throws Exception {
        String log = underLoad("KEEPER-HUP: SIGHUP to the keeper (restart, as after an upgrade)",
                (keeper, victim) -> assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(keeper))
                        .start().waitFor()));
        assertTrue(log.contains("[Keeper] restarting the server process "), log);
        assertTrue(log.contains("starting it again as asked"), log);
        assertTrue(!log.contains("died ("), "a restart is no crash:\n" + log);
    }

    /** What is done to the server process, given the keeper's and the server process's pids. */
    private interface Action {
        void run(long keeper, long server) throws Exception;
    }

    /**
     * Runs hello events from 4 threads and a connect probe, does {@code action}, and checks that no connect was
     * refused and that a new server process serves events.
     *
     * @return the server's log
     */
    private static String underLoad(String what, Action action) throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(), "", "hello")) {
            KongEmulator kong = new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 8,
                    KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30))));
            ConfiguredPlugin hello = kong.plugin("hello", "{\"greeting\":\"kept\"}");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger lost = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            FakeRequest r = FakeRequest.builder().header("x-name", "Kim").build();
                            EventOutcome out = hello.handleEvent("access", r);
                            if (out.ending() != EventOutcome.Ending.RET
                                    || !"kept".equals(r.responseHeader("x-hello-greeting"))) {
                                throw new AssertionError("wrong outcome " + out);
                            }
                            ok.incrementAndGet();
                        } catch (KongException e) {
                            lost.incrementAndGet(); // in flight on a connection of the process that went away
                        } catch (Throwable e) {
                            unexpected.add(e);
                            return;
                        }
                    }
                }, "kong-load-" + w);
                load.add(t);
                t.start();
            }
            ServerProcess.await("events run before", DEADLINE, () -> ok.get() >= 200);
            long keeper = server.pid();
            long victim = server.serverPid();
            assertNotEquals(keeper, victim, "a keeper runs the server as its child");
            try (ConnectProbe probe = new ConnectProbe(server.socket())) {
                ServerProcess.await("the probe connects", DEADLINE, () -> probe.connects.get() > 10);
                int okBefore = ok.get();
                long t0 = System.nanoTime();
                action.run(keeper, victim);
                ServerProcess.await("a new server process serves events", DEADLINE,
                        () -> server.serverPid() != victim && ok.get() >= okBefore + 200);
                long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                probe.close();
                running.set(false);
                for (Thread t : load) {
                    t.join(30_000);
                }
                assertTrue(unexpected.isEmpty(), unexpected.toString());
                long longestRefusedMs = TimeUnit.NANOSECONDS.toMillis(probe.longestRefusedNanos.get());
                System.out.println(what + " under load: " + probe.connects.get() + " connects, "
                        + probe.refused.get() + " refused (longest refused stretch " + longestRefusedMs + " ms); "
                        + lost.get() + " events lost in flight; 200 events served by the new process " + recoveredMs
                        + " ms after it");
                assertTrue(longestRefusedMs <= 200, "connects were refused for " + longestRefusedMs + " ms");
                assertEquals(0, probe.refused.get(), "the keeper holds the socket: no connect is ever refused");
            }
            assertTrue(ProcessHandle.of(keeper).map(ProcessHandle::isAlive).orElse(false), "the keeper lives on");
            assertEquals(Long.valueOf(server.serverPid()), kong.client().serverPid(), "Kong saw the new serverPid");
            kong.client().pool().close();
            String log = server.logText();
            assertEquals(0, server.stop());
            return log;
        }
    }
}
