package io.kjps.itests;

import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Watches the services matching a filter and waits, up to a deadline, until they satisfy a condition. Service
 * events wake the waiter; nothing polls or sleeps. The services are only looked at (their references), never got.
 */
final class ServiceWatch implements AutoCloseable {
    /** How long any wait for a service change may take before the test fails. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final String filter;
    private final Set<ServiceReference<?>> tracked = new LinkedHashSet<>();
    private final ServiceTracker<Object, ServiceReference<Object>> tracker;

    /**
     * Starts watching.
     *
     * @param context the test bundle's context
     * @param filter an LDAP filter, matched against services of every class space
     */
    ServiceWatch(BundleContext context, String filter) {
        this.filter = filter;
        try {
            tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(filter), new Customizer());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        tracker.open(true);
    }

    /**
     * Waits until the matching services satisfy a condition.
     *
     * @param what the condition, for the failure message
     * @param condition tested against the matching references, ordered by service id
     * @return the references that satisfied it
     * @throws InterruptedException when interrupted
     */
    List<ServiceReference<?>> awaitUntil(String what, Predicate<List<ServiceReference<?>>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        synchronized (tracked) {
            while (true) {
                List<ServiceReference<?>> now = snapshot();
                if (condition.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("not within " + DEADLINE.toSeconds() + " s: " + what + "; services matching " + filter
                            + " now: " + describe(now));
                }
                TimeUnit.NANOSECONDS.timedWait(tracked, left);
            }
        }
    }

    /**
     * Waits for at least one matching service.
     *
     * @param what the expected service, for the failure message
     * @return the matching service with the lowest service id
     * @throws InterruptedException when interrupted
     */
    ServiceReference<?> awaitAny(String what) throws InterruptedException {
        return awaitUntil(what, refs -> !refs.isEmpty()).get(0);
    }

    /**
     * Waits until no service matches.
     *
     * @param what the service expected to leave, for the failure message
     * @throws InterruptedException when interrupted
     */
    void awaitNone(String what) throws InterruptedException {
        awaitUntil(what, List::isEmpty);
    }

    private List<ServiceReference<?>> snapshot() {
        List<ServiceReference<?>> refs = new ArrayList<>(tracked);
        refs.sort(Comparator.comparingLong(r -> (Long) r.getProperty(Constants.SERVICE_ID)));
        return refs;
    }

    static String describe(List<ServiceReference<?>> refs) {
        List<String> out = new ArrayList<>();
        for (ServiceReference<?> r : refs) {
            StringBuilder sb = new StringBuilder("{");
            for (String key : r.getPropertyKeys()) {
                sb.append(sb.length() == 1 ? "" : ", ").append(key).append('=').append(value(r.getProperty(key)));
            }
            out.add(sb.append('}').toString());
        }
        return out.toString();
    }

    private static String value(Object v) {
        return v instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(v);
    }

    @Override
    public void close() {
        tracker.close();
    }

    private final class Customizer implements ServiceTrackerCustomizer<Object, ServiceReference<Object>> {
        @Override
        public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
            synchronized (tracked) {
                tracked.add(reference);
                tracked.notifyAll();
            }
            return reference;
        }

        @Override
        public void modifiedService(ServiceReference<Object> reference, ServiceReference<Object> service) {
            synchronized (tracked) {
                tracked.notifyAll();
            }
        }

        @Override
        public void removedService(ServiceReference<Object> reference, ServiceReference<Object> service) {
            synchronized (tracked) {
                tracked.remove(reference);
                tracked.notifyAll();
            }
        }
    }
}
