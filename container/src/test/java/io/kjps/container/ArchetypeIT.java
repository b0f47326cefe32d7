package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plugin author's on-ramp, end to end: {@code archetype:generate} makes a standalone project (it imports the BOM,
 * it has no parent of ours) in a temporary folder, a nested Maven builds and tests it offline, its jar is renamed into
 * the deploy folder of a running server, and the Kong emulator drives one event through the socket to it.
 *
 * <p>The nested Maven runs offline on this build's local repository (system property {@code kjps.maven.repo}); the
 * archetype module's {@code invoker:install} put this project's artifacts there, and the build's own modules already
 * resolved every third-party artifact and Maven plugin the generated project uses.
 */
class ArchetypeIT {
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);
    private static final String PLUGIN = "my-plugin";

    @Test
    void aGeneratedProjectBuildsTestsDeploysAndServesAnEvent() throws Exception {
        Path work = Files.createTempDirectory("kjps-archetype");
        maven(work, "org.apache.maven.plugins:maven-archetype-plugin:" + property("kjps.archetype.plugin.version")
                        + ":generate", "-DinteractiveMode=false", "-DarchetypeGroupId=io.kjps",
                "-DarchetypeArtifactId=kong-java-pluginserver-plugin-archetype",
                "-DarchetypeVersion=" + property("kjps.version"), "-DgroupId=com.example", "-DartifactId=" + PLUGIN,
                "-DpluginName=" + PLUGIN);
        Path project = work.resolve(PLUGIN);
        String pom = Files.readString(project.resolve("pom.xml"));
        assertTrue(!pom.contains("<parent>") && pom.contains("<artifactId>kong-java-pluginserver-bom</artifactId>")
                && pom.contains("<scope>import</scope>"), "a standalone pom importing the BOM:\n" + pom);
        assertTrue(!pom.contains("snippet:") && !Pattern.compile("@[\\w.-]+@").matcher(pom).find(),
                "Velocity drops the guide's markers, and the archetype build wrote in every version:\n" + pom);

        String build = maven(project, "verify");
        assertTrue(build.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"),
                "the generated PluginTester tests ran:\n" + build);
        Path jar = project.resolve("target/" + PLUGIN + "-1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar);

        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        try (ServerProcess server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()))) {
            PluginJars.deploy(deploy, PLUGIN + ".jar", Files.readAllBytes(jar));
            ServerProcess.await(PLUGIN + " is served", ServerProcess.START_TIMEOUT,
                    () -> server.logText().contains("serving " + PLUGIN + " "));
            try (KongConnectionPool pool = new KongConnectionPool(server.socket(), 1, KongConnectionPool.Policy.LIFO,
                    Duration.ofSeconds(30))) {
                KongEmulator kong = new KongEmulator(new KongClient(pool));
                FakeRequest request = FakeRequest.builder().header("x-name", "Ada").build();
                EventOutcome out = kong.plugin(PLUGIN, "{\"greeting\":\"Hi\"}").handleEvent("access", request);
                assertEquals(EventOutcome.Ending.RET, out.ending(), out.toString());
                assertEquals("Hi, Ada", request.responseHeader("x-greeting"));
            }
            assertEquals(0, server.stop(), "exit status after SIGTERM");
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (failsafe sets it)");
        }
        return value;
    }

    /** Runs the build's own Maven, offline, on the build's local repository; fails with its output unless it passes. */
    private static String maven(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(property("maven.home"), "bin", "mvn").toString(),
                "-B", "-o", "-ntp", "-Dmaven.repo.local=" + property("kjps.maven.repo")));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "mvn", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        if (!p.waitFor(MAVEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("mvn " + List.of(args) + " did not finish within " + MAVEN_TIMEOUT + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mvn " + List.of(args) + " in " + dir + " failed:\n" + out);
        return out;
    }
}
