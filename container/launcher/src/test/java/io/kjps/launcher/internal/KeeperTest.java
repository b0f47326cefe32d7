package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeeperTest {
    @Test
    void aServerThatKeepsDyingIsStartedAgainLessAndLessOften() {
        assertEquals(Duration.ZERO, Keeper.backoff(0), "after a healthy run: at once");
        assertEquals(Duration.ZERO, Keeper.backoff(1), "the first quick death: at once");
        assertEquals(Duration.ofMillis(100), Keeper.backoff(2));
        assertEquals(Duration.ofMillis(200), Keeper.backoff(3));
        assertEquals(Duration.ofMillis(3200), Keeper.backoff(7));
        assertEquals(Keeper.MAX_BACKOFF, Keeper.backoff(8));
        assertEquals(Keeper.MAX_BACKOFF, Keeper.backoff(1_000));
    }

    @Test
    void theServerProcessGetsAClassDataArchiveFromJava19On() {
        java.nio.file.Path cache = java.nio.file.Path.of("/var/tmp");
        assertEquals(java.util.List.of(), Keeper.jvmOptions(cache, "1.2.3", Runtime.Version.parse("17.0.15+6"), true),
                "Java 17 has no -XX:+AutoCreateSharedArchive");
        assertEquals(java.util.List.of("-XX:+AutoCreateSharedArchive",
                        "-XX:SharedArchiveFile=/var/tmp/kong-java-pluginserver-1.2.3-java25.0.1+8.jsa"),
                Keeper.jvmOptions(cache, "1.2.3", Runtime.Version.parse("25.0.1+8"), true));
        assertEquals(java.util.List.of(), Keeper.jvmOptions(cache, "1.2.3", Runtime.Version.parse("25.0.1+8"), false),
                "kjps.cds=false");
    }
}
