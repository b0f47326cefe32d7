package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatcherTest {

    private static final Duration POLL = Duration.ofMillis(20);

    @Test
    void noticesThatTheParentDied() throws Exception {
        Process parent = new ProcessBuilder("sleep", "600").start();
        CountDownLatch gone = new CountDownLatch(1);
        try (ParentWatcher watcher = ParentWatcher.watch(parent.toHandle(), () -> Optional.of(parent.toHandle()),
                POLL, gone::countDown)) {
            parent.destroy();
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
            assertTrue(gone.await(30, TimeUnit.SECONDS));
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void noticesReparenting() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        CountDownLatch gone = new CountDownLatch(1);
        try (ParentWatcher watcher = ParentWatcher.watch(self, () -> ProcessHandle.of(1), POLL, gone::countDown)) {
            assertTrue(gone.await(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void watchesTheRealParent() {
        Optional<ParentWatcher> watcher = ParentWatcher.watchParent(POLL, () -> { });
        assertTrue(watcher.isPresent());
        watcher.get().close();
    }
}
