package io.kjps.launcher.internal;

import io.kjps.listener.HandOver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The framework configuration: Felix and OSGi settings, FileInstall settings (FileInstall reads its configuration
 * from framework properties), and the {@code kjps.*} properties the socket bundle reads with
 * {@code BundleContext.getProperty}.
 */
public final class FrameworkProperties {

    /** Absolute socket path the socket bundle listens on. */
    public static final String SOCKET = "kjps.socket";
    /** Absolute Kong prefix. */
    public static final String KONG_PREFIX = "kjps.kong.prefix";
    /** Absolute deploy directory (also FileInstall's directory). */
    public static final String DEPLOY = "kjps.deploy";
    /** Absolute distribution directory. */
    public static final String HOME = "kjps.home";
    /** {@code true} with {@code -v}, else {@code false}. */
    public static final String VERBOSE = "kjps.verbose";
    /** The project version. */
    public static final String VERSION = "kjps.version";

    /** FileInstall's poll interval in milliseconds. */
    static final String FILEINSTALL_POLL_MS = "250";

    private FrameworkProperties() {
    }

    /**
     * Builds the properties.
     *
     * @param options the command line (server mode; home must be known)
     * @param cache   this process's cache directory (becomes {@code org.osgi.framework.storage})
     * @param version the project version
     */
    public static Map<String, String> build(LauncherOptions options, Path cache, String version) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.osgi.framework.storage", cache.toString());
        p.put("org.osgi.framework.storage.clean", "onFirstInit");
        // msgpack-core uses its Unsafe-based buffer only when sun.misc is visible to bundles
        p.put("org.osgi.framework.bootdelegation", "sun.misc");
        p.put("felix.log.level", options.verbose() ? "4" : "2");

        p.put("felix.fileinstall.dir", options.deploy().toString());
        p.put("felix.fileinstall.poll", FILEINSTALL_POLL_MS);
        p.put("felix.fileinstall.noInitialDelay", "true");
        // plugin jars, and .cfg files for Configuration Admin (the socket bundle's settings that change while it runs)
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg)");
        // the operator's files are theirs: a configuration changed by other means is not written back into them
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.tmpdir", cache.resolve("fileinstall-tmp").toString());
        p.put("felix.fileinstall.log.level", options.verbose() ? "4" : "2");
        p.put("felix.fileinstall.log.default", "jul");

        // no console: Kong's stdin is a pipe it never writes to (protocol.md §3.1)
        p.put("gosh.args", "--nointeractive");

        p.put(SOCKET, options.socket().toString());
        if (options.role() == LauncherOptions.Role.WORKER) {
            p.put(HandOver.INHERITED, "true");
        }
        p.put(KONG_PREFIX, options.kongPrefix().toString());
        p.put(DEPLOY, options.deploy().toString());
        options.home().ifPresent(home -> p.put(HOME, home.toString()));
        p.put(VERBOSE, Boolean.toString(options.verbose()));
        p.put(VERSION, version);
        return p;
    }
}
