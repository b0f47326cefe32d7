package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator changes a setting while the server runs: a {@code .cfg} file dropped into the deploy folder reaches
 * Configuration Admin through FileInstall, and the socket bundle applies it to the events that follow, in the same
 * process and on the same socket, over the system property of the same name.
 */
class LiveSettingsIT {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void aCfgFileInTheDeployFolderChangesTheSlowEventThresholdWithoutARestart() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("live"));
        // a system property says "never slow"; the configuration, set later, wins over it
        try (ServerProcess server = ServerProcess.start(prefix, "-Dkjps.slow.event.ms=600000",
                List.of("-deploy", deploy.toString()), "hotswap");
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long instance = kong.startInstance("hotswap", "{}");
            assertEquals(EventOutcome.Ending.RET,
                    kong.handleEvent(instance, "access", FakeRequest.builder().build()).ending());
            assertFalse(server.logText().contains("slow event: plugin hotswap"), server.logText());

            Path written = prefix.resolve("io.kjps.socket.cfg");
            Files.writeString(written, "# every event counts as slow\nkjps.slow.event.ms = 0\n");
            Files.move(written, deploy.resolve("io.kjps.socket.cfg"), StandardCopyOption.ATOMIC_MOVE);
            ServerProcess.await("the configuration is applied", SETTLE, () -> server.logText().contains(
                    "configuration io.kjps.socket applied without restart: kjps.slow.event.ms=0"));

            // the instance started before the change still serves: same dispatcher, same connection pool
            assertEquals(EventOutcome.Ending.RET,
                    kong.handleEvent(instance, "access", FakeRequest.builder().build()).ending());
            ServerProcess.await("the next event is logged as slow", SETTLE,
                    () -> server.logText().contains("slow event: plugin hotswap"));
            assertTrue(server.process().isAlive());
            String log = server.logText();
            assertEquals(1, log.split("\\[PluginSocketComponent\\] listening on ", -1).length - 1,
                    "the socket component was not restarted:\n" + log);

            // deleting the file goes back to the system property: fast events are not slow again
            Files.delete(deploy.resolve("io.kjps.socket.cfg"));
            ServerProcess.await("the configuration's removal is applied", SETTLE, () -> server.logText().contains(
                    "configuration io.kjps.socket applied without restart: none set"));
            int slowLines = server.logText().split("slow event: plugin hotswap", -1).length - 1;
            assertEquals(EventOutcome.Ending.RET,
                    kong.handleEvent(instance, "access", FakeRequest.builder().build()).ending());
            assertEquals(slowLines, server.logText().split("slow event: plugin hotswap", -1).length - 1,
                    "back to -Dkjps.slow.event.ms=600000:\n" + server.logText());
        }
    }
}
