package io.kjps.launcher.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Creates the embedded framework and installs the start-up bundles.
 *
 * <p>The framework comes from {@code ServiceLoader<FrameworkFactory>} (Felix on the launcher class path), with
 * {@link FelixJulLogger} as Felix's logger. Start-up bundles are installed in list order and marked started in
 * that order (fragments are never started); since they all share start level 1 and are started in bundle-id order,
 * {@code Framework.start()} activates them in list order.
 */
public final class FrameworkLauncher {

    /** Felix configuration property taking a {@code org.apache.felix.framework.Logger} instance. */
    static final String FELIX_LOGGER = "felix.log.logger";

    private FrameworkLauncher() {
    }

    /** A new, not yet initialised framework configured with {@code properties}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Framework create(Map<String, String> properties) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FrameworkLauncher.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        // Felix accepts an object for this one key; the OSGi signature says Map<String, String>
        Map config = new HashMap<>(properties);
        config.put(FELIX_LOGGER, new FelixJulLogger());
        return factory.newFramework(config);
    }

    /**
     * Installs {@code jars} in order, then marks each non-fragment started, in the same order. Call between
     * {@code init()} and {@code start()}.
     *
     * @return the installed bundles, in order
     */
    public static List<Bundle> installAndStart(BundleContext context, List<Path> jars) throws BundleException {
        List<Bundle> bundles = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            bundles.add(context.installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : bundles) {
            if (!isFragment(bundle)) {
                bundle.start();
            }
        }
        return bundles;
    }

    /** The non-fragment bundles of {@code bundles} that are neither ACTIVE nor STARTING (lazy activation). */
    public static List<Bundle> notStarted(List<Bundle> bundles) {
        List<Bundle> failed = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (!isFragment(bundle) && (bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
                failed.add(bundle);
            }
        }
        return failed;
    }

    static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
