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
}
