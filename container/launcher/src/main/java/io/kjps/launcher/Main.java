package io.kjps.launcher;

import io.kjps.listener.SocketConditions;
import io.kjps.launcher.internal.CacheDirectory;
import io.kjps.launcher.internal.DeployFolderCheck;
import io.kjps.launcher.internal.FrameworkLauncher;
import io.kjps.launcher.internal.FrameworkProperties;
import io.kjps.launcher.internal.HomeDirectory;
import io.kjps.launcher.internal.Keeper;
import io.kjps.launcher.internal.KongConf;
import io.kjps.launcher.internal.LauncherOptions;
import io.kjps.launcher.internal.ParentWatcher;
import io.kjps.launcher.internal.PluginDump;
import io.kjps.launcher.internal.ShellClient;
import io.kjps.launcher.internal.Shutdown;
import io.kjps.launcher.internal.Signals;
import io.kjps.launcher.internal.SocketReadiness;
import io.kjps.launcher.internal.StartupList;
import io.kjps.launcher.internal.StderrLogging;
import io.kjps.launcher.internal.UsageException;
import io.kjps.launcher.internal.Version;
import io.kjps.listener.HandOver;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * Entry point of kong-java-pluginserver, started by {@code bin/kong-java-pluginserver} (which sets the system
 * property {@code kjps.home} to the distribution directory).
 *
 * <p>Every run begins the same way:
 * <ol>
 *   <li>Parse the command line ({@code LauncherOptions}); relative paths become absolute against the current
 *       directory. A bad command line prints the usage on stderr and exits with 2; {@code -h} prints it on stdout
 *       and {@code -version} the version, both exiting with 0.</li>
 *   <li>{@code -dump}, {@code -dump-plugin NAME}, {@code -kong-conf}: read the plugin descriptors of the jars in
 *       the deploy directory as zip files ({@code PluginCatalog}), print exactly one JSON value
 *       ({@code PluginDump}) or the kong.conf lines ({@code KongConf}) on stdout, and exit. No framework, no plugin
 *       class: Kong runs the query at every start, once per plugin.</li>
 * </ol>
 * {@code shell ...} attaches to a running server's admin socket instead ({@code ShellClient}).
 *
 * <p>Without a dump flag the server starts. By default this process becomes the <em>keeper</em> ({@code Keeper}):
 * it binds the socket at once and runs {@code bin/kong-java-pluginserver -worker} as its child with the socket as
 * standard input, starting it again whenever it dies, so that Kong's connects never fail. The child ({@code -worker}),
 * or this process with {@code -no-keeper}, then runs:
 * <ol start="3">
 *   <li>Point {@code System.out} at stderr, so that nothing can ever write to stdout, and send
 *       {@code java.util.logging} to stderr, one line per record ({@code StderrLogging}; FINE with {@code -v}).</li>
 *   <li>Read {@code <home>/system/startup.list} ({@code StartupList}).</li>
 *   <li>Delete the cache directories of servers that died without cleaning up, then use
 *       {@code <cache-dir>/kong-java-pluginserver-<pid>} as this framework's storage ({@code CacheDirectory}).</li>
 *   <li>Create the framework through {@code ServiceLoader<FrameworkFactory>} with the Felix, FileInstall and
 *       {@code kjps.*} properties ({@code FrameworkProperties}, {@code FrameworkLauncher}); Felix logs through
 *       JUL.</li>
 *   <li>Arrange the ways to stop ({@code Shutdown}): SIGTERM/SIGINT ({@code Signals}), the parent's death with
 *       {@code -exit-with-parent} ({@code ParentWatcher}), and a JVM shutdown hook for anything else.</li>
 *   <li>{@code init()} the framework, start watching for the socket bundle's report ({@code SocketReadiness}),
 *       install the start-up bundles in list order, mark them started in that order (fragments excepted), and
 *       {@code start()} the framework: the bundles start in list order, then FileInstall installs and starts the
 *       plugin bundles of the deploy directory.</li>
 *   <li>Fail (status 1) if a start-up bundle did not start. Wait up to 30 s for the socket bundle's condition: on
 *       {@code kjps.socket.ready} log {@code listening on <socket> (<n> bundles, started in <ms> ms)}; on
 *       {@code kjps.socket.failed} or no report, log why, stop the framework and exit with 1.</li>
 *   <li>Wait for the framework to stop: after SIGTERM/SIGINT, the parent's death, or {@code shutdown} in the
 *       shell. Then delete the cache directory and exit with 0. The socket file is left alone: during
 *       {@code kong reload} the new server may already own it.</li>
 * </ol>
 */
