package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kong-java-pluginserver shell} against a server started by another process with no terminal (the way
 * Kong starts it): Gogo's commands, the {@code kong:*} commands, {@code update} swapping code under load, and the
 * refusals and metadata changes the shell must show.
 */
class ShellIT {
    private static final String CONFIG = "{\"greeting\":\"hi\"}";
    private static final String BSN = "Bundle-SymbolicName: io.kjps.kong-java-pluginserver-sample-hotswap";
    private static final String DESCRIPTOR = "META-INF/kong-java-pluginserver/plugins/hotswap.json";

    private static ServerProcess server;
    private static Path deploy;
    private static KongConnectionPool pool;

    @BeforeAll
    static void start() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        deploy = Files.createDirectories(prefix.resolve("deploy"));
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("s0"));
        server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "hotswap");
        pool = new KongConnectionPool(server.socket(), 8, KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            assertEquals(0, server.stop());
            server.close();
        }
    }

    /** Runs {@code bin/kong-java-pluginserver shell -kong-prefix <prefix> -c <command>}. */
    static CommandResult shell(String command) throws IOException, InterruptedException {
        return shell(server.prefix(), command);
    }

    /** Runs {@code bin/kong-java-pluginserver shell -kong-prefix <prefix> -c <command>}. */
    static CommandResult shell(Path prefix, String command) throws IOException, InterruptedException {
        return CommandResult.run(prefix, List.of(ServerProcess.distribution().resolve("bin/kong-java-pluginserver")
                .toString(), "shell", "-kong-prefix", prefix.toString(), "-c", command));
    }

    private static long hotswapBundleId() throws Exception {
        CommandResult lb = shell("lb -s");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\|Active.*io\\.kjps\\.kong-java-pluginserver-sample-hotswap ")
                .matcher(lb.out());
        assertTrue(m.find(), lb.out());
        return Long.parseLong(m.group(1));
    }

    private static String tag(KongEmulator kong, long instance) {
        FakeRequest r = FakeRequest.builder().build();
        kong.handleEvent(instance, "access", r);
        return r.responseHeader("x-hotswap-tag");
    }

    @Test
    void adminSocketIsOwnerOnly() throws Exception {
        Path admin = server.prefix().resolve("kong-java-pluginserver.socket.admin");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(admin)));
    }

    @Test
    void lbListsEveryBundle() throws Exception {
        CommandResult r = shell("lb");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("|Active     |    1|kong-java-pluginserver socket bundle "), r.out());
        assertTrue(r.out().contains("|Active     |    1|test plugin: hotswap "), r.out());
        assertEquals("", r.err());
    }

    @Test
    void headersTakesABundleId() throws Exception {
        CommandResult r = shell("headers " + hotswapBundleId());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Bundle-SymbolicName = io.kjps.kong-java-pluginserver-sample-hotswap"), r.out());
    }

    @Test
    void interactiveModeRunsEachLineUntilExit() throws Exception {
        Process p = new ProcessBuilder(ServerProcess.distribution().resolve("bin/kong-java-pluginserver").toString(),
                "shell", "-kong-prefix", server.prefix().toString()).redirectErrorStream(true).start();
        p.getOutputStream().write("kong:stats\nlb -s\nexit\nkong:stats\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("uptime "), out);
        assertEquals(1, out.split("\nplugins ", -1).length - 1, "commands after exit are not run: " + out);
        assertTrue(out.contains("|Active     |    0|org.apache.felix.framework ("), out);
    }

    @Test
    void unknownCommandFailsWithStatusOne() throws Exception {
        CommandResult r = shell("nosuchcommand");
        assertEquals(new CommandResult(1, "error: Command not found: nosuchcommand\n", ""), r);
    }

    @Test
    void kongPluginsShowsNameVersionBundlePhasesPriorityInstancesAndEvents() throws Exception {
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap", CONFIG);
        tag(kong, instance);
        CommandResult r = shell("kong:plugins");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("NAME     VERSION  BUNDLE  PHASES  PRIORITY  INSTANCES  EVENTS\n"), r.out());
        assertTrue(Pattern.compile("(?m)^hotswap  1\\.0\\.0    " + hotswapBundleId()
                + " +access  10 +[1-9]\\d* +[1-9]\\d*$").matcher(r.out()).find(), r.out());

        CommandResult instances = shell("kong:instances");
        assertTrue(instances.out().contains("hotswap"), instances.out());
        assertTrue(instances.out().contains(CONFIG), instances.out());
        CommandResult events = shell("kong:events");
        assertEquals(0, events.status());
        assertTrue(events.out().startsWith("ID  PLUGIN  VERSION  PHASE  INSTANCE  AGE"), events.out());
        CommandResult stats = shell("kong:stats");
        assertTrue(stats.out().contains("\nplugins 1\n"), stats.out());
        CommandResult conf = shell("kong:conf");
        assertTrue(conf.out().contains("\npluginserver_hotswap_socket = " + server.socket() + "\n"), conf.out());
        assertTrue(conf.out().contains("\npluginserver_names = hotswap\n"), conf.out());
    }

    @Test
    void updateFromTheShellSwapsCodeUnderLoadWithoutFailedEvents() throws Exception {
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap", CONFIG);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong events = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    tag(kong, instance);
                    events.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        });
        load.start();
        try {
            long id = hotswapBundleId();
            Path staging = Files.createDirectories(server.prefix().resolve("shell-staging"));
            for (int n = 1; n <= 3; n++) {
                Path jar = staging.resolve("hotswap-u" + n + ".jar");
                Files.write(jar, PluginJars.hotswap("u" + n));
                CommandResult r = shell("update " + id + " " + jar.toUri());
                assertEquals(0, r.status(), r.toString());
                String expected = "u" + n;
                ServerProcess.await("events answered by " + expected, Duration.ofSeconds(30),
                        () -> expected.equals(tag(kong, instance)));
            }
        } finally {
            running.set(false);
            load.join(60_000);
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        assertTrue(events.get() > 0);
    }

    @Test
    void updateFromTheShellToARevisionThatCannotResolveRollsBackAndTheShellShowsWhy() throws Exception {
        FailedUpdate u = failedShellUpdate("hotswap-unresolved.jar", PluginJars.withManifestHeader(
                PluginJars.hotswap("unresolved"), "Require-Bundle: io.kjps.no-such-bundle"));
        assertEquals(1, u.result().status(), u.result().toString());
        assertEquals(1, u.result().out().lines().count(), u.result().out());
        assertTrue(u.result().out().startsWith("error: update of bundle " + u.id() + " to ")
                && u.result().out().contains(" failed: it did not start: Unable to resolve "), u.result().out());
        CommandResult notices = shell("kong:notices");
        assertTrue(notices.out().contains("update of bundle " + u.id() + " to io.kjps.kong-java-pluginserver-sample-hotswap ")
                && notices.out().contains("failed: it did not start: Unable to resolve ")
                && notices.out().contains("osgi.wiring.bundle=io.kjps.no-such-bundle"), notices.out());
        assertEquals(u.before(), tag(u.kong(), u.instance()), "the revision served before keeps serving");
        CommandResult lb = shell("lb");
        assertTrue(lb.out().lines().anyMatch(l -> l.trim().startsWith(u.id() + "|Active")), lb.out());
    }

    @Test
    void secondBundleClaimingAServedNameIsRefusedAndTheShellShowsWhy() throws Exception {
        byte[] jar = PluginJars.rewrite(PluginJars.hotswap("dup"), "META-INF/MANIFEST.MF",
                m -> new String(m, StandardCharsets.UTF_8).replace(BSN, BSN + "-dup").getBytes(StandardCharsets.UTF_8));
        PluginJars.deploy(deploy, "hotswap-dup.jar", jar);
        ServerProcess.await("the duplicate is refused", Duration.ofSeconds(30),
                () -> server.logText().contains("-sample-hotswap-dup "));
        ServerProcess.await("the refusal is logged", Duration.ofSeconds(30),
                () -> server.logText().contains(": plugin name hotswap is already served by bundle "));
        CommandResult notices = shell("kong:notices");
        assertTrue(notices.out().contains("plugin name hotswap is already served by bundle " + hotswapBundleId()),
                notices.out());
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap", CONFIG);
        assertTrue(!"dup".equals(tag(kong, instance)), "the refused bundle must not serve");
        Files.delete(deploy.resolve("hotswap-dup.jar"));
    }

    @Test
    void versionKongWouldRejectIsRefusedNeverServedAndLoggedPrecisely() throws Exception {
        // a bundle of its own serving a plugin name of its own, so nothing else can answer for that name
        byte[] jar = PluginJars.hotswapNumberedVersion(9, "1.0.0.0");
        PluginJars.deploy(deploy, "hotswap-badversion.jar", jar);
        ServerProcess.await("the version is refused", Duration.ofSeconds(30), () -> server.logText()
                .contains("-sample-hotswap9 0.1.0"));
        ServerProcess.await("the refusal says why", Duration.ofSeconds(30), () -> server.logText()
                .contains(": plugin hotswap9 version \"1.0.0.0\" is not a plugin version Kong keeps as written: Kong "
                        + "refuses to load it (\"VERSION field does not follow the x.y.z format\")"));
        assertTrue(shell("kong:notices").out().contains("plugin hotswap9 version \"1.0.0.0\" is not a plugin version"));
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        KongRpcException refused = assertThrows(KongRpcException.class, () -> kong.startInstance("hotswap9", CONFIG),
                "a plugin whose version Kong rejects must not be served");
        assertTrue(refused.getMessage().contains("no plugin named hotswap9 "), refused.getMessage());
        CommandResult plugins = shell("kong:plugins");
        assertTrue(plugins.out().lines().noneMatch(l -> l.startsWith("hotswap9 ")), plugins.out());
        Files.delete(deploy.resolve("hotswap-badversion.jar"));
    }

    @Test
    void failedUpdatePrintsTheGuardsOneLineExitsOneAndTheRevisionBeforeKeepsServing() throws Exception {
        FailedUpdate u = failedShellUpdate("hotswap-fail.jar", PluginJars.hotswap("fail-activation"));
        CommandResult r = u.result();
        long id = u.id();
        assertEquals(1, r.status(), r.toString());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), "exactly one line, no stack trace: " + r.out());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), r.out());
        String line = lines.get(0);
        assertTrue(line.startsWith("error: update of bundle " + id + " to io.kjps.kong-java-pluginserver-sample-hotswap "),
                line);
        assertTrue(line.contains(" failed: component io.kjps.samples.hotswap.HotSwap failed to activate:"
                + " java.lang.IllegalStateException: tag.txt of this revision asks its activation to fail;"
                + " rolling back to the revision served before (" + id + " "), line);
        assertTrue(line.endsWith("), which keeps serving hotswap"), line);
        String log = server.logText();
        assertTrue(log.contains("ERROR [UpdateGuard] " + line.substring("error: ".length()) + "\n"),
                "the shell prints the line the server logs");
        assertTrue(log.contains(" : The activate method has thrown an exception; caused by"
                + " java.lang.IllegalStateException: tag.txt of this revision asks its activation to fail\n"),
                "Declarative Services' error is one line in the server's log, with its cause");
        assertFalse(log.contains("\tat io.kjps.samples.hotswap.HotSwap.activate("),
                "the stack trace is written only at debug level (-v)");

        assertEquals(u.before(), tag(u.kong(), u.instance()), "the revision served before keeps serving");
        CommandResult lb = shell("lb");
        assertTrue(lb.out().lines().anyMatch(l -> l.trim().startsWith(id + "|Active")), lb.out());
    }

    private record FailedUpdate(long id, String before, CommandResult result, KongEmulator kong, long instance) {
    }

    /**
     * Starts an instance of hotswap and runs an event, then updates its bundle from the shell to a revision that
     * fails, and waits until the update guard has rolled it back.
     */
    private static FailedUpdate failedShellUpdate(String jarName, byte[] jar) throws Exception {
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap", CONFIG);
        String before = tag(kong, instance);
        long id = hotswapBundleId();
        long rollbacksBefore = rollbacks(id);
        Path file = Files.createDirectories(server.prefix().resolve("shell-staging")).resolve(jarName);
        Files.write(file, jar);
        CommandResult r = shell("update " + id + " " + file.toUri());
        ServerProcess.await("the update is rolled back", Duration.ofSeconds(30), () -> rollbacks(id) > rollbacksBefore);
        return new FailedUpdate(id, before, r, kong, instance);
    }

    private static long rollbacks(long id) {
        return server.logText().split("INFO  \\[UpdateGuard\\] rolled back bundle " + id + " ", -1).length - 1;
    }

    @Test
    void priorityChangeOnUpdateIsServedWithAWarningThatKongNeedsReload() throws Exception {
        byte[] jar = PluginJars.rewrite(PluginJars.hotswap("prio"), DESCRIPTOR, d -> new String(d,
                StandardCharsets.UTF_8).replace("\"Priority\":10", "\"Priority\":20").getBytes(StandardCharsets.UTF_8));
        PluginJars.deploy(deploy, "hotswap.jar", jar);
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap", CONFIG);
        ServerProcess.await("the new version serves", Duration.ofSeconds(30), () -> "prio".equals(tag(kong, instance)));
        ServerProcess.await("the change is logged", Duration.ofSeconds(30),
                () -> server.logText().contains("priority 10 -> 20. Kong still uses the old metadata"));
        String log = server.logText();
        assertTrue(log.contains("WARN  [PluginSocketComponent] update of hotswap 1.0.0 (bundle "), log);
        assertTrue(log.contains(") changed what Kong reads at its start: priority 10 -> 20. Kong still uses the old"
                + " metadata: run `kong reload`"), log);
        assertTrue(shell("kong:notices").out().contains("priority 10 -> 20"));
        // back to the original priority for the other tests
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("s0"));
        ServerProcess.await("the original serves again", Duration.ofSeconds(30),
                () -> "s0".equals(tag(kong, instance)));
    }
}
