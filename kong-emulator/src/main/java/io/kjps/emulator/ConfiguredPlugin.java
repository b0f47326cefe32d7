package io.kjps.emulator;

import java.util.Objects;

/**
 * Kong's cached instance of one plugin entity in one worker ({@code running_instances}, protocol.md §4.9–§4.10, Kong 3.7+
 * behaviour): the plugin name, its current config JSON and the instance id started for that config.
 * <ul>
 *   <li>The first event starts the instance ({@code plugin.StartInstance}); concurrent first events wait for it.</li>
 *   <li>After {@link #setConfig} the next event starts a new instance with the new config and then closes the old
 *       one ({@code Start(new)} then {@code CloseInstance(old)}, result and errors ignored).</li>
 *   <li>An error containing "no plugin instance" (any case) drops the cached ids of every plugin with this name
 *       in the emulator (Kong's {@code reset_instance}), starts again and retries the whole event, at most
 *       {@link KongEmulator#MAX_INSTANCE_RETRIES} times (Kong retries without limit), then rethrows.</li>
 *   <li>A changed {@code serverPid} drops the cached id too (see {@link KongClient#addServerPidListener}).</li>
 * </ul>
 * Thread-safe.
 */
public final class ConfiguredPlugin {
    private record Started(long id, String config) {
    }

    private final KongEmulator emulator;
    private final String name;
    private final Object startLock = new Object();
    private volatile String config;
    private volatile Started started;

    ConfiguredPlugin(KongEmulator emulator, String name, String config) {
        this.emulator = emulator;
        this.name = Objects.requireNonNull(name);
        this.config = Objects.requireNonNull(config);
    }

    /** @return the plugin name */
    public String name() {
        return name;
    }

    /** @return the current config JSON */
    public String config() {
        return config;
    }

    /**
     * Changes the config, as an Admin-API change would: the next event starts a new instance and closes the old.
     *
     * @param configJson the new config JSON (Kong's {@code __seq__} normally changes with it)
     */
    public void setConfig(String configJson) {
        this.config = Objects.requireNonNull(configJson);
    }

    /** @return the cached instance id, or null when none is cached */
    public Long cachedInstanceId() {
        Started s = started;
        return s == null ? null : s.id();
    }

    /** Forgets the cached instance id without closing it (Kong's reset: the server side is assumed gone). */
    public void resetInstance() {
        started = null;
    }

    /**
     * Kong's {@code get_instance_id}: the cached id when it was started for the current config, otherwise
     * StartInstance (and CloseInstance of the previous id after a config change).
     *
     * @return the instance id to use
     * @throws KongException when StartInstance fails
     */
    public long instanceId() {
        Started s = started;
        String conf = config;
        if (s != null && s.config().equals(conf)) {
            return s.id();
        }
        synchronized (startLock) {
            s = started;
            conf = config;
            if (s != null && s.config().equals(conf)) {
                return s.id();
            }
            long id = emulator.startInstance(name, conf);
            started = new Started(id, conf);
            if (s != null) {
                try {
                    emulator.closeInstance(s.id());
                } catch (KongException ignored) {
                    // Kong: "don't care if there's an error, maybe other thread closed it first"
                }
            }
            return id;
        }
    }

    /**
     * Runs one event with Kong's instance handling (see the class comment).
     *
     * @param phase the phase, e.g. {@code access}
     * @param pdk   answers the PDK calls
     * @return the outcome of the last attempt, with {@link EventOutcome#instanceRetries()} set
     * @throws KongException for errors Kong would log (the request then goes on without the plugin)
     */
    public EventOutcome handleEvent(String phase, PdkHandler pdk) {
        for (int retries = 0; ; retries++) {
            try {
                return emulator.handleEvent(instanceId(), phase, pdk).withRetries(retries);
            } catch (KongRpcException e) {
                if (!e.isNoPluginInstance() || retries >= KongEmulator.MAX_INSTANCE_RETRIES) {
                    throw e;
                }
                emulator.resetInstances(name);
            }
        }
    }

    @Override
    public String toString() {
        return "ConfiguredPlugin[" + name + ", instance " + cachedInstanceId() + "]";
    }
}
