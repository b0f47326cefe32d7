package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the assembled distribution's {@code bin/kong-java-pluginserver} as a separate process, the way Kong does:
 * with an empty environment ({@code env -i}) and the working directory {@code /}.
 */
class LauncherIT {

    private static final Path DIST = Path.of(System.getProperty("kjps.dist.dir"));
    private static final Path BIN = DIST.resolve("bin").resolve("kong-java-pluginserver");
    private static final String VERSION = System.getProperty("kjps.version");
    private static final List<String> SAMPLES = List.of("api-key", "block", "file-log", "header-transformer", "hello",
            "java-hello", "json-transform", "kotlin-hello", "pdkcheck");
    private static final long DEADLINE_SECONDS = 60;

    @TempDir
    Path tmp;

    /** Runs {@code env -i [VAR=value...] <command...>} from {@code /} and waits for it, bounded. */
    private CommandResult run(List<String> environment, Path launcher, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        command.addAll(environment);
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return CommandResult.run(Path.of("/"), command);
    }

    private CommandResult run(String... args) throws IOException, InterruptedException {
        return run(List.of(), BIN, args);
    }

    /** Parses {@code text} as exactly one JSON value followed by one newline. */
    private static JsonObject singleJsonObject(String text) throws IOException {
        assertTrue(text.endsWith("\n"), text);
        assertEquals(1, text.lines().count(), text);
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement value = JsonParser.parseReader(reader);
        assertEquals(JsonToken.END_DOCUMENT, reader.peek(), text);
        assertTrue(value.isJsonObject(), text);
        return value.getAsJsonObject();
    }

    private static List<String> pluginNames(JsonObject dump) {
        List<String> names = new ArrayList<>();
        dump.getAsJsonArray("Plugins").forEach(p -> names.add(p.getAsJsonObject().get("Name").getAsString()));
        return names;
    }

