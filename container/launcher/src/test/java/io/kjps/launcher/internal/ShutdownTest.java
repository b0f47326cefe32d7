package io.kjps.launcher.internal;

import io.kjps.listener.SocketConditions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.condition.Condition;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;

/**
 * The stop order on a real Felix framework: the socket bundle (the one that registered {@code kjps.socket.ready})
 * stops completely before any plugin bundle, even when the main thread returns from {@code Framework.start()} while
 * a signal's stop request is still draining the socket bundle (the CI failure of 2026-11-29).
 */
class ShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Framework framework;
    private Shutdown shutdown;
    private Bundle socketBundle;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch socketStopping = new CountDownLatch(1);
    private final CountDownLatch releaseSocket = new CountDownLatch(1);

    @BeforeEach
    void startFrameworkWithASocketAndAPluginBundle() throws Exception {
        framework = FrameworkLauncher.create(Map.of(
                "org.osgi.framework.storage", dir.resolve("cache").toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.init();
        List<Bundle> bundles = FrameworkLauncher.installAndStart(framework.getBundleContext(), List.of(
                bundle("socket.jar", "test.socket"), bundle("plugin.jar", "test.plugin")));
        framework.start();
        socketBundle = bundles.get(0);
        Hashtable<String, Object> ready = new Hashtable<>();
        ready.put(Condition.CONDITION_ID, SocketConditions.READY);
        ready.put(SocketConditions.SOCKET, "/test.socket");
        socketBundle.getBundleContext().registerService(Condition.class, Condition.INSTANCE, ready);
        // a synchronous listener sees STOPPING on the stopping thread, so holding it holds the socket bundle's stop
        // the way a drain of events in flight does
        framework.getBundleContext().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() != BundleEvent.STOPPING) {
                return;
            }
            String name = event.getBundle().getSymbolicName();
            if ("test.socket".equals(name)) {
                events.add("socket stopping");
                socketStopping.countDown();
                try {
                    assertTrue(releaseSocket.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("socket stopped");
            } else if ("test.plugin".equals(name)) {
                events.add("plugin stopping");
            }
        });
        Path cache = Files.createDirectories(dir.resolve("process-cache"));
        shutdown = new Shutdown(framework, cache, WAIT);
    }

    @AfterEach
    void clean() {
        releaseSocket.countDown();
        shutdown.stopAndClean();
    }

    private Path bundle(String file, String symbolicName) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\n"
                + "Bundle-SymbolicName: " + symbolicName + "\r\n\r\n");
        return TestJars.write(dir.resolve(file), entries);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    @Test
    void aRequestStopsTheSocketBundleBeforeThePluginBundles() throws Exception {
        CompletableFuture<Void> signal = CompletableFuture.runAsync(() -> shutdown.request("received SIGTERM"));
        assertTrue(socketStopping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        releaseSocket.countDown();
        signal.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(FrameworkEvent.STOPPED, framework.waitForStop(WAIT.toMillis()).getType());
        assertEquals(List.of("socket stopping", "socket stopped", "plugin stopping"), events);
        assertEquals(Bundle.RESOLVED, socketBundle.getState());
    }

    @Test
    void theMainThreadWaitsForARequestStillStoppingTheSocketBundle() throws Exception {
        CompletableFuture<Void> signal = CompletableFuture.runAsync(() -> shutdown.request("received SIGTERM"));
        assertTrue(socketStopping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        // the main thread returns from Framework.start() now
        Thread main = new Thread(() -> {
            try {
                assertTrue(shutdown.stopIfRequested());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "main-after-start");
        main.start();
        await("the main thread waits or has stopped the framework", () ->
                main.getState() == Thread.State.TIMED_WAITING || main.getState() == Thread.State.WAITING
                        || !main.isAlive());
        assertFalse(events.contains("plugin stopping"), "a plugin bundle stopped while the socket bundle drained");
        releaseSocket.countDown();
        main.join(WAIT.toMillis());
        signal.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(FrameworkEvent.STOPPED, framework.waitForStop(WAIT.toMillis()).getType());
        assertEquals(List.of("socket stopping", "socket stopped", "plugin stopping"), events);
    }

    @Test
    void withoutARequestTheMainThreadLeavesTheFrameworkRunning() throws Exception {
        assertFalse(shutdown.stopIfRequested());
        assertEquals(Bundle.ACTIVE, framework.getState());
        assertTrue(events.isEmpty());
    }
}
