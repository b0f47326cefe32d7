package io.kjps.launcher.internal;

import io.kjps.listener.SocketConditions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.condition.Condition;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/** Boots the real Felix framework with small generated bundles. */
class FrameworkLauncherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Framework framework;
    private final List<LogRecord> felixLog = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            felixLog.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void createFramework() throws Exception {
        Logger felix = Logger.getLogger(FelixJulLogger.LOGGER_NAME);
        felix.addHandler(capture);
        felix.setUseParentHandlers(false);
        framework = FrameworkLauncher.create(Map.of(
                "org.osgi.framework.storage", dir.resolve("cache").toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.init();
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.stop();
        assertEquals(FrameworkEvent.STOPPED, framework.waitForStop(WAIT.toMillis()).getType());
        Logger felix = Logger.getLogger(FelixJulLogger.LOGGER_NAME);
        felix.removeHandler(capture);
        felix.setUseParentHandlers(true);
    }

    private Path bundle(String file, String... headers) throws IOException {
        StringBuilder manifest = new StringBuilder("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\n");
        for (String header : headers) {
            manifest.append(header).append("\r\n");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", manifest.append("\r\n").toString());
        return TestJars.write(dir.resolve(file), entries);
    }

    private BundleContext context() {
        return framework.getBundleContext();
    }

    @Test
    void installsInListOrderAndStartsAllButFragments() throws Exception {
        List<Path> jars = List.of(
                bundle("z.jar", "Bundle-SymbolicName: test.z"),
                bundle("frag.jar", "Bundle-SymbolicName: test.frag", "Fragment-Host: test.z"),
                bundle("a.jar", "Bundle-SymbolicName: test.a"));
        List<Bundle> bundles = FrameworkLauncher.installAndStart(context(), jars);
        framework.start();

        assertEquals(List.of("test.z", "test.frag", "test.a"),
                bundles.stream().map(Bundle::getSymbolicName).toList());
        assertEquals(List.of(1L, 2L, 3L), bundles.stream().map(Bundle::getBundleId).toList());
        assertEquals(List.of(Bundle.ACTIVE, Bundle.RESOLVED, Bundle.ACTIVE),
                bundles.stream().map(Bundle::getState).toList());
        assertTrue(FrameworkLauncher.isFragment(bundles.get(1)));
        assertEquals(List.of(), FrameworkLauncher.notStarted(bundles));
    }

    @Test
    void reportsBundlesThatDidNotStartAndFelixLogsThroughJul() throws Exception {
        List<Bundle> bundles = FrameworkLauncher.installAndStart(context(), List.of(
                bundle("ok.jar", "Bundle-SymbolicName: test.ok"),
                bundle("broken.jar", "Bundle-SymbolicName: test.broken", "Import-Package: no.such.pkg")));
        framework.start();

        assertEquals(List.of(bundles.get(1)), FrameworkLauncher.notStarted(bundles));
        assertTrue(felixLog.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                && r.getMessage().startsWith("[test.broken 0.0.0 #2] Error starting file:")
                && r.getThrown().getMessage().contains("no.such.pkg")),
                () -> felixLog.stream().map(LogRecord::getMessage).toList().toString());
    }

    @Test
    void readyService() throws Exception {
        framework.start();
        try (SocketReadiness readiness = SocketReadiness.watch(context())) {
            context().registerService(Condition.class, Condition.INSTANCE,
                    condition(SocketConditions.READY, SocketConditions.SOCKET, "/k/s.sock"));
            assertEquals(new SocketReadiness.Ready("/k/s.sock"), readiness.await(WAIT));
        }
    }

    @Test
    void failedService() throws Exception {
        framework.start();
        try (SocketReadiness readiness = SocketReadiness.watch(context())) {
            context().registerService(Condition.class, Condition.INSTANCE,
                    condition(SocketConditions.FAILED, SocketConditions.REASON, "Address already in use"));
            assertEquals(new SocketReadiness.Failed("Address already in use"), readiness.await(WAIT));
        }
    }

    @Test
    void serviceRegisteredBeforeWatchingCounts() throws Exception {
        framework.start();
        context().registerService(Condition.class, Condition.INSTANCE,
                condition(SocketConditions.READY, SocketConditions.SOCKET, "/early.sock"));
        try (SocketReadiness readiness = SocketReadiness.watch(context())) {
            assertEquals(new SocketReadiness.Ready("/early.sock"), readiness.await(WAIT));
        }
    }

    @Test
    void otherServicesDoNotCount() throws Exception {
        framework.start();
        try (SocketReadiness readiness = SocketReadiness.watch(context())) {
            context().registerService(Condition.class, Condition.INSTANCE, condition("other", "x", "y"));
            Hashtable<String, Object> wrongClass = condition(SocketConditions.READY, SocketConditions.SOCKET, "/w");
            context().registerService(Runnable.class, () -> { }, wrongClass);
            context().registerService(AutoCloseable.class, () -> { }, properties("kjps.socket.ready", "/old-marker"));
            assertEquals(new SocketReadiness.TimedOut(Duration.ofMillis(200)),
                    readiness.await(Duration.ofMillis(200)));
        }
    }

    @Test
    void frameworkStoppingEndsTheWait() throws Exception {
        try (SocketReadiness readiness = SocketReadiness.watch(context())) {
            framework.start();
            framework.stop();
            assertEquals(new SocketReadiness.FrameworkStopped(), readiness.await(WAIT));
        }
    }

    private static Hashtable<String, Object> condition(String id, String key, String value) {
        Hashtable<String, Object> properties = properties(key, value);
        properties.put(Condition.CONDITION_ID, id);
        return properties;
    }

    private static Hashtable<String, Object> properties(String key, String value) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        return properties;
    }
}
