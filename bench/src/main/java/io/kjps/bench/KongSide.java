package io.kjps.bench;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.ReceivedPdkCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kong's side towards one server: per emulated Nginx worker one Rpc object (msgid counter, keepalive pool) and one
 * cached instance per plugin entity, all kept for the whole benchmark as Kong keeps them. Concurrent requests are
 * spread over the workers.
 */
final class KongSide {
    static final String CONFIG = "{\"greeting\":\"hello\",\"__seq__\":0}";

    private final List<KongEmulator> emulators = new ArrayList<>();
    private final List<Map<String, ConfiguredPlugin>> plugins = new ArrayList<>();
    private final BenchPdk pdk = new BenchPdk();
    private final java.nio.file.Path socket;
    private final String suffix;

    KongSide(List<KongConnectionPool> pools) {
        this(pools, "");
    }

    /**
     * @param pools  one keepalive pool per emulated Nginx worker
     * @param suffix appended to every plugin name (the renamed variants of {@link Variants})
     */
    KongSide(List<KongConnectionPool> pools, String suffix) {
        this.socket = pools.get(0).socket();
        this.suffix = suffix;
        for (KongConnectionPool pool : pools) {
            KongEmulator e = new KongEmulator(new KongClient(pool));
            emulators.add(e);
            Map<String, ConfiguredPlugin> byName = new HashMap<>();
            for (String p : Scenario.plugins()) {
                byName.put(p, e.plugin(p + suffix, CONFIG));
            }
            plugins.add(byName);
        }
    }

    /**
     * The config of a churn request's plugin entity after its change number {@code seq}: each change a new
     * {@code __seq__}, as the Admin API gives it.
     *
     * @param request the concurrent request
     * @param seq     the request's event number
     * @return the config JSON
     */
    static String churnConfig(int request, long seq) {
        return "{\"greeting\":\"hello\",\"__seq__\":" + (request * 1_000_000_000L + seq) + "}";
    }

    /** @return the server's socket */
    java.nio.file.Path socket() {
        return socket;
    }

    /**
     * @param plugin a plugin name of {@link Scenario#plugins()}
     * @return the name the server knows it by (renamed for the variants of {@link Variants})
     */
    String pluginName(String plugin) {
        return plugin + suffix;
    }

    int workers() {
        return emulators.size();
    }

    BenchPdk pdk() {
        return pdk;
    }

    /**
     * @param worker a worker index
     * @return that worker's emulator
     */
    KongEmulator emulator(int worker) {
        return emulators.get(worker);
    }

    /**
     * @param worker a worker index
     * @param plugin a plugin name
     * @return the plugin entity of that worker (one instance for all its requests)
     */
    ConfiguredPlugin plugin(int worker, String plugin) {
        return plugins.get(worker).get(plugin);
    }

    /**
     * Runs one event of each scenario on each worker and checks it made the expected PDK calls and ended as
     * expected, so that every server is measured doing the same work.
     *
     * @throws IllegalStateException naming the difference
     */
    void validate(String server) {
        for (int w = 0; w < workers(); w++) {
            for (Scenario s : Scenario.values()) {
                EventOutcome o = plugin(w, s.plugin()).handleEvent(s.phase(), pdk);
                List<String> calls = new ArrayList<>();
                for (ReceivedPdkCall c : o.calls()) {
                    calls.add(c.method());
                }
                EventOutcome.Ending expected = s == Scenario.EXIT ? EventOutcome.Ending.EXIT : EventOutcome.Ending.RET;
                if (!calls.equals(s.calls()) || o.ending() != expected) {
                    throw new IllegalStateException(server + ", scenario " + s.id() + ": expected " + s.calls()
                            + " ending " + expected + ", got " + calls + " ending " + o.ending());
                }
            }
        }
    }
}
