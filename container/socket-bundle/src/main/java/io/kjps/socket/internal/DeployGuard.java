package io.kjps.socket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Keeps the previous version of a plugin serving when its jar in the deploy folder is replaced by one that is not a
 * bundle (a corrupt or truncated file, a zip without a manifest).
 *
 * <p>FileInstall uninstalls a bundle, silently, as soon as its file can no longer be read as a bundle. When such a
 * bundle is uninstalled while its file still exists but is not a readable bundle jar, this logs why, installs the
 * bundle's last good revision ({@link LastGoodRevisions}) again under the same location and starts it. When a good jar
 * replaces the broken file later, FileInstall updates that bundle as usual. A jar that is deleted uninstalls its
 * bundle for good. {@link UpdateGuard} tells this about every uninstalled bundle.
 */
final class DeployGuard {
    private static final System.Logger LOG = System.getLogger(DeployGuard.class.getName());

    private final BundleContext context;
    private final Path deploy;
    private final PluginNotices notices;
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

    void stop() {
        restorer.shutdownNow();
    }

    /**
     * @param bundle a bundle
     * @return whether it was installed from a jar in the deploy folder
     */
    boolean isDeployed(Bundle bundle) {
        return deployFile(bundle.getLocation()) != null;
    }

    /**
     * Called when a bundle was uninstalled: when it came from the deploy folder and its file is still there but no
     * longer a bundle jar, reinstalls {@code good} in the background.
     *
     * @param bundle the uninstalled bundle
     * @param good its last good revision, or {@code null}
     * @return whether {@code good} is being reinstalled (so it must be kept)
     */
    boolean uninstalled(Bundle bundle, LastGoodRevisions.Kept good) {
        Path file = deployFile(bundle.getLocation());
        if (good == null || file == null || !Files.exists(file)) {
            return false;
        }
        String problem = problem(file);
        if (problem == null) {
            return false;
        }
        String what = bundle.getSymbolicName() + " " + bundle.getVersion();
        restorer.execute(() -> restore(bundle.getLocation(), file, good.jar(), what, problem));
        return true;
    }

    private void restore(String location, Path file, Path copy, String what, String problem) {
        String text = "deploy file " + file + " is not a bundle jar (" + problem + "): FileInstall uninstalled "
                + what + "; reinstalling the jar served before, which keeps serving. Write jars elsewhere, then"
                + " rename them into the deploy folder";
        LOG.log(System.Logger.Level.ERROR, text);
        notices.add(text);
        try (InputStream in = Files.newInputStream(copy)) {
            Bundle b = context.installBundle(location, in);
            b.start();
            LOG.log(System.Logger.Level.INFO, "restored " + b.getSymbolicName() + " " + b.getVersion()
                    + " (bundle " + b.getBundleId() + ") from the copy of " + file);
        } catch (IOException | BundleException | IllegalStateException e) {
            String failed = "cannot restore " + what + " from the copy of " + file + ": " + e;
            LOG.log(System.Logger.Level.ERROR, failed);
            notices.add(failed);
        }
    }

    /** @return the deploy folder */
    Path folder() {
        return deploy;
    }

    /**
     * @param location a bundle location
     * @return the jar of the deploy folder it was installed from, or {@code null}
     */
    Path deployFile(String location) {
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
