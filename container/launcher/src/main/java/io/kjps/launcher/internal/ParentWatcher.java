package io.kjps.launcher.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code -exit-with-parent}: notices that the parent process is gone.
 *
 * <p>Kong 2.x never signals its plugin servers; the old server of a reload only dies when the ngx.pipe object is
 * garbage collected (protocol.md §3.5). Like Kong's go-pluginserver and Python server, the launcher watches its parent
 * instead: checked every interval, the parent counts as gone when the process it had at start is no longer alive,
 * or when the process has been re-parented (to init or a subreaper).
 */
public final class ParentWatcher implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private ParentWatcher(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Watches this process's parent.
     *
     * @return empty when the process has no parent to watch
     */
    public static Optional<ParentWatcher> watchParent(Duration interval, Runnable onParentGone) {
        return ProcessHandle.current().parent()
                .map(parent -> watch(parent, () -> ProcessHandle.current().parent(), interval, onParentGone));
    }

    /**
     * Watches {@code parent}; {@code onGone} runs once, on a daemon thread, when it has died or
     * {@code currentParent} stops naming it.
     */
    public static ParentWatcher watch(ProcessHandle parent, Supplier<Optional<ProcessHandle>> currentParent,
                                      Duration interval, Runnable onGone) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kjps-parent-watcher");
            thread.setDaemon(true);
            return thread;
        });
        long parentPid = parent.pid();
        timer.scheduleWithFixedDelay(() -> {
            boolean reparented = currentParent.get().map(ProcessHandle::pid).orElse(-1L) != parentPid;
            if (reparented || !parent.isAlive()) {
                timer.shutdown();
                onGone.run();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new ParentWatcher(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
