package io.kjps.launcher.internal;

import io.kjps.listener.SocketConditions;
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
 * <p>The contract ({@link SocketConditions}): once it listens, the socket bundle registers the OSGi condition
 * {@value SocketConditions#READY} with the socket path; if it cannot bind, the condition
 * {@value SocketConditions#FAILED} with a message instead. The launcher only matches service properties, so it needs
 * no class of the condition package. The first such registration (or modification) decides; the system bundle
 * stopping first (a signal, or {@code shutdown} in the shell) ends the wait too.
 */
public final class SocketReadiness implements AutoCloseable {

    static final String FILTER = SocketConditions.EITHER_FILTER;

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
        if (SocketConditions.FAILED.equals(reference.getProperty(SocketConditions.CONDITION_ID))) {
            outcome.complete(new Failed(String.valueOf(reference.getProperty(SocketConditions.REASON))));
        } else {
            outcome.complete(new Ready(String.valueOf(reference.getProperty(SocketConditions.SOCKET))));
        }
    }
}