    @Test
    void distributionLayout() throws IOException {
        assertTrue(Files.isExecutable(BIN), BIN + " is not executable");
        for (String line : Files.readAllLines(DIST.resolve("system/startup.list"))) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                assertTrue(Files.isRegularFile(DIST.resolve("system").resolve(entry)), entry);
            }
        }
        try (Stream<Path> lib = Files.list(DIST.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(5, jars.size(), jars.toString());
            assertTrue(jars.get(0).startsWith("gson-"), jars.toString());
            assertTrue(jars.get(1).startsWith("kong-java-pluginserver-launcher-"), jars.toString());
            assertTrue(jars.get(2).startsWith("kong-java-pluginserver-listener-"), jars.toString());
            assertTrue(jars.get(3).startsWith("kong-java-pluginserver-plugin-model-"), jars.toString());
            assertTrue(jars.get(4).startsWith("org.apache.felix.framework-"), jars.toString());
        }
        assertTrue(Files.isRegularFile(DIST.resolve("etc/README")));
        assertFalse(Files.exists(DIST.resolve("etc/java")), "etc/java must not be shipped");
    }

    @Test
    void helpOnStdout() throws Exception {
        CommandResult result = run("-h");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().startsWith("Usage: kong-java-pluginserver [flags]\n"), result.out());
        assertTrue(result.out().contains("  -dump-plugin NAME "), result.out());
        assertEquals("", result.err());
        assertEquals(result, run("--help"));
    }

    @Test
    void version() throws Exception {
        assertEquals(new CommandResult(0, "kong-java-pluginserver " + VERSION + "\n", ""), run("-version"));
    }

    @Test
    void unknownFlagPrintsUsageOnStderr() throws Exception {
        CommandResult result = run("-bogus");
        assertEquals(2, result.status());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("kong-java-pluginserver: error: unknown flag: -bogus\n\nUsage: "),
                result.err());
    }

    @Test
    void shellWithoutAServerExitsThreeAndSaysWhere() throws Exception {
        Path socket = tmp.resolve("none.socket");
        CommandResult result = run("shell", "-socket", socket.toString(), "-c", "lb");
        assertEquals(3, result.status(), result.err());
        assertEquals("", result.out());
        assertEquals("kong-java-pluginserver shell: no server answers on " + socket + ".admin: no such socket"
                + " (is the server running? see -kong-prefix, -socket, -admin)\n", result.err());
    }

    @Test
    void dumpIsOneJsonValueWithEveryPlugin() throws Exception {
        CommandResult result = run("-dump");
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        JsonObject dump = singleJsonObject(result.out());
        assertEquals("MsgPack:1", dump.get("Protocol").getAsString());
        assertEquals(SAMPLES, pluginNames(dump));
        for (JsonElement plugin : dump.getAsJsonArray("Plugins")) {
            JsonObject kong = plugin.getAsJsonObject();
            assertEquals(Set.of("Name", "Version", "Priority", "Phases", "Schema"), kong.keySet());
            assertEquals(kong.get("Name"), kong.getAsJsonObject("Schema").get("name"));
        }
    }

    @Test
    void dumpPluginPrintsThatPluginOnly() throws Exception {
        JsonObject all = singleJsonObject(run("-dump").out());
        for (int i = 0; i < SAMPLES.size(); i++) {
            CommandResult result = run("--dump-plugin", SAMPLES.get(i));
            assertEquals(0, result.status(), result.err());
            JsonObject one = singleJsonObject(result.out());
            assertEquals("MsgPack:1", one.get("Protocol").getAsString());
            assertEquals(1, one.getAsJsonArray("Plugins").size());
            assertEquals(all.getAsJsonArray("Plugins").get(i), one.getAsJsonArray("Plugins").get(0));
        }
    }

    @Test
    void dumpPluginUnknownLeavesStdoutEmpty() throws Exception {
        CommandResult result = run("-dump-plugin", "no-such-plugin");
        assertNotEquals(0, result.status());
        assertEquals("", result.out());
        assertEquals("kong-java-pluginserver: error: no plugin named no-such-plugin in " + DIST.resolve("deploy")
                + " (available: " + String.join(", ", SAMPLES) + ")\n", result.err());
    }

    @Test
    void kongConfNamesEveryPluginAndAbsolutePaths() throws Exception {
        CommandResult result = run("-kong-conf", "-kong-prefix", "/usr/local/kong");
        assertEquals(0, result.status(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.contains("plugins = bundled," + String.join(",", SAMPLES)), result.out());
        assertTrue(lines.contains("pluginserver_names = " + String.join(",", SAMPLES)), result.out());
        assertTrue(lines.contains("pluginserver_java_hello_query_cmd = " + BIN + " -deploy " + DIST.resolve("deploy")
                + " -dump-plugin java-hello"), result.out());
        assertEquals(1, lines.stream().filter(l -> l.matches("pluginserver_[a-z_]+_start_cmd = .*")).count());
    }

    @Test
    void worksThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("kjps"), BIN);
        try {
            assertEquals(new CommandResult(0, "kong-java-pluginserver " + VERSION + "\n", ""), run(List.of(), link,
                    "-version"));
            CommandResult dump = run(List.of(), link, "-dump");
            assertEquals(SAMPLES, pluginNames(singleJsonObject(dump.out())));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void javaOverrideMustBeExecutable() throws Exception {
        Path missing = tmp.resolve("no-java");
        assertEquals(new CommandResult(127, "", "kong-java-pluginserver: KONG_JAVA_PLUGINSERVER_JAVA=" + missing
                + " is not an executable file\n"), run(List.of("KONG_JAVA_PLUGINSERVER_JAVA=" + missing), BIN,
                "-version"));
    }

    @Test
    void etcJavaPinsTheJvm() throws Exception {
        Path copy = tmp.resolve("dist");
        copyTree(DIST, copy);
        Path marker = tmp.resolve("pinned-java-ran");
        Path wrapper = tmp.resolve("java-wrapper");
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.writeString(wrapper, "#!/bin/sh\n: > '" + marker + "'\nexec '" + realJava + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(copy.resolve("etc/java"), "# pinned JVM\n\n  " + wrapper + "  \n");

        Path bin = copy.resolve("bin/kong-java-pluginserver");
        assertEquals(new CommandResult(0, "kong-java-pluginserver " + VERSION + "\n", ""), run(List.of(), bin, "-version"));
        assertTrue(Files.exists(marker), "etc/java was not used");

        Files.writeString(copy.resolve("etc/java"), tmp.resolve("gone/java") + "\n");
        assertEquals(new CommandResult(127, "", "kong-java-pluginserver: " + copy.toRealPath() + "/etc/java names "
                + tmp.resolve("gone/java") + ", which is not an executable file\n"), run(List.of(), bin, "-version"));
    }

    /** A server process whose stderr lines are collected as they come. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder seen = new StringBuilder();

        Server(Path stdout, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("env", "-i", BIN.toString()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).directory(Path.of("/").toFile())
                    .redirectOutput(stdout.toFile()).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(stderr closed: " + e + ")");
                }
            }, "server-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits, bounded, for a stderr line containing {@code text}. */
        String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no stderr line containing \"" + text + "\" within " + DEADLINE_SECONDS + " s; seen:\n" + seen);
                }
                seen.append(line).append('\n');
                if (line.contains(text)) {
                    return line;
                }
            }
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                fail("the server did not exit within " + DEADLINE_SECONDS + " s; seen:\n" + seen);
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void serverListensAndStopsCleanlyOnSigterm() throws Exception {
        Path prefix = Files.createDirectory(tmp.resolve("prefix"));
        Path cacheRoot = Files.createDirectory(tmp.resolve("cache"));
        Process finished = new ProcessBuilder("true").start();
        assertTrue(finished.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
        Path stale = Files.createDirectories(cacheRoot.resolve("kong-java-pluginserver-" + finished.pid())
                .resolve("bundle1"));
        Path socket = prefix.resolve("kong-java-pluginserver.socket");
        Path stdout = tmp.resolve("server-stdout.txt");

        try (Server server = new Server(stdout, "-kong-prefix", prefix.toString(), "-cache-dir",
                cacheRoot.toString())) {
            String ready = server.awaitLine("[Main] listening on ");
            assertTrue(ready.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[Main] listening on "
                    + Pattern.quote(socket.toString()) + " \\(\\d+ bundles, started in \\d+ ms\\)"), ready);
            assertTrue(Files.exists(socket), "no socket file");
            // exec all the way down: the pid Kong tracks is the keeper JVM's; its child, the server JVM, names the
            // cache directory
            long serverPid = server.process.toHandle().children().mapToLong(ProcessHandle::pid).findFirst()
                    .orElseThrow();
            Path cache = cacheRoot.resolve("kong-java-pluginserver-" + serverPid);
            assertTrue(Files.isDirectory(cache), cache + " missing");
            assertFalse(Files.exists(stale.getParent()), "stale cache directory not deleted");

            // SIGTERM; Process.destroy() would also close the stderr pipe we read
            assertTrue(server.process.toHandle().destroy());
            server.awaitLine("[Keeper] stopping: received SIGTERM");
            server.awaitLine("received SIGTERM; stopping"); // the keeper passes it on to the server process
            assertEquals(0, server.awaitExit());
            assertFalse(Files.exists(cache), "cache directory not deleted on exit");
            assertTrue(Files.exists(socket), "the socket file must be left alone");
            assertEquals("", Files.readString(stdout), "the server wrote to stdout");
        }
    }

    @Test
    void serverExitsWithOneWhenTheSocketCannotBeBound() throws Exception {
        Path cacheRoot = Files.createDirectory(tmp.resolve("cache"));
        // longer than a unix socket address can be
        Path socket = tmp.resolve("x".repeat(120) + ".sock");
        Path stdout = tmp.resolve("server-stdout.txt");
        try (Server server = new Server(stdout, "-socket", socket.toString(), "-cache-dir", cacheRoot.toString())) {
            server.awaitLine("[Keeper] cannot listen on " + socket);
            assertEquals(1, server.awaitExit());
            try (Stream<Path> left = Files.list(cacheRoot)) {
                assertEquals(List.of(), left.toList());
            }
            assertEquals("", Files.readString(stdout), "the server wrote to stdout");
        }
        // without a keeper, the socket bundle binds, fails and says so
        try (Server server = new Server(stdout, "-no-keeper", "-socket", socket.toString(), "-cache-dir",
                cacheRoot.toString())) {
            server.awaitLine("[Main] the socket bundle failed: ");
            assertEquals(1, server.awaitExit());
            try (Stream<Path> left = Files.list(cacheRoot)) {
                assertEquals(List.of(), left.toList());
            }
            assertEquals("", Files.readString(stdout), "the server wrote to stdout");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
