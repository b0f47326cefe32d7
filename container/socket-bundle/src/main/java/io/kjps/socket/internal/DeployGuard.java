package io.kjps.socket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Keeps the previous version of a plugin serving when its jar in the deploy folder is replaced by one that is not a
 * bundle (a corrupt or truncated file, a zip without a manifest).
 *
 * <p>FileInstall uninstalls a bundle, silently, as soon as its file can no longer be read as a bundle. So this
 * keeps a copy of every jar FileInstall installs or updates from the deploy folder (in the socket bundle's data
 * area). When such a bundle is uninstalled while its file still exists but is not a readable bundle jar, it logs
 * why, installs the copy again under the same location and starts it. When a good jar replaces the broken file
 * later, FileInstall updates that bundle as usual. A jar that is deleted uninstalls its bundle for good.
 */
final class DeployGuard implements SynchronousBundleListener {
    private static final System.Logger LOG = System.getLogger(DeployGuard.class.getName());

    private final BundleContext context;
    private final Path deploy;
    private final PluginNotices notices;
    private final Map<String, Path> copies = new ConcurrentHashMap<>();
    private final ExecutorService restorer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kjps-deploy-guard");
        t.setDaemon(true);
        return t;
    });

    DeployGuard(BundleContext context, Path deploy, PluginNotices notices) {
        this.context = context;
        this.deploy = deploy.toAbsolutePath().normalize();
        this.notices = notices;
    }

    /** Copies the jars of the bundles already installed from the deploy folder and starts listening. */
    void start() {
        context.addBundleListener(this);
        for (Bundle b : context.getBundles()) {
            keepCopy(b);
        }
    }

    void stop() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException stopping) {
            // the framework is stopping
        }
        restorer.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> keepCopy(bundle);
            case BundleEvent.UNINSTALLED -> {
                Path file = deployFile(bundle.getLocation());
                Path copy = file == null ? null : copies.remove(bundle.getLocation());
                if (copy != null && Files.exists(file)) {
                    String problem = problem(file);
                    if (problem != null) {
                        String what = bundle.getSymbolicName() + " " + bundle.getVersion();
                        restorer.execute(() -> restore(bundle.getLocation(), file, copy, what, problem));
                    }
                }
            }
            default -> {
                // nothing to do
            }
        }
    }

    private void restore(String location, Path file, Path copy, String what, String problem) {
        String text = "deploy file " + file + " is not a bundle jar (" + problem + "): FileInstall uninstalled "
                + what + "; reinstalling the jar served before, which keeps serving. Write jars elsewhere, then"
                + " rename them into the deploy folder";
        LOG.log(System.Logger.Level.ERROR, text);
        notices.add(text);
        try (InputStream in = Files.newInputStream(copy)) {
            Bundle b = context.installBundle(location, in);
            copies.put(location, copy);
            b.start();
            LOG.log(System.Logger.Level.INFO, "restored " + b.getSymbolicName() + " " + b.getVersion()
                    + " (bundle " + b.getBundleId() + ") from the copy of " + file);
        } catch (IOException | BundleException | IllegalStateException e) {
            String failed = "cannot restore " + what + " from the copy of " + file + ": " + e;
            LOG.log(System.Logger.Level.ERROR, failed);
            notices.add(failed);
        }
    }

    private void keepCopy(Bundle bundle) {
        Path file = deployFile(bundle.getLocation());
        if (file == null || !Files.isRegularFile(file) || problem(file) != null) {
            return;
        }
        Path dir = context.getDataFile("deployed").toPath();
        try {
            Files.createDirectories(dir);
            Path copy = dir.resolve(bundle.getBundleId() + ".jar");
            Path tmp = dir.resolve(bundle.getBundleId() + ".jar.tmp");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            copies.put(bundle.getLocation(), copy);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep a copy of " + file + ": " + e);
        }
    }

    private Path deployFile(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return deploy.equals(file.getParent()) ? file : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param jar a file
     * @return why it is not a bundle jar, or {@code null} when it is one
     */
    static String problem(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            if (m == null) {
                return "no META-INF/MANIFEST.MF";
            }
            if (m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "no Bundle-SymbolicName in its manifest";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }
}
