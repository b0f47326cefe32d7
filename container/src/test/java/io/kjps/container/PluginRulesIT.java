package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.model.PluginRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One version rule for the whole server: a plugin whose version Kong keeps ({@code 0.1}, which the socket bundle
 * used to refuse) is listed by {@code -dump} and served; one Kong refuses ({@code 1.0.0.0}) is left out of the dump
 * and refused by the server, both with the plugin model's words.
 */
class PluginRulesIT {

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

    @Test
    void dumpAndServerApplyTheSameVersionRule() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        PluginJars.deploy(deploy, "hotswap1.jar", PluginJars.hotswapNumberedVersion(1, "0.1"));
        PluginJars.deploy(deploy, "hotswap2.jar", PluginJars.hotswapNumberedVersion(2, "1.0.0.0"));
        String refusal = "plugin hotswap2 version \"1.0.0.0\" " + PluginRules.versionProblem("1.0.0.0");
        assertTrue(refusal.contains("Kong refuses to load it"), refusal);

        // -dump: what Kong is offered
        Path out = prefix.resolve("dump.stdout");
        Path err = prefix.resolve("dump.stderr");
        Process dump = new ProcessBuilder(ServerProcess.distribution().resolve("bin/kong-java-pluginserver").toString(),
                "-deploy", deploy.toString(), "-dump")
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!dump.waitFor(60, TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            fail("-dump did not finish within 60 s");
        }
        assertEquals(0, dump.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        JsonArray plugins = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("Plugins");
        assertEquals(1, plugins.size(), plugins.toString());
        JsonObject listed = plugins.get(0).getAsJsonObject();
        assertEquals("hotswap1", listed.get("Name").getAsString());
        assertEquals("0.1", listed.get("Version").getAsString());
        String dumpWarnings = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(dumpWarnings.contains(refusal + "; skipped"), dumpWarnings);

        // the server: serves the first, refuses the second with the same words
        server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "hotswap1");
        ServerProcess.await("the server refuses hotswap2", Duration.ofSeconds(30),
                () -> server.logText().contains(refusal));
        assertFalse(server.logText().contains("serving hotswap2 "), server.logText());
        pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30));
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long instance = kong.startInstance("hotswap1", "{\"greeting\":\"hi\"}");
        FakeRequest request = FakeRequest.builder().build();
        EventOutcome outcome = kong.handleEvent(instance, "access", request);
        assertEquals(EventOutcome.Ending.RET, outcome.ending(), outcome.toString());
        assertEquals("hi", request.responseHeader("x-hotswap-greeting"));
        assertEquals("n1", request.responseHeader("x-hotswap-tag"));
    }
}
