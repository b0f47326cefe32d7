package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.Event;
import io.kjps.rpc.dispatch.EventEnd;
import io.kjps.rpc.dispatch.EventRecorder;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.rpc.plugin.Phase;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's metrics, with the Prometheus Java client, in a registry of their own: what each plugin costs (per
 * plugin and phase), its PDK calls, instances, bundle updates, Kong's connections and the JVM. Names and labels:
 * docs/decisions.md "Metrics"; the Grafana dashboard in deploy/grafana reads them.
 *
 * <p>The hot path ({@link EventRecorder.PluginRecorder}) only increments data points it looked up before: a
 * plugin's, phase's and outcome's data points are found once and kept, so a recorded event allocates nothing.
 * Histograms are classic only (fixed buckets): native histograms box their bucket indices on every observation and
 * reach Prometheus only through the protobuf format. Gauges that can be read from the dispatcher (events in flight,
 * live instances, connections) are computed at scrape time and cost the hot path nothing.
 */
final class Metrics implements EventRecorder {
    /** The prefix of every metric of this server. */
    static final String PREFIX = "kong_java_pluginserver_";
    /** The most PDK methods one plugin gets a label value of its own for; more are counted as {@value #OTHER}. */
    static final int MAX_METHODS = 256;
    static final String OTHER = "other";

    /** 100 µs to 30 s (the default handler timeout): a plugin event spans these. */
    private static final double[] EVENT_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** 50 µs to 5 s: one PDK call's round trip through Kong. */
    private static final double[] PDK_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
    private static final Phase[] PHASES = Phase.values();
    private static final EventEnd[] OUTCOMES = EventEnd.values();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final Histogram eventDuration;
    private final Counter events;
    private final Histogram pdkCalls;
    private final Counter instanceStarts;
    private final Counter instanceCloses;
    private final Counter bundleUpdates;
    private final Counter bundleRollbacks;
    private final Counter bundleRefusals;
    private final Map<String, PluginMetrics> plugins = new ConcurrentHashMap<>();

    Metrics() {
        eventDuration = Histogram.builder().name(PREFIX + "event_duration_seconds")
                .help("Time from Kong's plugin.HandleEvent to the answer that ends the event, PDK round trips "
                        + "included, per plugin and phase")
                .labelNames("plugin", "phase").classicOnly().classicUpperBounds(EVENT_BUCKETS).withoutExemplars()
                .register(registry);
        events = Counter.builder().name(PREFIX + "events_total")
                .help("Events by how they ended: ret, exit, error, failed, abandoned, timeout")
                .labelNames("plugin", "phase", "outcome").withoutExemplars().register(registry);
        pdkCalls = Histogram.builder().name(PREFIX + "pdk_call_duration_seconds")
                .help("Round trip of a PDK call through Kong: from sending the call to Kong's step with its result")
                .labelNames("plugin", "method").classicOnly().classicUpperBounds(PDK_BUCKETS).withoutExemplars()
                .register(registry);
        instanceStarts = Counter.builder().name(PREFIX + "instance_starts_total")
                .help("Plugin instances Kong started").labelNames("plugin").register(registry);
        instanceCloses = Counter.builder().name(PREFIX + "instance_closes_total")
                .help("Plugin instances gone: closed by Kong (reason kong) or dropped when idle (reason idle)")
                .labelNames("plugin", "reason").register(registry);
        bundleUpdates = Counter.builder().name(PREFIX + "bundle_updates_total")
                .help("Updates of a bundle that served plugins").labelNames("bundle").register(registry);
        bundleRollbacks = Counter.builder().name(PREFIX + "bundle_rollbacks_total")
                .help("Failed updates rolled back to the revision served before").labelNames("bundle")
                .register(registry);
        bundleRefusals = Counter.builder().name(PREFIX + "bundle_refusals_total")
                .help("Plugin handlers of a bundle that were refused (bad descriptor, name taken, version)")
                .labelNames("bundle").register(registry);
        JvmMetrics.builder().register(registry);
    }

