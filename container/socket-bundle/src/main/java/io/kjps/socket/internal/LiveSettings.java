package io.kjps.socket.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The settings an operator may change while the server runs, through Configuration Admin: the configuration
 * {@value #PID} (with FileInstall, the file {@code io.kjps.socket.cfg} in the deploy folder). Its keys are the names
 * of the framework properties they override, so one vocabulary serves both:
 * <ul>
 *   <li>{@code kjps.handler.timeout.ms}, {@code kjps.abandon.timeout.ms}, {@code kjps.fail.open} and
 *       {@code kjps.fail.open.<plugin-name>} ({@link SocketSettings});</li>
 *   <li>{@code kjps.instance.idle.ms} ({@link SocketSettings});</li>
 *   <li>{@code kjps.slow.event.ms} ({@link MetricsSettings}).</li>
 * </ul>
 * A key set in the configuration wins over the framework (or system) property of the same name; a key it does not
 * set falls back to that property, then to the default. Events, waits and sweeps that start after a change use the
 * new values; nothing restarts. Every other {@code kjps.*} setting (the socket, its mode, peers, threads, metrics
 * endpoint, drain and update deadlines, and the plugin wait, which sets the update deadline's margin and
 * {@link PluginExpectations}' window) is read once at start from the framework properties, since changing it
 * means rebinding or rebuilding what serves Kong; one in the configuration is ignored with a WARNING.
 */
final class LiveSettings {
    /** The configuration PID. */
    static final String PID = "io.kjps.socket";

    private static final Set<String> KEYS = Set.of("kjps.handler.timeout.ms", "kjps.abandon.timeout.ms",
            "kjps.fail.open", "kjps.instance.idle.ms", "kjps.slow.event.ms");
    private static final String FAIL_OPEN_PREFIX = "kjps.fail.open.";

    private LiveSettings() {
    }

    /**
     * @param key a setting's name
     * @return whether it may come from the configuration and change while the server runs
     */
    static boolean isLive(String key) {
        return KEYS.contains(key) || key.startsWith(FAIL_OPEN_PREFIX) && key.length() > FAIL_OPEN_PREFIX.length();
    }

    /**
     * @param config    the configuration's properties (empty when there is none)
     * @param framework reads a framework property, {@code null} when unset
     * @return reads a setting: the configuration's value of a live key, else the framework property
     */
    static Function<String, String> layered(Map<String, ?> config, Function<String, String> framework) {
        return key -> {
            Object v = isLive(key) ? config.get(key) : null;
            return v != null ? String.valueOf(v).trim() : framework.apply(key);
        };
    }

    /**
     * @param config the configuration's properties
     * @return the live keys it sets, sorted, as {@code key=value}
     */
    static List<String> set(Map<String, ?> config) {
        List<String> set = new ArrayList<>();
        new TreeSet<>(config.keySet()).forEach(k -> {
            if (isLive(k)) {
                set.add(k + "=" + config.get(k));
            }
        });
        return set;
    }

    /**
     * @param config the configuration's properties
     * @return its {@code kjps.*} keys that are read only at start, sorted (ignored there)
     */
    static List<String> ignored(Map<String, ?> config) {
        List<String> ignored = new ArrayList<>();
        new TreeSet<>(config.keySet()).forEach(k -> {
            if (k.startsWith("kjps.") && !isLive(k)) {
                ignored.add(k);
            }
        });
        return ignored;
    }
}
