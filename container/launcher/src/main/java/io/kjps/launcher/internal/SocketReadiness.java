package io.kjps.launcher.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Waits for the socket bundle to say whether it listens.
 *
 * <p>The contract: once it listens, the socket bundle registers a service under {@code java.lang.AutoCloseable}
 * with the service property {@value #READY} set to the socket path; if it cannot bind, it registers one with
 * {@value #FAILED} set to a message instead. {@code java.lang} is always loaded by the boot class loader, so the
 * launcher needs no shared API package to see the service. The first such registration (or modification) decides;
 * the system bundle stopping first (a signal, or {@code shutdown} in the shell) ends the wait too.
 */
public final class SocketReadiness implements AutoCloseable {

    /** Service property: the socket path the socket bundle listens on. */
    public static final String READY = "kjps.socket.ready";
    /** Service property: why the socket bundle could not listen. */
    public static final String FAILED = "kjps.socket.failed";

    static final String FILTER = "(&(objectClass=" + AutoCloseable.class.getName() + ")(|(" + READY + "=*)("
            + FAILED + "=*)))";

    /** How the wait ended. */
    public sealed interface Outcome permits Ready, Failed, TimedOut, FrameworkStopped {
    }

    /** The socket bundle listens on {@code socket}. */
    public record Ready(String socket) implements Outcome {
    }

    /** The socket bundle could not listen. */
    public record Failed(String message) implements Outcome {
    }

    /** No report within the timeout. */
    public record TimedOut(Duration timeout) implements Outcome {
    }

    /** The framework began to stop before any report. */
    public record FrameworkStopped() implements Outcome {
    }

    private final BundleContext context;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final ServiceListener serviceListener = this::serviceChanged;
    private final SynchronousBundleListener bundleListener = this::bundleChanged;

    private SocketReadiness(BundleContext context) {
        this.context = context;
    }

    /**
     * Starts watching; call after {@code Framework.init()} and before {@code Framework.start()}.
     *
     * @param systemContext the system bundle's context
     */
    public static SocketReadiness watch(BundleContext systemContext) {
        SocketReadiness readiness = new SocketReadiness(systemContext);
        try {
            systemContext.addServiceListener(readiness.serviceListener, FILTER);
            ServiceReference<?>[] existing = systemContext.getServiceReferences((String) null, FILTER);
            if (existing != null && existing.length > 0) {
                readiness.decide(existing[0]);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + FILTER, e);
        }
        systemContext.addBundleListener(readiness.bundleListener);
        return readiness;
    }

    /** Waits up to {@code timeout} for the outcome. */
    public Outcome await(Duration timeout) throws InterruptedException {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new TimedOut(timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            context.removeServiceListener(serviceListener);
            context.removeBundleListener(bundleListener);
        } catch (IllegalStateException e) {
            // the framework has stopped: its listeners are gone with it
        }
    }

    private void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.MODIFIED) {
            decide(event.getServiceReference());
        }
    }

    private void bundleChanged(BundleEvent event) {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            outcome.complete(new FrameworkStopped());
        }
    }

    private void decide(ServiceReference<?> reference) {
        Object failed = reference.getProperty(FAILED);
        if (failed != null) {
            outcome.complete(new Failed(String.valueOf(failed)));
        } else {
            outcome.complete(new Ready(String.valueOf(reference.getProperty(READY))));
        }
    }
}