    /**
     * Adds the figures read at scrape time.
     *
     * @param dispatcher events in flight and live instances
     * @param openConnections Kong's connections open now
     * @param acceptedConnections connections accepted since start
     */
    void watch(Dispatcher dispatcher, IntSupplier openConnections, LongSupplier acceptedConnections) {
        GaugeWithCallback.builder().name(PREFIX + "events_in_flight")
                .help("Events running or waiting for Kong now (0 for each phase of each plugin served)")
                .labelNames("plugin", "phase")
                .callback(cb -> {
                    Map<String, Long> n = new TreeMap<>();
                    for (ServedPlugin p : dispatcher.registry().all()) {
                        p.descriptor().phases().forEach(ph -> n.put(p.name() + "\n" + ph, 0L));
                    }
                    for (Event e : dispatcher.events()) {
                        n.merge(e.plugin().name() + "\n" + e.phase().kongName(), 1L, Long::sum);
                    }
                    n.forEach((k, v) -> cb.call(v, k.split("\n")));
                })
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "instances")
                .help("Live plugin instances (0 for each plugin served)").labelNames("plugin")
                .callback(cb -> {
                    Map<String, Long> n = new TreeMap<>();
                    dispatcher.registry().all().forEach(p -> n.put(p.name(), 0L));
                    dispatcher.instances().forEach(i -> n.merge(i.pluginName(), 1L, Long::sum));
                    n.forEach((plugin, v) -> cb.call(v, plugin));
                })
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "connections")
                .help("Kong's connections open now").callback(cb -> cb.call(openConnections.getAsInt()))
                .register(registry);
        CounterWithCallback.builder().name(PREFIX + "connections_accepted_total")
                .help("Connections from Kong accepted since the server started")
                .callback(cb -> cb.call(acceptedConnections.getAsLong())).register(registry);
    }

    @Override
    public PluginRecorder plugin(String pluginName) {
        PluginMetrics m = plugins.get(pluginName);
        return m != null ? m : plugins.computeIfAbsent(pluginName, PluginMetrics::new);
    }

    @Override
    public void instanceStarted(String pluginName) {
        instanceStarts.labelValues(pluginName).inc();
    }

    @Override
    public void instanceClosed(String pluginName, boolean expired) {
        instanceCloses.labelValues(pluginName, expired ? "idle" : "kong").inc();
    }

    /** @param bundle a bundle's symbolic name */
    void bundleUpdated(String bundle) {
        bundleUpdates.labelValues(bundle).inc();
    }

    /** @param bundle a bundle's symbolic name */
    void bundleRolledBack(String bundle) {
        bundleRollbacks.labelValues(bundle).inc();
    }

    /** @param bundle a bundle's symbolic name */
    void bundleRefused(String bundle) {
        bundleRefusals.labelValues(bundle).inc();
    }

    /** @return the registry, for the HTTP endpoint */
    PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Writes every metric in the Prometheus text format (0.0.4).
     *
     * @param out where to
     * @throws IOException when {@code out} fails
     */
    void writeText(OutputStream out) throws IOException {
        text.write(out, registry.scrape());
    }

    /** @return every metric in the Prometheus text format */
    String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeText(out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return per plugin: events, by outcome, seconds in events, PDK calls and their seconds (plugin.GetStatus) */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> byPlugin = new TreeMap<>();
        plugins.forEach((name, m) -> byPlugin.put(name, m.status()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Plugins", byPlugin);
        return result;
    }

    /** One plugin's data points, looked up once each. */
    private final class PluginMetrics implements PluginRecorder {
        private final String name;
        private final AtomicReferenceArray<DistributionDataPoint> durations =
                new AtomicReferenceArray<>(PHASES.length);
        private final AtomicReferenceArray<CounterDataPoint> outcomes =
                new AtomicReferenceArray<>(PHASES.length * OUTCOMES.length);
        private final Map<String, DistributionDataPoint> methods = new ConcurrentHashMap<>();

        PluginMetrics(String name) {
            this.name = name;
        }

        @Override
        public void eventEnded(Phase phase, EventEnd outcome, long durationNanos) {
            int p = phase.ordinal();
            DistributionDataPoint d = durations.get(p);
            if (d == null) {
                d = eventDuration.labelValues(name, phase.kongName());
                durations.set(p, d);
            }
            d.observe(durationNanos / 1e9);
            int i = p * OUTCOMES.length + outcome.ordinal();
            CounterDataPoint c = outcomes.get(i);
            if (c == null) {
                c = events.labelValues(name, phase.kongName(), outcome.label());
                outcomes.set(i, c);
            }
            c.inc();
        }

        @Override
        public void pdkCall(String method, long roundTripNanos) {
            DistributionDataPoint d = methods.get(method);
            if (d == null) {
                d = newMethod(method);
            }
            d.observe(roundTripNanos / 1e9);
        }

        private DistributionDataPoint newMethod(String method) {
            String label = methods.size() < MAX_METHODS ? method : OTHER;
            DistributionDataPoint d = pdkCalls.labelValues(name, label);
            DistributionDataPoint before = methods.putIfAbsent(method, d);
            return before != null ? before : d;
        }

        Map<String, Object> status() {
            Map<String, Object> s = new LinkedHashMap<>();
            long n = 0;
            double seconds = 0;
            for (int p = 0; p < PHASES.length; p++) {
                DistributionDataPoint d = durations.get(p);
                if (d != null) {
                    n += d.getCount();
                    seconds += d.getSum();
                }
            }
            Map<String, Object> byOutcome = new LinkedHashMap<>();
            for (EventEnd o : OUTCOMES) {
                long k = 0;
                for (int p = 0; p < PHASES.length; p++) {
                    CounterDataPoint c = outcomes.get(p * OUTCOMES.length + o.ordinal());
                    k += c == null ? 0 : c.getLongValue();
                }
                if (k > 0) {
                    byOutcome.put(o.label(), k);
                }
            }
            long calls = 0;
            double callSeconds = 0;
            for (DistributionDataPoint d : List.copyOf(new java.util.HashSet<>(methods.values()))) {
                calls += d.getCount();
                callSeconds += d.getSum();
            }
            s.put("Events", n);
            s.put("Outcomes", byOutcome);
            s.put("EventSeconds", seconds);
            s.put("PdkCalls", calls);
            s.put("PdkSeconds", callSeconds);
            return s;
        }
    }
}
