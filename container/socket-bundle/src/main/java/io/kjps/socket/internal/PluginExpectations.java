package io.kjps.socket.internal;

import io.kjps.model.PluginRules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Tells whether a plugin that is not served now is about to be, so that a call for it waits
 * ({@link io.kjps.rpc.dispatch.PluginRegistry#expectWith}) instead of failing, while a call for a name nobody is
 * about to serve is answered at once.
 *
 * <p>A name is expected when, within the last {@code window} (the plugin wait, {@code kjps.plugin.wait.ms}):
 * <ul>
 *   <li>an update of a bundle that served it is being confirmed or rolled back ({@link PluginRevisions});</li>
 *   <li>a bundle that carries its descriptor was installed, updated, resolved, started or stopped (it is on its
 *       way: its component has yet to register the handler; a stop may be the first step of an update, and the
 *       framework says so only after it);</li>
 *   <li>a jar of the deploy folder that carries its descriptor is not installed yet, and the server has just started
 *       or the jar was just written (FileInstall has yet to see it).</li>
 * </ul>
 * So a bundle that settled without serving the name (refused, failed, stopped) stops being waited for once the window
 * has passed, and an uninstalled one at once ({@link PluginRevisions#movedWithin}, told by {@link UpdateGuard}). A
 * bundle in the STARTING or STOPPING state counts as moving whatever the listener heard: SCR, which unregisters a handler on STOPPING, may be told before it. Asked on the thread that waits, at most every 50 ms while it waits, never while a lock of the registry
 * is held.
 */
final class PluginExpectations implements Predicate<String> {
    private final BundleContext context;
    private final PluginRevisions revisions;
    private final DeployGuard deploy;
    private final long windowNanos;
    private final long startedNanos = System.nanoTime();
    private final Map<Path, Declared> jars = new ConcurrentHashMap<>();

    /** The descriptors a deploy jar carries, as of its size and modification time. */
    private record Declared(long size, long modified, Set<String> entries) {
    }

    /**
     * @param context      the socket bundle's context
     * @param revisions    the updates being confirmed or rolled back, and when each bundle last moved
     * @param deploy       the deploy folder, or {@code null} without one
     * @param windowMillis how long after a move a bundle or jar counts as on its way
     */
    PluginExpectations(BundleContext context, PluginRevisions revisions, DeployGuard deploy, long windowMillis) {
        this.context = context;
        this.revisions = revisions;
        this.deploy = deploy;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    @Override
    public boolean test(String name) {
        if (revisions.isRestoring(name)) {
            return true;
        }
        String entry = PluginRules.descriptorPath(name);
        long now = System.nanoTime();
        Set<Path> installed = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            Path jar = deploy == null ? null : deploy.deployFile(b.getLocation());
            if (jar != null) {
                installed.add(jar);
            }
            // the state too: other listeners (SCR's) may act on a STARTING or STOPPING before UpdateGuard hears of it
            boolean moving = (b.getState() & (Bundle.STARTING | Bundle.STOPPING)) != 0
                    || revisions.movedWithin(b.getBundleId(), windowNanos);
            if (moving && declares(b, entry)) {
                return true;
            }
        }
        return deploy != null && notYetInstalled(entry, installed, now);
    }

    /** Asked only of a bundle that is moving: one whose revision is being replaced right now counts as declaring. */
    private static boolean declares(Bundle b, String entry) {
        try {
            return b.getEntry(entry) != null;
        } catch (IllegalStateException uninstalled) {
            return false;
        } catch (RuntimeException revisionBeingReplaced) {
            // Felix throws a NullPointerException while it swaps a revision's content: ask again in 50 ms
            return true;
        }
    }

    private boolean notYetInstalled(String entry, Set<Path> installed, long now) {
        boolean starting = now - startedNanos < windowNanos;
        long recent = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(windowNanos);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(deploy.folder(), "*.jar")) {
            for (Path jar : files) {
                if (installed.contains(jar)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                long modified = a.lastModifiedTime().toMillis();
                if ((starting || modified >= recent) && entries(jar, a.size(), modified).contains(entry)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false; // no deploy folder to look at: nothing is on its way from there
        }
        return false;
    }

    private Set<String> entries(Path jar, long size, long modified) {
        Declared d = jars.get(jar);
        if (d == null || d.size != size || d.modified != modified) {
            Set<String> names = new HashSet<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith(PluginRules.RESOURCE_DIRECTORY)).forEach(names::add);
            } catch (IOException e) {
                // being written or not a jar: it declares nothing yet
            }
            d = new Declared(size, modified, Set.copyOf(names));
            jars.put(jar, d);
        }
        return d.entries;
    }
}
