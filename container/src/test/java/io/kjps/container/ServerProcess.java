package io.kjps.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The built distribution running as a separate process, started the way Kong's {@code start_cmd} starts it:
 * {@code bin/kong-java-pluginserver -kong-prefix <dir>}, stderr captured to {@code <dir>/server.log}.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path prefix;
    private final Process process;
    private final Path log;
    private final Path stdout;

    private ServerProcess(Path prefix, Process process, Path log, Path stdout) {
        this.prefix = prefix;
        this.process = process;
        this.log = log;
        this.stdout = stdout;
    }

    /** @return the distribution under test, from the failsafe property {@code kjps.dist.dir} */
    static Path distribution() {
        String dir = System.getProperty("kjps.dist.dir");
        if (dir == null) {
            throw new IllegalStateException("system property kjps.dist.dir (the built distribution) is not set");
        }
        return Paths.get(dir).toAbsolutePath();
    }

    /** @return a fresh, short Kong prefix (unix socket paths are limited to 107 bytes) */
    static Path newPrefix() throws IOException {
        return Files.createTempDirectory(Paths.get("/tmp"), "kjps");
    }

    /**
     * Starts the server and waits until it listens with every plugin served.
     *
     * @param prefix the Kong prefix
     * @param opts extra JVM options (for example {@code -Dkjps.abandon.timeout.ms=2000}), or empty
     * @param plugins plugin names to wait for
     * @return the running server
     */
    static ServerProcess start(Path prefix, String opts, String... plugins) throws IOException {
        return start(prefix, opts, List.of(), plugins);
    }

    /**
     * Starts the server with extra launcher flags (for example {@code -deploy DIR}).
     *
     * @param prefix the Kong prefix
     * @param opts extra JVM options, or empty
     * @param flags extra launcher flags
     * @param plugins plugin names to wait for
     * @return the running server
     */
    static ServerProcess start(Path prefix, String opts, List<String> flags, String... plugins) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(distribution().resolve("bin/kong-java-pluginserver").toString(),
                "-kong-prefix", prefix.toString()));
        cmd.addAll(flags);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        if (!opts.isEmpty()) {
            env.put("KONG_JAVA_PLUGINSERVER_OPTS", opts);
        }
        return start(prefix, pb, plugins);
    }

    /**
     * Starts an installation's server exactly as Kong's worker 0 runs {@code start_cmd}: {@code env -i} (no
     * {@code PATH}, no {@code JAVA_HOME}, nothing), working directory {@code /} (protocol.md §3.1).
     *
     * @param home the installation (an unpacked release archive)
     * @param prefix the Kong prefix
     * @param plugins plugin names to wait for (none: wait until it listens)
     * @return the running server
     */
    static ServerProcess startAsKong(Path home, Path prefix, String... plugins) throws IOException {
        return start(prefix, new ProcessBuilder("env", "-i", home.resolve("bin/kong-java-pluginserver").toString(),
                "-kong-prefix", prefix.toString()).directory(Path.of("/").toFile()), plugins);
    }

    private static ServerProcess start(Path prefix, ProcessBuilder pb, String... plugins) throws IOException {
        Path log = prefix.resolve("server.log");
        Path out = prefix.resolve("server.stdout");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        ServerProcess server = new ServerProcess(prefix, pb.start(), log, out);
        server.awaitReady(plugins);
        return server;
    }

    /**
     * A deploy folder for tests: the distribution's sample bundles plus the fault-injecting {@code faulty} and
     * {@code faulty-open} plugins (test scope on the class path), so they never enter the product's deploy/.
     *
     * @param prefix the Kong prefix; the folder is {@code <prefix>/deploy}
     * @return the folder, for {@code -deploy}
     */
    static Path deployWithFaulty(Path prefix) throws IOException {
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        try (var jars = Files.list(distribution().resolve("deploy"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, deploy.resolve(jar.getFileName()));
            }
        }
        Path faulty = null;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("kong-java-pluginserver-sample-faulty") && entry.endsWith(".jar")) {
                faulty = Paths.get(entry);
            }
        }
        if (faulty == null) {
            throw new IllegalStateException("the faulty test bundle jar is not on the test class path: "
                    + System.getProperty("java.class.path"));
        }
        Files.copy(faulty, deploy.resolve("faulty.jar"));
        return deploy;
    }

    private void awaitReady(String... plugins) {
        long before = logText().split("listening on", -1).length;
        await("the server listens and serves " + List.of(plugins), START_TIMEOUT, () -> {
            String text = logText();
            if (text.split("listening on", -1).length <= before || !Files.exists(socket())) {
                return false;
            }
            for (String p : plugins) {
                if (!text.contains("serving " + p + " ") && !text.contains("updated to " + p + " ")) {
                    return false;
                }
            }
            return true;
        });
    }

    /** @return the socket Kong would connect to */
    Path socket() {
        return prefix.resolve("kong-java-pluginserver.socket");
    }

    Path prefix() {
        return prefix;
    }

    /** @return the server process */
    Process process() {
        return process;
    }

    /** @return the pid of the process Kong would track: the keeper */
    long pid() {
        return process.pid();
    }

    /**
     * @return the pid of the JVM that runs the framework and the plugins: the keeper's child (or the process
     *         itself with {@code -no-keeper})
     */
    long serverPid() {
        return process.toHandle().children().filter(ProcessHandle::isAlive).mapToLong(ProcessHandle::pid)
                .findFirst().orElse(process.pid());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** @return everything the server logged on stderr so far */
    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return everything the server printed on stdout */
    String stdoutText() throws IOException {
        return Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.ISO_8859_1) : "";
    }

    /** @return the resident set size in kB, from /proc */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(serverPid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + serverPid());
    }

    /** @return the number of threads of the process, from /proc */
    long threads() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(serverPid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Threads for " + serverPid());
    }

    /**
     * @return the sockets the process holds open now (its listening sockets and every accepted connection), from
     *     /proc
     */
    long socketDescriptors() {
        try (var fds = Files.list(Paths.get("/proc", Long.toString(pid()), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends SIGTERM, as Kong does at stop and reload, and waits for the exit.
     *
     * @return the exit status
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within 30 s of SIGTERM; log:\n" + logText());
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Polls a condition until it holds or the deadline passes. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
