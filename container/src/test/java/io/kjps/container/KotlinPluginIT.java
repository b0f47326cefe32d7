package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Kotlin sample as the distribution ships it in {@code deploy/}: {@code -dump-plugin} reads its metadata from the
 * jar, and the running server serves it (its bundle embeds the Kotlin standard library it uses) for one request,
 * access and log phase, through the socket.
 */
class KotlinPluginIT {
    private static final String PLUGIN = "kotlin-hello";

    @Test
    void theDistributionDumpsAndServesTheKotlinPlugin() throws Exception {
        Process dump = new ProcessBuilder(ServerProcess.distribution().resolve("bin/kong-java-pluginserver").toString(),
                "-dump-plugin", PLUGIN).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, dump.exitValue(), out);
        JsonObject kong = JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("Plugins").get(0)
                .getAsJsonObject();
        assertEquals(PLUGIN, kong.get("Name").getAsString());
        assertEquals("[\"access\",\"log\"]", kong.getAsJsonArray("Phases").toString());

        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(), "", PLUGIN);
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 1, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            ConfiguredPlugin plugin = new KongEmulator(new KongClient(pool)).plugin(PLUGIN, "{\"greeting\":\"Hej\"}");
            FakeRequest request = FakeRequest.builder().header("x-name", "Ada, Grace").build();
            EventOutcome access = plugin.handleEvent("access", request);
            assertEquals(EventOutcome.Ending.RET, access.ending(), access.toString());
            assertEquals("Hej, Ada and Grace", request.responseHeader("x-kotlin-hello"));
            EventOutcome log = plugin.handleEvent("log", request);
            assertEquals(EventOutcome.Ending.RET, log.ending(), log.toString());
            assertEquals(List.of(new FakeRequest.LogLine("info", "kotlin-hello greeted 2")), request.logLines());
            assertEquals(0, server.stop(), "exit status after SIGTERM");
        }
    }
}
