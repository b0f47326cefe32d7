package io.kjps.launcher;

import static io.kjps.launcher.internal.TestJars.descriptor;
import static io.kjps.launcher.internal.TestJars.kong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.launcher.internal.LauncherOptions;
import io.kjps.launcher.internal.PluginCatalog;
import io.kjps.launcher.internal.TestJars;
import io.kjps.launcher.internal.Version;
import io.kjps.model.PluginRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the launcher in-process, as {@code bin/kong-java-pluginserver} would, for everything but server mode. */
class MainTest {

    private static final Path HOME = Path.of("/opt/kjps");
    private static final Path CWD = Path.of("/");

    static final String HELLO_KONG = kong("java-hello", "0.1.0", 1000, "[\"access\"]",
            "[{\"greeting\":{\"type\":\"string\",\"default\":\"hi\"}}]");
    static final String BLOCK_KONG = kong("block", "0.1.0", 2000, "[\"access\"]", "[]");

    @TempDir
    Path deploy;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    record Result(int status, String out, String err) {
    }

    private Result run(String... args) {
        out.reset();
        err.reset();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional.of(HOME), CWD, Path.of("/tmp"));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result runOnDeploy(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-deploy";
        all[1] = deploy.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    private static String dump(String... kongObjects) {
        return "{\"Protocol\":\"MsgPack:1\",\"Plugins\":[" + String.join(",", kongObjects) + "]}\n";
    }

    @BeforeEach
    void noPlugins() throws IOException {
        try (var files = Files.list(deploy)) {
            assertEquals(0, files.count());
        }
    }

    private void deployHelloAndBlock() throws IOException {
        TestJars.plugin(deploy.resolve("kong-java-pluginserver-sample-java-hello.jar"), "java-hello",
                descriptor(HELLO_KONG, "io.kjps.sample.hello.HelloPlugin"));
        TestJars.plugin(deploy.resolve("kong-java-pluginserver-sample-block.jar"), "block",
                descriptor(BLOCK_KONG, "io.kjps.sample.block.BlockPlugin"));
    }

    @Test
    void helpGoesToStdout() {
        for (String flag : List.of("-h", "--help", "-help")) {
            Result result = run(flag);
            assertEquals(new Result(0, LauncherOptions.usage(), ""), result);
        }
        assertTrue(LauncherOptions.usage().startsWith("Usage: kong-java-pluginserver [flags]\n"));
    }

    @Test
    void version() {
        assertEquals(new Result(0, "kong-java-pluginserver " + Version.get() + "\n", ""), run("--version"));
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), Version.get());
    }

    @Test
    void badCommandLinePrintsUsageOnStderr() {
        assertEquals(new Result(2, "", "kong-java-pluginserver: error: unknown flag: -bogus\n\n"
                + LauncherOptions.usage()), run("-dump", "-bogus"));
        assertEquals(new Result(2, "", "kong-java-pluginserver: error: flag -socket needs a value\n\n"
                + LauncherOptions.usage()), run("-socket"));
    }

    @Test
    void emptyDeployDirectory() {
        assertEquals(new Result(0, "{\"Protocol\":\"MsgPack:1\",\"Plugins\":[]}\n", ""), runOnDeploy("-dump"));
    }

    @Test
    void missingDeployDirectoryDumpsNothingAndWarns() {
        Path missing = deploy.resolve("missing");
        Result result = run("-deploy", missing.toString(), "-dump");
        assertEquals(0, result.status());
        assertEquals("{\"Protocol\":\"MsgPack:1\",\"Plugins\":[]}\n", result.out());
        assertEquals("kong-java-pluginserver: warning: deploy directory " + missing + " does not exist\n",
                result.err());
    }

    @Test
    void dumpPrintsKongObjectsSortedByName() throws IOException {
        deployHelloAndBlock();
        TestJars.write(deploy.resolve("a-library.jar"), Map.of("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n",
                "com/example/Util.class", "not really"));
        Files.writeString(deploy.resolve("notes.txt"), "not a jar");
        Files.createDirectory(deploy.resolve("nested"));
        TestJars.plugin(deploy.resolve("nested").resolve("ignored.jar"), "nested", descriptor(
                kong("nested", "1.0.0", 1, "[]", "[]"), "x.Y"));
        TestJars.plugin(deploy.resolve("partial.jar.part"), "partial", descriptor(
                kong("partial", "1.0.0", 1, "[]", "[]"), "x.Y"));

        assertEquals(new Result(0, dump(BLOCK_KONG, HELLO_KONG), ""), runOnDeploy("-dump"));
    }

    @Test
    void severalPluginsInOneJar() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(PluginCatalog.DESCRIPTOR_FOLDER + "java-hello.json", descriptor(HELLO_KONG, "a.Hello"));
        entries.put(PluginCatalog.DESCRIPTOR_FOLDER + "block.json", descriptor(BLOCK_KONG, "a.Block"));
        entries.put(PluginCatalog.DESCRIPTOR_FOLDER + "sub/other.json", "{}");
        TestJars.write(deploy.resolve("both.jar"), entries);
        assertEquals(new Result(0, dump(BLOCK_KONG, HELLO_KONG), ""), runOnDeploy("-dump"));
    }

    @Test
    void jsonIsWrittenAsIsInUtf8WithoutHtmlEscaping() throws IOException {
        String kong = kong("unicode", "1.2.3", -5, "[\"access\",\"log\"]",
                "[{\"note\":{\"type\":\"string\",\"default\":\"h\u00e9llo <b>&'=\\\"\u2603\",\"len_min\":1.5e2}}]");
        TestJars.plugin(deploy.resolve("u.jar"), "unicode", descriptor(kong, "x.Y"));
        assertEquals(new Result(0, dump(kong), ""), runOnDeploy("-dump"));
    }

    @Test
    void corruptJarIsSkippedWithAWarning() throws IOException {
        deployHelloAndBlock();
        Files.write(deploy.resolve("broken.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7});
        Result result = runOnDeploy("-dump");
        assertEquals(0, result.status());
        assertEquals(dump(BLOCK_KONG, HELLO_KONG), result.out());
        assertTrue(result.err().startsWith("kong-java-pluginserver: warning: " + deploy.resolve("broken.jar")
                + ": not a readable jar ("), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @Test
    void badDescriptorsAreSkippedWithAWarningEach() throws IOException {
        deployHelloAndBlock();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "syntax.json", "{\"Kong\":{\"Name\":\"syntax\",");
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "nokong.json", "{\"Handler\":\"x.Y\"}");
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "mismatch.json", descriptor(kong("other", "1.0.0", 1, "[]", "[]"),
                "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "float.json", descriptor(kong("float", "1.0.0", 1, "[]", "[]")
                .replace("\"Priority\":1", "\"Priority\":1.5"), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "noversion.json", descriptor(kong("noversion", "1.0.0", 1, "[]",
                "[]").replace("\"Version\":\"1.0.0\",", ""), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "phases.json", descriptor(kong("phases", "1.0.0", 1, "[1]", "[]"),
                "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "filter.json", descriptor(kong("filter", "1.0.0", 1,
                "[\"access\",\"header_filter\"]", "[]"), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "huge.json", descriptor(kong("huge", "1.0.0", 1, "[]", "[]")
                .replace("\"Priority\":1", "\"Priority\":3000000000"), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "nohandler.json", "{\"Kong\":" + kong("nohandler", "1.0.0", 1, "[]",
                "[]") + "}");
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "schema.json", descriptor(kong("schema", "1.0.0", 1, "[]", "[]")
                .replaceAll("\"Schema\":.*}$", "\"Schema\":[]}"), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "trailing.json", descriptor(kong("trailing", "1.0.0", 1, "[]",
                "[]"), "x.Y") + " {}");
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "bad name.json", descriptor(kong("bad name", "1.0.0", 1, "[]",
                "[]"), "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "four.json", descriptor(kong("four", "1.0.0.0", 1, "[]", "[]"),
                "x.Y"));
        bad.put(PluginCatalog.DESCRIPTOR_FOLDER + "prefixed.json", descriptor(kong("prefixed", "v1", 1, "[]", "[]"),
                "x.Y"));
        TestJars.write(deploy.resolve("bad.jar"), bad);

        Result result = runOnDeploy("-dump");
        assertEquals(0, result.status());
        assertEquals(dump(BLOCK_KONG, HELLO_KONG), result.out());
        String prefix = "kong-java-pluginserver: warning: " + deploy.resolve("bad.jar") + ": "
                + PluginCatalog.DESCRIPTOR_FOLDER;
        List<String> warnings = result.err().lines().toList();
        assertEquals(bad.size(), warnings.size(), result.err());
        List<String> expectedEnds = List.of(
                "syntax.json: ",
                "nokong.json: no \"Kong\" object; skipped",
                "mismatch.json: \"Kong.Name\" other does not match the file name; skipped",
                "float.json: plugin float priority 1.5 "
                        + PluginRules.priorityProblem(new java.math.BigDecimal("1.5")) + "; skipped",
                "noversion.json: \"Kong.Version\" must be a string; skipped",
                "phases.json: \"Kong.Phases\" must be an array of strings; skipped",
                "filter.json: plugin filter phase \"header_filter\" " + PluginRules.phaseProblem("header_filter")
                        + "; skipped",
                "huge.json: plugin huge priority 3000000000 "
                        + PluginRules.priorityProblem(new java.math.BigDecimal("3000000000")) + "; skipped",
                "nohandler.json: \"Handler\" must be a string; skipped",
                "schema.json: \"Kong.Schema\" must be an object; skipped",
                "trailing.json: ",
                "bad name.json: plugin name \"bad name\" " + PluginRules.nameProblem("bad name") + "; skipped",
                "four.json: plugin four version \"1.0.0.0\" " + PluginRules.versionProblem("1.0.0.0") + "; skipped",
                "prefixed.json: plugin prefixed version \"v1\" " + PluginRules.versionProblem("v1") + "; skipped");
        for (int i = 0; i < warnings.size(); i++) {
            assertTrue(warnings.get(i).startsWith(prefix + expectedEnds.get(i)), warnings.get(i));
            assertTrue(warnings.get(i).endsWith("; skipped"), warnings.get(i));
        }
    }

    /** Kong 3.x loads "0.1" as it is (the old x.y.z-only check refused it): the dump lists it. */
    @Test
    void versionWithFewerThanThreeNumbersIsListed() throws IOException {
        String short1 = kong("short", "0.1", 10, "[\"access\"]", "[]");
        TestJars.plugin(deploy.resolve("short.jar"), "short", descriptor(short1, "x.Short"));

        Result result = runOnDeploy("-dump");
        assertEquals(0, result.status());
        assertEquals(dump(short1), result.out());
        assertEquals("", result.err());
    }

    @Test
    void duplicateNameKeepsTheJarWhoseFileNameSortsFirst() throws IOException {
        String blockV2 = kong("block", "2.0.0", 2000, "[\"access\"]", "[]");
        TestJars.plugin(deploy.resolve("b-block-v2.jar"), "block", descriptor(blockV2, "x.Block2"));
        TestJars.plugin(deploy.resolve("a-block-v1.jar"), "block", descriptor(BLOCK_KONG, "x.Block1"));

        Result result = runOnDeploy("-dump");
        assertEquals(0, result.status());
        assertEquals(dump(BLOCK_KONG), result.out());
        assertEquals("kong-java-pluginserver: warning: " + deploy.resolve("b-block-v2.jar") + ": plugin block is also in "
                + deploy.resolve("a-block-v1.jar") + "; keeping the one from a-block-v1.jar (first file name in order)\n",
                result.err());
    }

    @Test
    void dumpPluginPrintsOnlyThatPlugin() throws IOException {
        deployHelloAndBlock();
        assertEquals(new Result(0, dump(HELLO_KONG), ""), runOnDeploy("-dump-plugin", "java-hello"));
        assertEquals(new Result(0, dump(BLOCK_KONG), ""), runOnDeploy("--dump-plugin=block"));
    }

    @Test
    void dumpPluginUnknownNamesTheAvailablePlugins() throws IOException {
        deployHelloAndBlock();
        assertEquals(new Result(1, "", "kong-java-pluginserver: error: no plugin named hello in " + deploy
                + " (available: block, java-hello)\n"), runOnDeploy("-dump-plugin", "hello"));
    }

    @Test
    void dumpPluginUnknownInEmptyDirectory() {
        assertEquals(new Result(1, "", "kong-java-pluginserver: error: no plugin named hello in " + deploy
                + " (available: none)\n"), runOnDeploy("-dump-plugin", "hello"));
    }

    @Test
    void kongConfForTwoPlugins() throws IOException {
        deployHelloAndBlock();
        String bin = "/opt/kjps/bin/kong-java-pluginserver";
        String socket = "/usr/local/kong/kong-java-pluginserver.socket";
        String start = bin + " -kong-prefix /usr/local/kong -socket " + socket + " -deploy " + deploy;
        String expected = String.join("\n",
                "# Kong 3.9 and later: one pluginserver entry per plugin, all on one socket;"
                        + " only the first entry starts the server.",
                "plugins = bundled,block,java-hello",
                "pluginserver_names = block,java-hello",
                "pluginserver_block_socket = " + socket,
                "pluginserver_block_start_cmd = " + start,
                "pluginserver_block_query_cmd = " + bin + " -deploy " + deploy + " -dump-plugin block",
                "pluginserver_java_hello_socket = " + socket,
                "pluginserver_java_hello_query_cmd = " + bin + " -deploy " + deploy + " -dump-plugin java-hello",
                "",
                "# Kong 2.x to 3.8 register every plugin of one query, so they use one entry whose query prints all"
                        + " plugins.",
                "# Kong 3.1 to 3.4 never run the plugins of an entry without start_cmd: they need this single-entry"
                        + " layout.",
                "# For Kong 2.x to 3.8, use these lines instead of the ones above:",
                "# plugins = bundled,block,java-hello",
                "# pluginserver_names = kong-java-pluginserver",
                "# pluginserver_kong_java_pluginserver_socket = " + socket,
                "# pluginserver_kong_java_pluginserver_start_cmd = " + start + " -exit-with-parent",
                "# pluginserver_kong_java_pluginserver_query_cmd = " + bin + " -deploy " + deploy + " -dump",
                "");
        assertEquals(new Result(0, expected, ""), runOnDeploy("-kong-conf"));
    }

    @Test
    void kongConfUsesPrefixSocketAndQuotesPathsForTheShell() throws IOException {
        Path spaced = Files.createDirectory(deploy.resolve("my plugins"));
        TestJars.plugin(spaced.resolve("block.jar"), "block", descriptor(BLOCK_KONG, "x.Block"));
        Result result = run("-kong-conf", "-kong-prefix", "/var/kong", "-deploy", spaced.toString());
        assertEquals(0, result.status(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals("pluginserver_block_socket = /var/kong/kong-java-pluginserver.socket", lines.get(3));
        assertEquals("pluginserver_block_start_cmd = /opt/kjps/bin/kong-java-pluginserver -kong-prefix /var/kong"
                + " -socket /var/kong/kong-java-pluginserver.socket -deploy '" + spaced + "'", lines.get(4));
        assertEquals("pluginserver_block_query_cmd = /opt/kjps/bin/kong-java-pluginserver -deploy '" + spaced
                + "' -dump-plugin block", lines.get(5));
    }

    @Test
    void kongConfWithoutPluginsFails() {
        assertEquals(new Result(1, "", "kong-java-pluginserver: error: no plugin found in " + deploy + "\n"),
                runOnDeploy("-kong-conf"));
    }

    @Test
    void kongConfNeedsTheDistributionDirectory() throws IOException {
        deployHelloAndBlock();
        out.reset();
        err.reset();
        int status = Main.run(new String[] {"-kong-conf", "-deploy", deploy.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Optional.empty(), CWD, Path.of("/tmp"));
        assertEquals(1, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("kong-java-pluginserver: error: cannot tell where bin/kong-java-pluginserver is: system property"
                + " kjps.home is not set\n", err.toString(StandardCharsets.UTF_8));
    }
}
