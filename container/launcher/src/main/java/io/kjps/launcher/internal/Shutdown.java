package io.kjps.launcher.internal;

import io.kjps.listener.SocketConditions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * Stops the framework and deletes the cache directory, whichever way the server ends.
 *
 * <ul>
 *   <li>{@link #request(String)}: a signal or the parent watcher asks to stop. The socket bundle is stopped
 *       first, while every plugin bundle still runs: it stops accepting, lets the events in flight finish (bounded
 *       by {@code kjps.drain.ms}) and closes its connections. Then the framework is stopped, and the launcher's main
 *       thread sees it stop and exits with 0. Stopping the framework alone would stop the plugin bundles first
 *       (highest start level and bundle id first), so events arriving meanwhile would find no plugin. If stopping takes
 *       longer than the stop timeout, the process is halted with status 1.</li>
 *   <li>{@link #stopIfRequested()}: a request can arrive while {@code Framework.start()} still runs on the main
 *       thread; once it returns, the main thread waits for the request to have stopped the socket bundle before it
 *       stops the framework itself (the CI race of 2026-11-29: the plugin went first).</li>
 *   <li>{@link #stopAndClean()}: stops the framework if it still runs, waits for it (bounded), and deletes the cache
 *       directory. Idempotent; the main thread calls it on every exit path, and the JVM shutdown hook calls it for
 *       exits nobody planned ({@code System.exit} from a bundle, SIGHUP).</li>
 * </ul>
 * The socket file is never removed: during {@code kong reload} the new server may already own it (protocol.md §3.6).
 */
public final class Shutdown {

    private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());

    private final Framework framework;
    private final Path cacheDir;
    private final Duration stopTimeout;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch cleaned = new CountDownLatch(1);
    /** Opened once a requested stop has stopped the socket bundle (or found none to stop). */
    private final CountDownLatch socketStopped = new CountDownLatch(1);

    /**
     * @param framework   the framework to stop
     * @param cacheDir    this process's cache directory, deleted once the framework has stopped
     * @param stopTimeout how long the framework may take to stop
     */
    public Shutdown(Framework framework, Path cacheDir, Duration stopTimeout) {
        this.framework = framework;
        this.cacheDir = cacheDir;
        this.stopTimeout = stopTimeout;
    }

    /** Asks the server to stop, for {@code reason} (logged). Later requests are logged and otherwise ignored. */
    public void request(String reason) {
        if (!requested.compareAndSet(false, true)) {
            LOG.info(reason + "; already stopping");
            return;
        }
        LOG.info(reason + "; stopping");
        startDeadline();
        try {
            stopSocketBundle();
        } finally {
            socketStopped.countDown();
        }
        try {
            framework.stop();
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot stop the framework", e);
        }
    }

    /** Whether {@link #request(String)} has been called. */
    public boolean isRequested() {
        return requested.get();
    }

    /**
     * Called by the main thread once {@code Framework.start()} has returned: if a stop was requested meanwhile,
     * waits until that request has stopped the socket bundle (which drains the events in flight) and then stops the
     * framework. Stopping the framework before that would stop plugin bundles under events still running on them.
     *
     * @return whether a stop was requested
     */
    public boolean stopIfRequested() throws InterruptedException {
        if (!requested.get()) {
            return false;
        }
        awaitSocketStopped();
        try {
            framework.stop();
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot stop the framework", e);
        }
        return true;
    }

    private void awaitSocketStopped() throws InterruptedException {
        if (requested.get() && !socketStopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning("the socket bundle did not stop within " + stopTimeout.toSeconds() + " s");
        }
    }

    /** Stops the framework if needed, waits for it up to the stop timeout, then deletes the cache directory. */
    public synchronized void stopAndClean() {
        if (cleaned.getCount() == 0) {
            return;
        }
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                awaitSocketStopped();
                stopSocketBundle();
                framework.stop();
                if (framework.waitForStop(stopTimeout.toMillis()).getType()
                        == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.severe("the framework did not stop within " + stopTimeout.toSeconds() + " s");
                }
            }
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot stop the framework", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            CacheDirectory.deleteRecursively(cacheDir);
        } catch (IOException e) {
            LOG.warning("cannot delete cache directory " + cacheDir + ": " + e);
        }
        cleaned.countDown();
    }

    /**
     * Stops the bundle serving Kong's socket (the one that registered the {@code kjps.socket.ready} condition) before
     * anything else, so that no event arrives while the plugin bundles stop. Transient: the bundle's persistent
     * start state is left alone.
     */
    private void stopSocketBundle() {
        BundleContext context = framework.getBundleContext();
        // STARTING too: a SIGTERM can arrive while start() is still running, after the socket bundle already serves
        if (context == null || (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, SocketConditions.READY_FILTER);
            if (refs == null) {
                return;
            }
            for (ServiceReference<?> ref : refs) {
                Bundle socketBundle = ref.getBundle();
                if (socketBundle != null && socketBundle.getState() == Bundle.ACTIVE) {
                    long start = System.nanoTime();
                    socketBundle.stop(Bundle.STOP_TRANSIENT);
                    LOG.fine(() -> "socket bundle stopped in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                }
            }
        } catch (InvalidSyntaxException | BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot stop the socket bundle before the plugin bundles", e);
        }
    }

    /** A JVM shutdown hook running {@link #stopAndClean()}. */
    public Thread hook() {
        return new Thread(this::stopAndClean, "kjps-shutdown-hook");
    }

    private void startDeadline() {
        Thread deadline = new Thread(() -> {
            try {
                if (!cleaned.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.severe("the framework did not stop within " + stopTimeout.toSeconds() + " s; halting");
                    try {
                        CacheDirectory.deleteRecursively(cacheDir);
                    } catch (IOException e) {
                        LOG.warning("cannot delete cache directory " + cacheDir + ": " + e);
                    }
                    Runtime.getRuntime().halt(LauncherOptions.EXIT_FAILURE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kjps-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }
}
