package io.kjps.socket.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Keeps the revision served before serving when an update of its bundle fails, so that Kong never loses a plugin to
 * a bad jar.
 *
 * <p>When a bundle whose plugins were served is updated (from the deploy folder or the shell's {@code update}), the
 * new revision must serve every plugin the old one served. It has failed when:
 * <ul>
 *   <li>it does not start: an unresolved import or requirement, an activator that throws (the framework's
 *       {@code ERROR} event, or a bundle still not active at the deadline);</li>
 *   <li>a DS component of it fails to activate (Declarative Services' runtime reports the failure);</li>
 *   <li>its handler is refused: a name another bundle serves, a version Kong rejects, a bad descriptor;</li>
 *   <li>at the deadline ({@code kjps.update.confirm.ms}, default 2000 ms) it serves none of its plugins, for any
 *       other reason (a reference that stays unsatisfied, no handler service at all).</li>
 * </ul>
 * Then the log says why, in one ERROR line (also a notice in the shell), and the bundle is updated back to its last
 * good revision ({@link LastGoodRevisions}), which serves again. Events that arrive meanwhile wait for the plugin (up
 * to {@code kjps.plugin.wait.ms}, default 5000 ms, longer than the deadline) and run on the revision put back, so Kong
 * sees no failed request. The deploy file keeps the bad jar; deploying a fixed jar updates the bundle as usual.
 *
 * <p>An update that serves every plugin served before is confirmed at once and becomes the last good revision. One
 * that serves some of them by the deadline (a plugin renamed or dropped on purpose) is confirmed then; the metadata
 * change is reported by {@link PluginSocketComponent}. A roll-back that fails too is logged and not retried.
 */
final class UpdateGuard implements SynchronousBundleListener, FrameworkListener {
    private static final System.Logger LOG = System.getLogger(UpdateGuard.class.getName());
    private static final long CHECK_MILLIS = 50;

    /** An update of a bundle that served plugins, waiting to be confirmed or rolled back. */
    private static final class Pending {
        final Bundle bundle;
        final Set<String> expected;
        final LastGoodRevisions.Kept good;
        final boolean rollback;
        final Set<String> served = new TreeSet<>();
        long deadlineNanos;
        boolean startTried;
        /** Completed with the failure line, or {@code null} once confirmed; {@code null} when nobody waits. */
        CompletableFuture<String> verdict;

        Pending(Bundle bundle, Set<String> expected, LastGoodRevisions.Kept good, boolean rollback, long millis) {
            this.bundle = bundle;
            this.expected = expected;
            this.good = good;
            this.rollback = rollback;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    private final BundleContext context;
    private final LastGoodRevisions revisions;
    private final DeployGuard deployGuard;
    private final PluginNotices notices;
    private final long confirmMillis;
    private final Metrics metrics;
    private final ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kjps-update-guard");
        t.setDaemon(true);
        return t;
    });
    /** Names served by each bundle's current revision (or, right after an update, by the revision before). */
    private final Map<Long, Set<String>> servedBy = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Bundles being updated back to their last good revision, with the plugins that revision must serve. */
    private final Map<Long, Set<String>> rollingBack = new HashMap<>();
    /** Verdicts awaited for the next update of a bundle (the shell's {@code update}), by bundle id. */
    private final Map<Long, CompletableFuture<String>> awaited = new HashMap<>();

    /**
     * @param context       the socket bundle's context
     * @param revisions     where last good revisions are kept
     * @param deployGuard   told about uninstalled bundles, or {@code null} without a deploy folder
     * @param notices       the shell's notices
     * @param confirmMillis how long an update may take to serve its plugins
     * @param metrics       counts updates and roll-backs
     */
    UpdateGuard(BundleContext context, LastGoodRevisions revisions, DeployGuard deployGuard, PluginNotices notices,
                long confirmMillis, Metrics metrics) {
        this.metrics = metrics;
        this.context = context;
        this.revisions = revisions;
        this.deployGuard = deployGuard;
        this.notices = notices;
        this.confirmMillis = confirmMillis;
        this.scr = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
    }

    /** Starts listening, and keeps the bundles from the deploy folder that already run. */
    void start() {
        scr.open();
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.ACTIVE && deployGuard != null && deployGuard.isDeployed(b)) {
                worker.execute(() -> revisions.keep(b));
            }
        }
        worker.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException stopping) {
            // the framework is stopping
        }
        worker.shutdownNow();
        scr.close();
        if (deployGuard != null) {
            deployGuard.stop();
        }
    }

    /**
     * The verdict on the next update of a bundle, for whoever makes that update (the shell's {@code update}). Call it
     * before updating the bundle.
     *
     * @param bundleId the bundle about to be updated
     * @return completed with the ERROR line logged when the update failed and is being rolled back, or with
     *     {@code null} when it was confirmed, or when the update is not guarded (the bundle served no plugin or
     *     has no revision to go back to) or the bundle was uninstalled
     */
    synchronized CompletableFuture<String> nextVerdict(long bundleId) {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        CompletableFuture<String> replaced = awaited.put(bundleId, verdict);
        if (replaced != null) {
            replaced.complete(null);
        }
        return verdict;
    }

    /**
     * Withdraws a verdict asked for with {@link #nextVerdict} when the update may not have happened (it threw).
     *
     * @param bundleId the bundle
     * @param verdict  what {@link #nextVerdict} returned
     * @return whether no update of the bundle happened since (the verdict is then completed with {@code null});
     *     {@code false} when a new revision was installed and the verdict will come
     */
    synchronized boolean withdraw(long bundleId, CompletableFuture<String> verdict) {
        if (awaited.get(bundleId) != verdict) {
            return false;
        }
        awaited.remove(bundleId);
        verdict.complete(null);
        return true;
    }

    /**
     * @return how long a verdict can take: the deadline, a second one when the bundle had to be started once more to
     *     learn why it did not start, and a margin for a loaded machine
     */
    long verdictMillis() {
        return 2 * confirmMillis + 5_000;
    }

    /**
     * A plugin of {@code bundle} is served now.
     *
     * @param bundle the bundle providing it
     * @param name   the plugin name
     */
    synchronized void served(Bundle bundle, String name) {
        long id = bundle.getBundleId();
        servedBy.computeIfAbsent(id, k -> new TreeSet<>()).add(name);
        Pending p = pending.get(id);
        if (p == null) {
            worker.execute(() -> revisions.keep(bundle));
            return;
        }
        p.served.add(name);
        if (p.served.containsAll(p.expected)) {
            confirm(p);
        }
    }

    /**
     * @param name a plugin name
     * @return whether an update that must serve it is being confirmed or rolled back
     */
    synchronized boolean isRestoring(String name) {
        for (Pending p : pending.values()) {
            if (p.expected.contains(name)) {
                return true;
            }
        }
        for (Set<String> names : rollingBack.values()) {
            if (names.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A handler of {@code bundle} was refused.
     *
     * @param bundle the bundle, or {@code null} when unknown
     * @param reason why (the text already logged)
     */
    synchronized void refused(Bundle bundle, String reason) {
        if (bundle == null) {
            return;
        }
        Pending p = pending.get(bundle.getBundleId());
        if (p != null) {
            fail(p, reason);
        }
    }

    @Override
    public synchronized void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        long id = bundle.getBundleId();
        switch (event.getType()) {
            case BundleEvent.UPDATED -> {
                Set<String> before = servedBy.put(id, new TreeSet<>());
                Pending old = pending.remove(id);
                if (old != null && old.verdict != null) {
                    old.verdict.complete(null); // superseded by this update
                }
                Set<String> restoring = rollingBack.remove(id);
                if (restoring != null) {
                    pending.put(id, new Pending(bundle, restoring, null, true, confirmMillis));
                    return;
                }
                CompletableFuture<String> verdict = awaited.remove(id);
                LastGoodRevisions.Kept good = revisions.get(bundle.getLocation());
                Set<String> expected = old != null ? old.expected : before;
                if (expected != null && !expected.isEmpty()) {
                    metrics.bundleUpdated(bundle.getSymbolicName());
                }
                if (good != null && expected != null && !expected.isEmpty()) {
                    Pending p = new Pending(bundle, Set.copyOf(expected), good, false, confirmMillis);
                    p.verdict = verdict;
                    pending.put(id, p);
                } else if (verdict != null) {
                    verdict.complete(null);
                }
            }
            case BundleEvent.STARTED -> {
                if (!pending.containsKey(id) && deployGuard != null && deployGuard.isDeployed(bundle)
                        && !BundlePlugins.hasDescriptors(bundle)) {
                    worker.execute(() -> revisions.keep(bundle)); // a library: good once it starts
                }
            }
            case BundleEvent.UNINSTALLED -> {
                servedBy.remove(id);
                Pending gone = pending.remove(id);
                if (gone != null && gone.verdict != null) {
                    gone.verdict.complete(null);
                }
                CompletableFuture<String> verdict = awaited.remove(id);
                if (verdict != null) {
                    verdict.complete(null);
                }
                rollingBack.remove(id);
                LastGoodRevisions.Kept good = revisions.get(bundle.getLocation());
                if (deployGuard == null || !deployGuard.uninstalled(bundle, good)) {
                    revisions.forget(bundle.getLocation());
                }
            }
            default -> {
                // nothing to do
            }
        }
    }

    @Override
    public synchronized void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.ERROR || event.getBundle() == null) {
            return;
        }
        Pending p = pending.get(event.getBundle().getBundleId());
        if (p != null) {
            Throwable t = event.getThrowable();
            fail(p, "it did not start: " + (t == null ? "no reason given" : message(t)));
        }
    }

    /**
     * Runs every {@value #CHECK_MILLIS} ms on the worker: a failed component fails its update at once, anything else
     * at the deadline. The framework and DS are asked without holding this object's lock (they call back into it).
     */
    private void check() {
        List<Pending> now;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            now = new ArrayList<>(pending.values());
        }
        for (Pending p : now) {
            try {
                String failedComponent = p.bundle.getState() == Bundle.ACTIVE ? failedComponent(p.bundle) : null;
                boolean late = System.nanoTime() - p.deadlineNanos >= 0;
                String explanation = late ? explainComponents(p.bundle) : null;
                boolean tryStart;
                synchronized (this) {
                    if (pending.get(p.bundle.getBundleId()) != p) {
                        continue; // settled meanwhile
                    }
                    if (failedComponent != null) {
                        fail(p, failedComponent);
                        continue;
                    }
                    if (!late) {
                        continue;
                    }
                    tryStart = deadline(p, explanation);
                }
                if (tryStart) {
                    start(p);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot check the update of "
                        + BundlePlugins.describe(p.bundle) + ": " + e);
            }
        }
    }

    /** @return whether to start the bundle once more (outside the lock) to learn why it did not start */
    private boolean deadline(Pending p, String explanation) {
        int state = p.bundle.getState();
        if (!p.served.isEmpty() && state == Bundle.ACTIVE) {
            confirm(p);
            return false;
        }
        if (state == Bundle.INSTALLED || state == Bundle.RESOLVED) {
            if (!p.startTried) {
                p.startTried = true;
                p.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmMillis);
                return true;
            }
            fail(p, "it is not active (state " + state(state) + ")");
            return false;
        }
        fail(p, "within " + confirmMillis + " ms it served none of " + p.expected + explanation);
        return false;
    }

    /** Whoever updated the bundle could not start it; starting it again tells why (or starts it late). */
    private void start(Pending p) {
        try {
            p.bundle.start(Bundle.START_TRANSIENT);
        } catch (BundleException | IllegalStateException e) {
            synchronized (this) {
                if (pending.get(p.bundle.getBundleId()) == p) {
                    fail(p, "it did not start: " + message(e));
                }
            }
        }
    }

    private void confirm(Pending p) {
        pending.remove(p.bundle.getBundleId());
        Bundle bundle = p.bundle;
        worker.execute(() -> revisions.keep(bundle));
        if (p.verdict != null) {
            p.verdict.complete(null);
        }
        if (p.rollback) {
            String text = "rolled back bundle " + BundlePlugins.describe(bundle) + ": serving "
                    + String.join(", ", p.served) + " again";
            LOG.log(System.Logger.Level.INFO, text);
            notices.add(text);
        }
    }

    private void fail(Pending p, String reason) {
        long id = p.bundle.getBundleId();
        pending.remove(id);
        if (p.rollback) {
            String text = "rolling back bundle " + id + " failed too: " + reason + "; "
                    + String.join(", ", p.expected) + " not served. Deploy a working jar";
            LOG.log(System.Logger.Level.ERROR, text);
            notices.add(text);
            return;
        }
        String text = "update of bundle " + id + " to " + p.bundle.getSymbolicName() + " " + p.bundle.getVersion()
                + " failed: " + reason + "; rolling back to the revision served before (" + p.good.description()
                + "), which keeps serving "
                + String.join(", ", p.expected);
        LOG.log(System.Logger.Level.ERROR, text);
        notices.add(text);
        metrics.bundleRolledBack(p.bundle.getSymbolicName());
        if (p.verdict != null) {
            p.verdict.complete(text);
        }
        rollingBack.put(id, p.expected);
        worker.execute(() -> rollBack(p));
    }

    private void rollBack(Pending p) {
        Bundle bundle = p.bundle;
        try (InputStream in = Files.newInputStream(p.good.jar())) {
            bundle.update(in);
            bundle.start(Bundle.START_TRANSIENT);
        } catch (Exception e) {
            synchronized (this) {
                rollingBack.remove(bundle.getBundleId());
                Pending after = pending.get(bundle.getBundleId());
                if (after != null && after.rollback) {
                    pending.remove(bundle.getBundleId());
                }
            }
            String text = "cannot roll back bundle " + bundle.getBundleId() + " to " + p.good.description() + ": "
                    + message(e);
            LOG.log(System.Logger.Level.ERROR, text);
            notices.add(text);
        }
    }

    /** @return why a DS component of the bundle failed to activate, or {@code null} */
    private String failedComponent(Bundle bundle) {
        ServiceComponentRuntime runtime = scr.getService();
        if (runtime == null) {
            return null;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return "component " + d.name + " failed to activate: "
                            + (c.failure == null ? "no reason given" : firstLine(c.failure));
                }
            }
        }
        return null;
    }

    /** @return what DS says of the bundle's components that are not active, or "" */
    private String explainComponents(Bundle bundle) {
        ServiceComponentRuntime runtime = scr.getService();
        if (runtime == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
            if (!runtime.isComponentEnabled(d)) {
                parts.add("component " + d.name + " is disabled");
                continue;
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    List<String> refs = new ArrayList<>();
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        refs.add(r.name + " (" + r.target + ")");
                    }
                    parts.add("component " + d.name + " misses references " + String.join(", ", refs));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    parts.add("component " + d.name + " waits for its configuration");
                }
            }
        }
        return parts.isEmpty() ? ": it registered no plugin handler" : ": " + String.join("; ", parts);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return firstLine(m == null ? t.toString() : m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
