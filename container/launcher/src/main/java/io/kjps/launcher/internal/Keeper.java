package io.kjps.launcher.internal;

import io.kjps.listener.HandOver;
import io.kjps.listener.ListeningSocket;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The process Kong starts: it binds the socket at once, holds it for its whole life, and runs the server (the JVM
 * that hosts the framework and the plugins) as a child process that accepts on that same socket, starting it again
 * at once whenever it dies.
 *
 * <p>Why: Kong's client treats a failed connect, or a connection closed in the middle of an event, by going on with
 * the request <em>without the plugin</em> (protocol.md §3.1). With the socket held here, a crash of the server
 * ({@code kill -9}, an {@code OutOfMemoryError}, which the server's JVM exits on) never makes a connect fail: Kong's
 * calls wait in the socket's backlog until the new server process accepts them. Only the events in flight on the
 * dead process's connections are lost. And the socket accepts within a fraction of the server's start-up time,
 * because this process loads almost nothing.
 *
 * <p>Sequence:
 * <ol>
 *   <li>bind the socket ({@link ListeningSocket#open}: a stale file removed, a live server of a
 *       {@code kong reload} waited for, mode and group set);</li>
 *   <li>start {@code bin/kong-java-pluginserver -worker <the same flags> -exit-with-parent} with the socket as its
 *       standard input ({@link HandOver}) and its class-data archive options ({@link #jvmOptions}) in
 *       {@value #WORKER_JVM_OPTS}; the server process finds the socket with {@link System#inheritedChannel()} and
 *       exits when this process dies;</li>
 *   <li>when the server process exits with status 0 (it was told to stop, by the shell's {@code shutdown}) or 1 (it
 *       could not start: a bad setting, a deploy folder refused, a start-up bundle that fails), exit with that
 *       status, as the server did before there was a keeper;</li>
 *   <li>when it dies otherwise (a signal, an {@code OutOfMemoryError}) and no stop was asked: start it again at
 *       once; when it died within
 *       {@link #HEALTHY_RUN} of its start twice or more in a row, wait 100 ms, then twice as long each time, up
 *       to {@link #MAX_BACKOFF}, so a server that cannot start does not spin;</li>
 *   <li>on SIGTERM/SIGINT or the parent's death ({@code -exit-with-parent}): send SIGTERM to the server process,
 *       which drains its events, and exit once it has; after {@code stopTimeout} kill it;</li>
 *   <li>on SIGHUP ({@link #restart}): the same stop, then a new server process on the same socket, which is how an
 *       upgrade of the server's files is taken into use without a refused connect.</li>
 * </ol>
 */
public final class Keeper {
    /** A server process that ran this long before it died counts as healthy: the next one starts at once. */
    static final Duration HEALTHY_RUN = Duration.ofSeconds(10);
    /** The longest wait between two starts of a server process that keeps dying. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** The environment variable through which the keeper gives the server process extra JVM options. */
    public static final String WORKER_JVM_OPTS = "KJPS_WORKER_JVM_OPTS";
    /** System property: {@code false} turns off the class-data archive of the server process. */
    public static final String CDS = "kjps.cds";
    private static final Logger LOG = Logger.getLogger(Keeper.class.getName());

    private final LauncherOptions options;
    private final List<String> args;
    private final Path launcher;
    private final Duration stopTimeout;
    private final Object lock = new Object();
    private volatile boolean stopping;
    private boolean restarting;
    private Process server;

    /**
     * @param options     the parsed command line
     * @param args        the command line, passed on to the server process
     * @param launcher    {@code bin/kong-java-pluginserver}
     * @param stopTimeout how long the server process has to stop once asked
     */
    public Keeper(LauncherOptions options, List<String> args, Path launcher, Duration stopTimeout) {
        this.options = options;
        this.args = List.copyOf(args);
        this.launcher = launcher;
        this.stopTimeout = stopTimeout;
    }

    /**
     * @param startNanos when this process started, for the log
     * @return the exit status
     */
    public int run(long startNanos) {
        ServerSocketChannel channel;
        ProcessBuilder.Redirect socketAsInput;
        try {
            ListeningSocket socket = ListeningSocket.from(key -> key.equals(ListeningSocket.PATH)
                    ? options.socket().toString() : System.getProperty(key));
            channel = socket.open();
            socketAsInput = HandOver.asStandardInput(channel);
        } catch (IOException | IllegalArgumentException e) {
            LOG.severe("cannot listen on " + options.socket() + ": " + e.getMessage());
            return LauncherOptions.EXIT_FAILURE;
        }
        LOG.info("keeper (pid " + ProcessHandle.current().pid() + ") bound " + options.socket() + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)
                + " ms; Kong's calls wait there while the server process starts");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.add("-worker");
        command.add("-exit-with-parent");
        command.addAll(args);
        int quickDeaths = 0;
        try {
            while (true) {
                long began = System.nanoTime();
                Process p;
                synchronized (lock) {
                    if (stopping) {
                        return 0;
                    }
                    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(socketAsInput)
                            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                            .redirectError(ProcessBuilder.Redirect.INHERIT);
                    pb.environment().put(WORKER_JVM_OPTS, String.join(" ", jvmOptions(options.cacheDir(),
                            Version.get(), Runtime.version(), !"false".equals(System.getProperty(CDS)))));
                    p = pb.start();
                    server = p;
                }
                LOG.info("started the server process, pid " + p.pid());
                int status = p.waitFor();
                if (stopping) {
                    LOG.info("the server process exited with status " + status);
                    return 0;
                }
                synchronized (lock) {
                    if (restarting) {
                        restarting = false;
                        quickDeaths = 0;
                        LOG.info("the server process " + p.pid() + " stopped (status " + status
                                + "); starting it again as asked");
                        continue;
                    }
                }
                if (status == 0 || status == LauncherOptions.EXIT_FAILURE) {
                    // 0: it was told to stop (the shell's shutdown); 1: it could not start, and starting it again
                    // would not help. Either way this process ends too, and Kong starts the server again if it wants.
                    LOG.log(status == 0 ? java.util.logging.Level.INFO : java.util.logging.Level.SEVERE,
                            "the server process " + p.pid() + " exited with status " + status
                                    + (status == 0 ? "; stopping" : ": it could not start; giving up"));
                    return status;
                }
                Duration ran = Duration.ofNanos(System.nanoTime() - began);
                quickDeaths = ran.compareTo(HEALTHY_RUN) >= 0 ? 0 : quickDeaths + 1;
                Duration delay = backoff(quickDeaths);
                LOG.severe("the server process " + p.pid() + " died (" + describe(status) + ") after "
                        + ran.toMillis() + " ms; starting it again " + (delay.isZero() ? "now"
                        : "in " + delay.toMillis() + " ms, as it died " + quickDeaths + " times in a row within "
                        + HEALTHY_RUN.toSeconds() + " s of its start")
                        + ". Kong's calls wait on the socket meanwhile; events in flight on it were lost");
                synchronized (lock) {
                    long until = System.nanoTime() + delay.toNanos();
                    long left;
                    while (!stopping && (left = until - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                }
            }
        } catch (IOException e) {
            LOG.severe("cannot start the server process " + command + ": " + e.getMessage());
            return LauncherOptions.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted");
            return LauncherOptions.EXIT_FAILURE;
        }
    }

    /**
     * @param quickDeaths how many server processes in a row died soon after their start
     * @return how long to wait before the next start
     */
    static Duration backoff(int quickDeaths) {
        if (quickDeaths <= 1) {
            return Duration.ZERO;
        }
        long millis = 100L << Math.min(quickDeaths - 2, 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /**
     * The server process's class-data archive: on Java 19 and later the JVM writes the classes the server loaded
     * into an archive when it exits and maps them at the next start ({@code -XX:+AutoCreateSharedArchive}), which
     * shortens the start after the first one; on Java 17 that option does not exist and nothing is added. The
     * archive lives in the cache directory, named by the server's and the JVM's versions, so an upgrade of either
     * starts a new one; the JVM checks it and ignores one that does not match.
     *
     * @param cacheDir the cache directory ({@code -cache-dir})
     * @param version  this server's version
     * @param java     the JVM's version (the server process runs the same {@code java})
     * @param enabled  {@code false} when turned off ({@value #CDS}{@code =false})
     * @return the JVM options for the server process (no option contains a blank unless the cache directory does)
     */
    static List<String> jvmOptions(Path cacheDir, String version, Runtime.Version java, boolean enabled) {
        if (!enabled || java.feature() < 19) {
            return List.of();
        }
        Path archive = cacheDir.resolve("kong-java-pluginserver-" + version + "-java" + java + ".jsa");
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
    }

    private static String describe(int status) {
        return status > 128 && status < 160 ? "killed by signal " + (status - 128) : "exit status " + status;
    }

    /**
     * Restarts the server process on the same socket: SIGTERM (it finishes the events in flight), then a new one as
     * soon as it has exited, whatever its status. Kong's connects never fail meanwhile. This is how a new version of
     * the server's files is taken into use ({@code kill -HUP <keeper pid>}).
     *
     * @param why for the log
     */
    public void restart(String why) {
        Process p;
        synchronized (lock) {
            if (stopping || server == null || !server.isAlive()) {
                return;
            }
            restarting = true;
            p = server;
        }
        LOG.info("restarting the server process " + p.pid() + ": " + why);
        p.destroy();
        watchStop(p);
    }

    /**
     * Stops the server process (SIGTERM, then SIGKILL after the stop timeout) and ends {@link #run}. Safe from any
     * thread, any number of times.
     *
     * @param why for the log
     */
    public void stop(String why) {
        Process p;
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            p = server;
            lock.notifyAll();
        }
        LOG.info("stopping: " + why);
        if (p == null) {
            return;
        }
        p.destroy();
        watchStop(p);
    }

    /** Kills {@code p} when it has not exited within the stop timeout of its SIGTERM. */
    private void watchStop(Process p) {
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warning("the server process did not stop within " + stopTimeout.toSeconds()
                            + " s; killing it");
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "kjps-keeper-stop");
        killer.setDaemon(true);
        killer.start();
    }
}
