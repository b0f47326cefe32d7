package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hot install, update and removal through the deploy folder while the Kong emulator keeps sending events: the
 * {@code hotswap} test plugin tags each response with its version's tag, and the tests build one jar per tag.
 */
class HotReloadIT {
    private static final String CONFIG = "{\"greeting\":\"hi\"}";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private ServerProcess server;
    private KongConnectionPool pool;

    @AfterEach
    void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path startWithHotswap(String tag) throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap(tag));
        server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "hotswap");
        pool = new KongConnectionPool(server.socket(), 16, KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30));
        return deploy;
    }

    private KongEmulator kong() {
        return new KongEmulator(new KongClient(pool));
    }

    /** Runs one access event and returns the tag of the version that answered it. */
    private static String tagOf(KongEmulator kong, long instance) {
        FakeRequest request = FakeRequest.builder().build();
        EventOutcome out = kong.handleEvent(instance, "access", request);
        if (out.ending() != EventOutcome.Ending.RET) {
            throw new AssertionError("event ended " + out);
        }
        if (!"hi".equals(request.responseHeader("x-hotswap-greeting"))) {
            throw new AssertionError("config not decoded: " + request.responseHeaders());
        }
        return request.responseHeader("x-hotswap-tag");
    }

    private static void awaitTag(KongEmulator kong, long instance, String tag) {
        AtomicReference<String> last = new AtomicReference<>();
        ServerProcess.await("events are answered by version " + tag + " (last seen " + last + ")", SETTLE, () -> {
            last.set(tagOf(kong, instance));
            return tag.equals(last.get());
        });
    }

    /**
     * Emulator threads sending access events back to back. Every answer whose tag differs from {@link #expected}
     * (when it is set) is a failure, as is every event that fails.
     */
    private static final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong events = new AtomicLong();
        final AtomicLong checked = new AtomicLong();
        final AtomicReference<String> expected;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(KongEmulator kong, long instance, int n, String initiallyExpected) {
            expected = new AtomicReference<>(initiallyExpected);
            for (int t = 0; t < n; t++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        String mustBe = expected.get();
                        try {
                            String tag = tagOf(kong, instance);
                            events.incrementAndGet();
                            if (mustBe != null) {
                                checked.incrementAndGet();
                                if (!mustBe.equals(tag)) {
                                    failures.add("expected " + mustBe + " but an event was answered by " + tag);
                                }
                            }
                        } catch (AssertionError | RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }, "kong-load-" + t);
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60).toMillis());
            }
        }
    }

    @Test
    void fiftyJarSwapsUnderLoadFailNoEventSettleOnTheNewVersionAndReleaseTheOldClassLoaders() throws Exception {
        Path deploy = startWithHotswap("v0");
        KongEmulator kong = kong();
        long instance = kong.startInstance("hotswap", CONFIG);
        awaitTag(kong, instance, "v0");

        int threads = 4;
        Load load = new Load(kong, instance, threads, null);
        AtomicLong events = load.events;
        AtomicLong checked = load.checked;
        AtomicReference<String> expected = load.expected;
        ConcurrentLinkedQueue<String> failures = load.failures;
        long started = System.nanoTime();
        int swaps = 50;
        try {
            for (int n = 1; n <= swaps; n++) {
                String tag = "v" + n;
                expected.set(null);
                PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap(tag));
                awaitTag(kong, instance, tag);
                expected.set(tag);
                long target = checked.get() + 2L * threads;
                ServerProcess.await(2 * threads + " more events checked against " + tag, SETTLE,
                        () -> checked.get() >= target || !failures.isEmpty());
                assertTrue(failures.isEmpty(), "after swap " + n + ": " + failures);
            }
        } finally {
            load.close();
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(List.of(), new ArrayList<>(failures), "failed events");
        System.out.printf("HOT-RELOAD: %d jar swaps under load from %d emulator threads: %d events, 0 failed, "
                + "%d checked after settling, %d ms%n", swaps, threads, events.get(), checked.get(), millis);
        String log = server.logText();
        assertEquals(swaps, log.split("updated to hotswap 1.0.0", -1).length - 1, "one update per swap");
        assertTrue(!log.contains("refused"), log);

        // the 50 old revisions are released: after a full GC one class loader alone holds the plugin's classes
        AtomicReference<String> loaders = new AtomicReference<>();
        ServerProcess.await("only the current revision's class loader holds HotSwap (" + loaders + ")", SETTLE, () -> {
            jcmd("GC.run");
            loaders.set(jcmd("VM.classloaders", "show-classes"));
            return loaders.get().split("Classes: io\\.kjps\\.samples\\.hotswap\\.HotSwap\\s", -1).length - 1 == 1;
        });
    }

    private String jcmd(String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.serverPid())));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("jcmd " + List.of(command) + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void corruptJarLeavesThePreviousVersionServingAndTheLogSaysWhy() throws Exception {
        Path deploy = startWithHotswap("good");
        KongEmulator kong = kong();
        long instance = kong.startInstance("hotswap", CONFIG);
        awaitTag(kong, instance, "good");

        PluginJars.deploy(deploy, "hotswap.jar", "this is not a zip file".getBytes(StandardCharsets.US_ASCII));
        ServerProcess.await("the log says why the jar was refused", SETTLE,
                () -> server.logText().contains("restored io.kjps.kong-java-pluginserver-sample-hotswap"));
        String log = server.logText();
        assertTrue(log.contains("ERROR [DeployGuard] deploy file " + deploy.resolve("hotswap.jar")
                + " is not a bundle jar (zip END header not found): FileInstall uninstalled"
                + " io.kjps.kong-java-pluginserver-sample-hotswap "), log);
        // the update failed: every event is still answered by the version served before
        for (int i = 0; i < 20; i++) {
            assertEquals("good", tagOf(kong, instance));
        }
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("fixed"));
        awaitTag(kong, instance, "fixed");
    }

    /** A bad revision of the hotswap jar and the reason the log must give for refusing it. */
    private record BadUpdate(String what, byte[] jar, String reason) {
    }

    @Test
    void failedUpdatesUnderLoadRollBackAndThePreviousVersionKeepsServingWithoutAFailedEvent() throws Exception {
        Path deploy = startWithHotswap("good");
        PluginJars.deploy(deploy, "other.jar", PluginJars.hotswapNumbered(1));
        ServerProcess.await("hotswap1 is served", SETTLE, () -> server.logText().contains("serving hotswap1 1.0.0"));
        KongEmulator kong = kong();
        long instance = kong.startInstance("hotswap", CONFIG);
        awaitTag(kong, instance, "good");
        List<BadUpdate> bad = List.of(
                new BadUpdate("an unresolved requirement", PluginJars.withManifestHeader(
                        PluginJars.hotswap("unresolved"), "Require-Bundle: io.kjps.no-such-bundle"),
                        "failed: it did not start: "),
                new BadUpdate("a component that throws on activation", PluginJars.hotswap("fail-activation"),
                        "failed: component io.kjps.samples.hotswap.HotSwap failed to activate: "),
                new BadUpdate("a plugin name another bundle serves", PluginJars.hotswapClaiming("dup", "hotswap1"),
                        "failed: plugin name hotswap1 is already served by bundle "),
                new BadUpdate("a version Kong rejects", PluginJars.hotswapVersion("v", "1.0.0.0"),
                        "plugin hotswap version \"1.0.0.0\" is not a plugin version Kong keeps as written: Kong "
                                + "refuses to load it"));

        int threads = 4;
        Load load = new Load(kong, instance, threads, "good");
        AtomicLong events = load.events;
        AtomicReference<String> expected = load.expected;
        ConcurrentLinkedQueue<String> failures = load.failures;
        long started = System.nanoTime();
        try {
            for (int n = 0; n < bad.size(); n++) {
                BadUpdate update = bad.get(n);
                int rolledBack = n + 1;
                PluginJars.deploy(deploy, "hotswap.jar", update.jar());
                ServerProcess.await("the update with " + update.what() + " is rolled back", SETTLE, () ->
                        server.logText().split("rolled back bundle ", -1).length - 1 >= rolledBack);
                String log = server.logText();
                assertTrue(log.contains("ERROR [UpdateGuard] update of bundle "), log);
                String line = log.lines().filter(l -> l.contains("[UpdateGuard] update of bundle "))
                        .skip(n).findFirst().orElseThrow();
                assertTrue(line.contains(update.reason()) && line.endsWith(", which keeps serving hotswap"),
                        update.what() + ": " + line);
                System.out.println("ROLLBACK: " + line);
                long target = events.get() + 2L * threads;
                ServerProcess.await("events run after the roll-back", SETTLE,
                        () -> events.get() >= target || !failures.isEmpty());
                assertEquals(List.of(), new ArrayList<>(failures), "after " + update.what());
                assertEquals("good", tagOf(kong, instance));
            }
            expected.set(null);
            PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("fixed"));
            awaitTag(kong, instance, "fixed");
        } finally {
            load.close();
        }
        assertEquals(List.of(), new ArrayList<>(failures), "failed events");
        System.out.printf("FAILED-UPDATES: %d bad updates rolled back under load from %d emulator threads: %d events,"
                + " 0 failed, %d ms%n", bad.size(), threads, events.get(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Runs {@code call} and returns how long it took, in ms, and the error it raised ({@code null} when none). */
    private static long millisOf(Runnable call, AtomicReference<KongRpcException> error) {
        long t0 = System.nanoTime();
        try {
            call.run();
        } catch (KongRpcException e) {
            error.set(e);
        }
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }

    private int count(String text) {
        return server.logText().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    @Test
    void aPluginNobodyServesIsAnsweredAtOnceWhileOneBeingUpdatedIsWaitedFor() throws Exception {
        Path deploy = startWithHotswap("first");
        KongEmulator kong = kong();
        long instance = kong.startInstance("hotswap", CONFIG);
        awaitTag(kong, instance, "first");

        // enabled in Kong but deployed nowhere: the error comes at once, not after kjps.plugin.wait.ms (5 s)
        long slowest = 0;
        for (int i = 0; i < 5; i++) {
            AtomicReference<KongRpcException> error = new AtomicReference<>();
            slowest = Math.max(slowest, millisOf(() -> kong.startInstance("not-deployed", "{}"), error));
            assertNotNull(error.get(), "StartInstance of a plugin nobody serves must fail");
            assertTrue(error.get().error().startsWith(
                    "plugin.StartInstance: no plugin named not-deployed is deployed (serving "), error.get().error());
        }
        assertTrue(slowest < 100, "StartInstance for an unknown name took " + slowest + " ms");

        // an update whose new revision takes 1.5 s to activate: a StartInstance sent in the gap waits and succeeds
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("slow-activation-1500"));
        ServerProcess.await("the old revision stops serving", SETTLE,
                () -> server.logText().contains("no longer serving hotswap 1.0.0"));
        AtomicReference<KongRpcException> during = new AtomicReference<>();
        AtomicLong second = new AtomicLong();
        long waited = millisOf(() -> second.set(kong.startInstance("hotswap", CONFIG)), during);
        assertEquals(null, during.get(), "StartInstance during the update must wait for it, not fail");
        assertEquals("slow-activation-1500", tagOf(kong, second.get()));
        System.out.println("UNKNOWN-PLUGIN: slowest of 5 StartInstance for an unknown name " + slowest
                + " ms; StartInstance during a 1.5 s activation waited " + waited + " ms and succeeded");

        // removed for good: an event for its instance is answered at once too
        Files.delete(deploy.resolve("hotswap.jar"));
        ServerProcess.await("the plugin is removed", SETTLE, () -> count("no longer serving hotswap 1.0.0") >= 2);
        ServerProcess.await("an event for the removed plugin fails", SETTLE, () -> {
            AtomicReference<KongRpcException> failed = new AtomicReference<>();
            millisOf(() -> tagOf(kong, instance), failed);
            return failed.get() != null;
        });
        AtomicReference<KongRpcException> gone = new AtomicReference<>();
        long removedMillis = millisOf(() -> tagOf(kong, instance), gone);
        assertNotNull(gone.get(), "an event for a removed plugin must fail");
        assertTrue(removedMillis < 100, "HandleEvent for a removed plugin took " + removedMillis + " ms");
    }

    @Test
    void removedPluginAnswersNotDeployedAndRedeployServesTheSameInstanceAgain() throws Exception {
        Path deploy = startWithHotswap("first");
        KongEmulator kong = kong();
        long instance = kong.startInstance("hotswap", CONFIG);
        awaitTag(kong, instance, "first");

        Files.delete(deploy.resolve("hotswap.jar"));
        ServerProcess.await("the plugin is removed", SETTLE,
                () -> server.logText().contains("no longer serving hotswap 1.0.0"));
        KongRpcException error = null;
        try {
            tagOf(kong, instance);
        } catch (KongRpcException e) {
            error = e;
        }
        assertNotNull(error, "an event for a removed plugin must fail");
        assertEquals("plugin.HandleEvent: plugin hotswap of instance " + instance + " is not deployed",
                error.error());

        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("again"));
        awaitTag(kong, instance, "again");
    }
}
