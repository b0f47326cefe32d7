package io.kjps.bench;

import io.kjps.emulator.KongConnectionPool;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One plugin server process of the comparison: how to start it, its socket, its pid, and Kong's per-worker
 * connection pools to it (kept for the whole run, as Kong keeps them).
 */
final class ServerUnderTest {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path socket;
    private final Path dir;
    private final Path gcLog;
    /** The last process {@link #pid()} named, still known once the server has stopped. */
    private volatile long servedPid;
    private Process process;
    private long startNanos;
    private long readyNanos;
    private final List<KongConnectionPool> pools = new ArrayList<>();

    ServerUnderTest(String name, List<String> command, Map<String, String> env, Path socket, Path dir, Path gcLog) {
        this.name = name;
        this.command = command;
        this.env = env;
        this.socket = socket;
        this.dir = dir;
        this.gcLog = gcLog;
    }

    String name() {
        return name;
    }

    Path socket() {
        return socket;
    }

    Path gcLog() {
        // a name with %p is written by each JVM under its own pid: the measured process's is the one
        return gcLog == null ? null
                : gcLog.resolveSibling(gcLog.getFileName().toString().replace("%p", Long.toString(
                        servedPid > 0 ? servedPid : pid())));
    }

    /**
     * @return the process whose CPU, context switches and memory are measured: for our server the JVM that serves
     *         (the keeper's child; the keeper itself sleeps on its child's exit), for the others the process started
     */
    long pid() {
        long pid = process.toHandle().children().filter(ProcessHandle::isAlive).mapToLong(ProcessHandle::pid)
                .findFirst().orElse(servedPid > 0 ? servedPid : process.pid());
        servedPid = pid;
        return pid;
    }

    /** @return whether the process is still running */
    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @return seconds from spawn to the first accepted connection */
    double readySeconds() {
        return (readyNanos - startNanos) / 1e9;
    }

    /** @return when the process was spawned, {@link System#nanoTime()} */
    long startNanos() {
        return startNanos;
    }

    /**
     * Starts the process (stderr and stdout to {@code <dir>/server.log}) and waits until its socket accepts.
     *
     * @param workers the number of Nginx workers to emulate: one keepalive pool each
     * @throws IOException when it does not start within 60 s
     */
    void start(int workers) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        startNanos = System.nanoTime();
        process = pb.start();
        readyNanos = awaitSocket(socket, process, Duration.ofSeconds(60));
        for (int i = 0; i < workers; i++) {
            pools.add(new KongConnectionPool(socket, KongConnectionPool.DEFAULT_MAX_IDLE,
                    KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30), true));
        }
    }

    /**
     * Polls a socket until a connect succeeds.
     *
     * @return {@link System#nanoTime()} of the first successful connect
     */
    static long awaitSocket(Path socket, Process process, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                    return System.nanoTime();
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            if (process != null && !process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " before listening on "
                        + socket);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("nothing listens on " + socket + " after " + timeout.toSeconds() + " s");
    }

    /** @return Kong's per-worker connection pools to this server */
    List<KongConnectionPool> pools() {
        return pools;
    }

    void stop() {
        pools.forEach(KongConnectionPool::close);
        pools.clear();
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
