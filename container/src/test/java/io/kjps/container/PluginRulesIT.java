package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.model.PluginRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One version rule for the whole server: a plugin whose version Kong keeps ({@code 0.1}, which the socket bundle
 * used to refuse) is listed by {@code -dump} and served; one Kong refuses ({@code 1.0.0.0}) is left out of the dump
 * and refused by the server, both with the plugin model's words. The same for the priority rule: a descriptor
 * whose priority Kong would refuse ({@code 1.5}; the processor cannot write one, an edited jar can) is skipped by
 * {@code -dump} and refused by the server with the same words.
 */
class PluginRulesIT {

    @Test
    void dumpAndServerApplyTheSameVersionRule() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        PluginJars.deploy(deploy, "hotswap1.jar", PluginJars.hotswapNumberedVersion(1, "0.1"));
        PluginJars.deploy(deploy, "hotswap2.jar", PluginJars.hotswapNumberedVersion(2, "1.0.0.0"));
        PluginJars.deploy(deploy, "hotswap3.jar", PluginJars.hotswapNumberedPriority(3, "1.5"));
        String refusal = "plugin hotswap2 version \"1.0.0.0\" " + PluginRules.versionProblem("1.0.0.0");
        String priorityRefusal = "plugin hotswap3 priority 1.5 "
                + PluginRules.priorityProblem(new java.math.BigDecimal("1.5"));
        assertTrue(refusal.contains("Kong refuses to load it"), refusal);

        // -dump: what Kong is offered
        CommandResult dump = CommandResult.run(prefix, List.of(ServerProcess.distribution()
                .resolve("bin/kong-java-pluginserver").toString(), "-deploy", deploy.toString(), "-dump"));
        assertEquals(0, dump.status(), dump.err());
        JsonArray plugins = JsonParser.parseString(dump.out()).getAsJsonObject()
                .getAsJsonArray("Plugins");
        assertEquals(1, plugins.size(), plugins.toString());
        JsonObject listed = plugins.get(0).getAsJsonObject();
        assertEquals("hotswap1", listed.get("Name").getAsString());
        assertEquals("0.1", listed.get("Version").getAsString());
        String dumpWarnings = dump.err();
        assertTrue(dumpWarnings.contains(refusal + "; skipped"), dumpWarnings);
        assertTrue(dumpWarnings.contains(priorityRefusal + "; skipped"), dumpWarnings);

        // the server: serves the first, refuses the second with the same words
        try (ServerProcess server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "hotswap1");
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            ServerProcess.await("the server refuses hotswap2", Duration.ofSeconds(30),
                    () -> server.logText().contains(refusal));
            ServerProcess.await("the server refuses hotswap3", Duration.ofSeconds(30),
                    () -> server.logText().contains(priorityRefusal));
            assertFalse(server.logText().contains("serving hotswap2 "), server.logText());
            assertFalse(server.logText().contains("serving hotswap3 "), server.logText());
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long instance = kong.startInstance("hotswap1", "{\"greeting\":\"hi\"}");
            FakeRequest request = FakeRequest.builder().build();
            EventOutcome outcome = kong.handleEvent(instance, "access", request);
            assertEquals(EventOutcome.Ending.RET, outcome.ending(), outcome.toString());
            assertEquals("hi", request.responseHeader("x-hotswap-greeting"));
            assertEquals("n1", request.responseHeader("x-hotswap-tag"));
        }
    }
}
