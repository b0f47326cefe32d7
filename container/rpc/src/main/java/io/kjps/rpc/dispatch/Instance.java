package io.kjps.rpc.dispatch;

/**
 * A plugin instance Kong started: one plugin entity's config in one Kong worker (protocol.md §4.10). The config is kept
 * as Kong sent it and decoded per plugin revision, so an instance survives a bundle update with Kong's id; the
 * decoded config of a retired revision is released at once, so an idle instance never pins an old class loader.
 */
public final class Instance {
    private final long id;
    private final String pluginName;
    private final String configJson;
    private final long startTimeMillis = System.currentTimeMillis();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile Decoded decoded;

    private record Decoded(ServedPlugin plugin, Object config) {
    }

    Instance(long id, String pluginName, String configJson, ServedPlugin plugin, Object config) {
        this.id = id;
        this.pluginName = pluginName;
        this.configJson = configJson;
        this.decoded = new Decoded(plugin, config);
    }

    /** @return the id Kong uses */
    public long id() {
        return id;
    }

    /** @return the plugin name */
    public String pluginName() {
        return pluginName;
    }

    /** @return the config JSON as Kong sent it */
    public String configJson() {
        return configJson;
    }

    /** @return when StartInstance arrived, epoch milliseconds */
    public long startTimeMillis() {
        return startTimeMillis;
    }

    /** @return when the instance last ran an event, {@link System#nanoTime()} */
    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    /**
     * The config decoded for a revision, decoding it again when the revision changed since the last time.
     *
     * @param plugin the revision about to run
     * @return the config object
     */
    Object configFor(ServedPlugin plugin) {
        Decoded d = decoded;
        if (d != null && d.plugin == plugin) {
            return d.config;
        }
        Object config = plugin.configDecoder().decode(configJson);
        decoded = new Decoded(plugin, config);
        return config;
    }

    /**
     * Lets go of the config decoded for a revision that is no longer served, so that nothing of it (its classes,
     * its class loader) stays reachable from an idle instance. The next event decodes the config again.
     *
     * @param plugin the retired revision
     * @return whether this instance held a config of it
     */
    boolean release(ServedPlugin plugin) {
        Decoded d = decoded;
        if (d != null && d.plugin == plugin) {
            decoded = null;
            return true;
        }
        return false;
    }

    /** @return whether a decoded config is held (for tests) */
    boolean holdsDecodedConfig() {
        return decoded != null;
    }
}
