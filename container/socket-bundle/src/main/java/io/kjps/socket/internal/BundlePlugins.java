package io.kjps.socket.internal;

import io.kjps.model.PluginRules;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Turns a registered {@link KongPhaseHandler} service into a {@link ServedPlugin}: finds the descriptor the
 * annotation processor put into the providing bundle, checks it against the service, and loads the config type
 * from the bundle.
 */
final class BundlePlugins {
    static final String NAME_PROPERTY = "kong.plugin.name";

    private BundlePlugins() {
    }

    /**
     * @param ref the service reference
     * @param handler the service object
     * @return the plugin revision
     * @throws IllegalArgumentException saying precisely why the service cannot be served
     */
    static ServedPlugin toServed(ServiceReference<?> ref, KongPhaseHandler<?> handler) {
        Bundle bundle = ref.getBundle();
        if (bundle == null) {
            throw new IllegalArgumentException("the service was unregistered meanwhile");
        }
        String handlerClass = handler.getClass().getName();
        Object nameProperty = ref.getProperty(NAME_PROPERTY);
        PluginDescriptor descriptor = nameProperty instanceof String name
                ? read(bundle, PluginRules.descriptorPath(name))
                : findByHandler(bundle, handlerClass);
        if (descriptor == null) {
            throw new IllegalArgumentException("bundle " + describe(bundle) + " registers KongPhaseHandler "
                    + handlerClass + " but has no plugin descriptor"
                    + (nameProperty != null ? " for " + nameProperty : "")
                    + " under " + PluginRules.RESOURCE_DIRECTORY
                    + ": annotate the class with @KongPlugin and build it with kong-java-pluginserver-processor"
                    + " on the annotation processor path");
        }
        if (nameProperty != null && !descriptor.name().equals(nameProperty)) {
            throw new IllegalArgumentException("bundle " + describe(bundle) + ": service property kong.plugin.name="
                    + nameProperty + " does not match its descriptor " + descriptor.name());
        }
        if (!descriptor.handlerClass().equals(handlerClass)) {
            throw new IllegalArgumentException("bundle " + describe(bundle) + ": the descriptor of "
                    + descriptor.name() + " names handler " + descriptor.handlerClass() + " but the service is a "
                    + handlerClass);
        }
        Class<?> configType = null;
        if (descriptor.configType() != null) {
            try {
                configType = handler.getClass().getClassLoader().loadClass(descriptor.configType());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("bundle " + describe(bundle) + ": config type "
                        + descriptor.configType() + " of " + descriptor.name() + " cannot be loaded: " + e, e);
            }
        }
        return new ServedPlugin(descriptor, handler, ConfigDecoder.forType(configType, descriptor.config()),
                "bundle " + describe(bundle));
    }

    private static PluginDescriptor findByHandler(Bundle bundle, String handlerClass) {
        Enumeration<URL> entries = bundle.findEntries(PluginRules.RESOURCE_DIRECTORY, "*.json", false);
        while (entries != null && entries.hasMoreElements()) {
            PluginDescriptor d = parse(bundle, entries.nextElement());
            if (d.handlerClass().equals(handlerClass)) {
                return d;
            }
        }
        return null;
    }

    private static PluginDescriptor read(Bundle bundle, String path) {
        URL url = bundle.getEntry(path);
        return url == null ? null : parse(bundle, url);
    }

    private static PluginDescriptor parse(Bundle bundle, URL url) {
        try (InputStream in = url.openStream()) {
            return PluginDescriptor.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bundle " + describe(bundle) + ": bad plugin descriptor " + url.getPath()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param bundle a bundle
     * @return whether it carries plugin descriptors (is meant to serve plugins)
     */
    static boolean hasDescriptors(Bundle bundle) {
        Enumeration<String> e = bundle.getEntryPaths(PluginRules.RESOURCE_DIRECTORY);
        return e != null && e.hasMoreElements();
    }

    static String describe(Bundle bundle) {
        return bundle.getBundleId() + " " + bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