public final class Main {

    /** How long the socket bundle has to report after the framework has started. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long the framework has to stop once asked to. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How often {@code -exit-with-parent} looks at the parent process. */
    static final Duration PARENT_POLL = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: Kong starts us with an empty environment, and it decodes the dump as UTF-8
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the launcher with the distribution directory from {@code kjps.home}, the current directory and
     * {@code java.io.tmpdir} of this JVM.
     *
     * @return the exit status: 0 success, 1 failure, 2 bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, HomeDirectory.find(), Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Optional<Path> home, Path cwd, Path tmpDir) {
        if (args.length > 0 && args[0].equals("shell")) {
            return ShellClient.run(List.of(args).subList(1, args.length), cwd, System.in, out, err);
        }
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(List.of(args), cwd, home, tmpDir);
        } catch (UsageException e) {
            err.print("kong-java-pluginserver: error: " + e.getMessage() + "\n\n" + LauncherOptions.usage());
            err.flush();
            return LauncherOptions.EXIT_USAGE;
        }
        return switch (options.mode()) {
            case HELP -> {
                out.print(LauncherOptions.usage());
                out.flush();
                yield 0;
            }
            case VERSION -> {
                out.print("kong-java-pluginserver " + Version.get() + "\n");
                out.flush();
                yield 0;
            }
            case DUMP -> PluginDump.dumpAll(options.deploy(), out, err);
            case DUMP_PLUGIN -> PluginDump.dumpOne(options.deploy(), options.pluginName(), out, err);
            case KONG_CONF -> kongConf(options, out, err);
            case SERVER -> options.role() == LauncherOptions.Role.KEEPER ? keep(options, args, err) : serve(options, err);
        };
    }

    private static int kongConf(LauncherOptions options, PrintStream out, PrintStream err) {
        if (options.home().isEmpty()) {
            err.println("kong-java-pluginserver: error: cannot tell where bin/kong-java-pluginserver is:"
                    + " system property " + HomeDirectory.PROPERTY + " is not set");
            return LauncherOptions.EXIT_FAILURE;
        }
        Path launcher = options.home().get().resolve("bin").resolve("kong-java-pluginserver");
        return new KongConf(launcher, options.kongPrefix(), options.socket(), options.deploy()).print(out, err);
    }

    /**
     * Runs the keeper ({@link Keeper}), or, when it cannot hand the socket over on this JDK or the distribution
     * directory is unknown, the server alone in this process.
     */
    private static int keep(LauncherOptions options, String[] args, PrintStream err) {
        long startNanos = System.nanoTime();
        toStderr(options, err);
        String unsupported = HandOver.supported();
        if (unsupported != null || options.home().isEmpty()) {
            LOG.warning((unsupported != null ? unsupported : "system property " + HomeDirectory.PROPERTY
                    + " is not set") + ": serving without a keeper, so a crash closes the socket until Kong starts"
                    + " the server again");
            return serve(options, err, startNanos);
        }
        if (!deployFolderAccepted(options)) {
            return LauncherOptions.EXIT_FAILURE; // refused before anything is bound
        }
        Path launcher = options.home().get().resolve("bin").resolve("kong-java-pluginserver");
        Keeper keeper = new Keeper(options, List.of(args), launcher, STOP_TIMEOUT);
        Signals.onTermination(signal -> keeper.stop("received SIG" + signal));
        Signals.onHangup(signal -> keeper.restart("received SIGHUP"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> keeper.stop("the keeper exits"), "kjps-keeper-exit"));
        if (options.exitWithParent()) {
            ParentWatcher.watchParent(PARENT_POLL, () -> keeper.stop("parent process exited"));
        }
        return keeper.run(startNanos);
    }

    /** @return whether the deploy folder may be used ({@code DeployFolderCheck}); warns when it is missing */
    private static boolean deployFolderAccepted(LauncherOptions options) {
        if (!Files.isDirectory(options.deploy())) {
            LOG.warning("deploy directory " + options.deploy() + " does not exist");
        }
        return DeployFolderCheck.check(options.deploy(), Boolean.getBoolean(DeployFolderCheck.STRICT), LOG);
    }

    private static void toStderr(LauncherOptions options, PrintStream err) {
        System.setOut(err);
        System.setErr(err);
        StderrLogging.install(err, options.verbose());
    }

    private static int serve(LauncherOptions options, PrintStream err) {
        long startNanos = System.nanoTime();
        toStderr(options, err);
        return serve(options, err, startNanos);
    }

    private static int serve(LauncherOptions options, PrintStream err, long startNanos) {

        String version = Version.get();
        long pid = ProcessHandle.current().pid();
        LOG.info(() -> "kong-java-pluginserver " + version + " (Java " + Runtime.version() + ", pid " + pid
                + "): socket " + options.socket() + ", deploy " + options.deploy());
        if (options.home().isEmpty()) {
            LOG.severe("cannot find the system bundles: system property " + HomeDirectory.PROPERTY + " is not set");
            return LauncherOptions.EXIT_FAILURE;
        }
        List<Path> startup;
        try {
            startup = StartupList.read(options.home().get().resolve("system"));
        } catch (IOException e) {
            LOG.severe("cannot read the start-up bundle list: " + e.getMessage());
            return LauncherOptions.EXIT_FAILURE;
        }
        // the keeper checked the deploy folder before it bound the socket
        if (options.role() != LauncherOptions.Role.WORKER && !deployFolderAccepted(options)) {
            return LauncherOptions.EXIT_FAILURE;
        }

        CacheDirectory.deleteStale(options.cacheDir(), pid, CacheDirectory::isAlive);
        Path cache = CacheDirectory.of(options.cacheDir(), pid);
        Framework framework = FrameworkLauncher.create(FrameworkProperties.build(options, cache, version));
        Shutdown shutdown = new Shutdown(framework, cache, STOP_TIMEOUT);
        Runtime.getRuntime().addShutdownHook(shutdown.hook());
        Signals.onTermination(signal -> shutdown.request("received SIG" + signal));
        if (options.exitWithParent()) {
            if (ParentWatcher.watchParent(PARENT_POLL, () -> shutdown.request("parent process exited")).isEmpty()) {
                LOG.warning("-exit-with-parent: this process has no parent to watch");
            }
        }

        try {
            framework.init();
            try (SocketReadiness readiness = SocketReadiness.watch(framework.getBundleContext())) {
                List<Bundle> bundles = FrameworkLauncher.installAndStart(framework.getBundleContext(), startup);
                framework.start();
                shutdown.stopIfRequested();
                List<Bundle> notStarted = FrameworkLauncher.notStarted(bundles);
                if (!notStarted.isEmpty() && !shutdown.isRequested()) {
                    LOG.severe("start-up bundles did not start: " + notStarted.stream()
                            .map(b -> b.getSymbolicName() + " " + b.getVersion()).collect(Collectors.joining(", ")));
                    return fail(shutdown);
                }
                SocketReadiness.Outcome outcome = readiness.await(READY_TIMEOUT);
                if (outcome instanceof SocketReadiness.Ready ready) {
                    long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
                    int count = framework.getBundleContext().getBundles().length - 1;
                    LOG.info("listening on " + ready.socket() + " (" + count + " bundles, started in " + millis
                            + " ms)");
                } else if (outcome instanceof SocketReadiness.Failed failed) {
                    LOG.severe("the socket bundle failed: " + failed.message());
                    return fail(shutdown);
                } else if (outcome instanceof SocketReadiness.TimedOut timedOut) {
                    LOG.severe("the socket bundle did not report within " + timedOut.timeout().toSeconds()
                            + " s (no " + SocketConditions.READY + " condition)");
                    return fail(shutdown);
                }
            }
            FrameworkEvent stopped = framework.waitForStop(0);
            if (stopped.getType() == FrameworkEvent.ERROR) {
                LOG.log(Level.WARNING, "the framework stopped with an error", stopped.getThrowable());
            }
            shutdown.stopAndClean();
            LOG.info("stopped");
            return 0;
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot start the framework", e);
            return fail(shutdown);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(shutdown);
        }
    }

    private static int fail(Shutdown shutdown) {
        shutdown.stopAndClean();
        return LauncherOptions.EXIT_FAILURE;
    }
}
