package io.kjps.socket.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
 * The framework's side of {@link PluginRevisions}: translates bundle and framework events into calls on it, asks the
 * framework and Declarative Services' runtime what it needs to know, and carries out what it decides (keep a revision
 * as the last good one, update a bundle back to it). It decides nothing itself.
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
 */
final class UpdateGuard implements SynchronousBundleListener, FrameworkListener, PluginRevisions.Framework {
    private static final System.Logger LOG = System.getLogger(UpdateGuard.class.getName());
    private static final long CHECK_MILLIS = 50;

    private final BundleContext context;
    private final PluginRevisions owner;
    private final LastGoodRevisions revisions;
    private final DeployGuard deployGuard;
    private final PluginNotices notices;
    private final Metrics metrics;
    private final ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kjps-update-guard");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param context     the socket bundle's context
     * @param owner       the owner of the revisions, told what happens
     * @param revisions   where last good revisions are kept
     * @param deployGuard told about uninstalled bundles, or {@code null} without a deploy folder
     * @param notices     the shell's notices
     * @param metrics     counts updates and roll-backs
     */
    UpdateGuard(BundleContext context, PluginRevisions owner, LastGoodRevisions revisions, DeployGuard deployGuard,
                PluginNotices notices, Metrics metrics) {
        this.context = context;
        this.owner = owner;
        this.revisions = revisions;
        this.deployGuard = deployGuard;
        this.notices = notices;
        this.metrics = metrics;
        this.scr = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
    }

    /**
     * Starts listening, attaches the owner, and keeps the bundles from the deploy folder that already run.
     *
     * @param confirmMillis how long an update may take to serve its plugins
     */
    void start(long confirmMillis) {
        scr.open();
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        owner.attach(this, confirmMillis);
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.ACTIVE && deployGuard != null && deployGuard.isDeployed(b)) {
                owner.running(b.getBundleId());
            }
        }
        worker.scheduleWithFixedDelay(owner::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException stopping) {
            // the framework is stopping
        }
        owner.detach();
        worker.shutdownNow();
        scr.close();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        long id = bundle.getBundleId();
        switch (event.getType()) {
            // STOPPING too: an update stops the bundle before the framework says it is an update (UPDATED);
            // STOPPED and UNRESOLVED follow STOPPING, which counted already
            case BundleEvent.INSTALLED, BundleEvent.UPDATED, BundleEvent.RESOLVED, BundleEvent.STARTING,
                 BundleEvent.STARTED, BundleEvent.LAZY_ACTIVATION, BundleEvent.STOPPING -> owner.moved(id);
            default -> {
                // not a move
            }
        }
        switch (event.getType()) {
            case BundleEvent.UPDATED -> owner.updated(id, bundle.getSymbolicName() + " " + bundle.getVersion(),
                    revisions.get(bundle.getLocation()));
            case BundleEvent.STARTED -> {
                if (deployGuard != null && deployGuard.isDeployed(bundle) && !BundlePlugins.hasDescriptors(bundle)) {
                    owner.running(id); // a library: good once it starts
                }
            }
            case BundleEvent.UNINSTALLED -> {
                owner.uninstalled(id);
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
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null) {
            Throwable t = event.getThrowable();
            owner.startFailed(event.getBundle().getBundleId(), t == null ? "no reason given" : message(t));
        }
    }

    @Override
    public void keep(long bundle) {
        Bundle b = bundle(bundle);
        if (b != null) {
            worker.execute(() -> revisions.keep(b));
        }
    }

    @Override
    public void rollBack(long bundle, LastGoodRevisions.Kept good) {
        Bundle b = bundle(bundle);
        if (b == null) {
            return; // uninstalled meanwhile
        }
        worker.execute(() -> {
            try (InputStream in = Files.newInputStream(good.jar())) {
                b.update(in);
                b.start(Bundle.START_TRANSIENT);
            } catch (Exception e) {
                owner.rollBackFailed(bundle, message(e));
            }
        });
    }

    @Override
    public String state(long bundle) {
        Bundle b = bundle(bundle);
        return state(b == null ? Bundle.UNINSTALLED : b.getState());
    }

    @Override
    public String failedComponent(long bundle) {
        Bundle b = bundle(bundle);
        return b == null ? null : failedComponent(b);
    }

    @Override
    public String explainComponents(long bundle) {
        Bundle b = bundle(bundle);
        return b == null ? "" : explainComponents(b);
    }

    /** Whoever updated the bundle could not start it; starting it again tells why (or starts it late). */
    @Override
    public String startAgain(long bundle) {
        Bundle b = bundle(bundle);
        if (b == null) {
            return "it was uninstalled";
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return null;
        } catch (BundleException | IllegalStateException e) {
            return message(e);
        }
    }

    @Override
    public String describe(long bundle) {
        Bundle b = bundle(bundle);
        return b == null ? String.valueOf(bundle) : BundlePlugins.describe(b);
    }

    @Override
    public void report(System.Logger.Level level, String text) {
        LOG.log(level, text);
        notices.add(text);
    }

    @Override
    public void updateCounted(long bundle) {
        metrics.bundleUpdated(symbolicName(bundle));
    }

    @Override
    public void rollBackCounted(long bundle) {
        metrics.bundleRolledBack(symbolicName(bundle));
    }

    /** @return the bundle, or {@code null} when it is gone or this bundle is stopping */
    private Bundle bundle(long id) {
        try {
            return context.getBundle(id);
        } catch (IllegalStateException stopping) {
            return null;
        }
    }

    private String symbolicName(long bundle) {
        Bundle b = bundle(bundle);
        return b == null ? String.valueOf(bundle) : b.getSymbolicName();
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
