package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.dispatch.EventEnd;
import io.kjps.rpc.dispatch.EventRecorder;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.plugin.Phase;
import io.kjps.rpc.server.HandlerThreads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (docs/grafana) reads what the server exports: every metric named in one of its queries is
 * one the server's registry writes, or one of Kong's own Prometheus plugin.
 */
class DashboardTest {
    static final Path DASHBOARD = Path.of("../../docs/grafana/kong-java-pluginserver.json");

    /** Metrics of Kong's Prometheus plugin (Kong 3.x, with latency_metrics on) the dashboard may show beside ours. */
    static final Set<String> KONG_PLUGIN_METRICS = Set.of("kong_http_requests_total", "kong_kong_latency_ms_bucket",
            "kong_request_latency_ms_bucket", "kong_upstream_latency_ms_bucket");

    private static final Pattern METRIC = Pattern.compile("\\b(?:kong|jvm|process)_[a-zA-Z0-9_]+");

    @Test
    void everyQueryNamesAMetricTheServerExports() throws Exception {
        Set<String> exported = exportedNames();
        List<String> queries = new ArrayList<>();
        JsonObject dashboard = JsonParser.parseString(Files.readString(DASHBOARD, StandardCharsets.UTF_8))
                .getAsJsonObject();
        collectQueries(dashboard, queries);
        assertTrue(queries.size() >= 15, queries.toString());
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            boolean any = false;
            while (m.find()) {
                String name = m.group();
                any = true;
                used.add(name);
                if (name.startsWith(Metrics.PREFIX) || !name.startsWith("kong_")) {
                    assertTrue(exported.contains(name), name + " in " + q + " is not exported; exported: " + exported);
                } else {
                    assertTrue(KONG_PLUGIN_METRICS.contains(name), name + " in " + q + " is not Kong's either");
                }
            }
            assertTrue(any, "a query that names no metric: " + q);
        }
        // what the dashboard is for: requests per plugin, p50/p99, round trips per event, errors, updates, roll-backs
        for (String needed : List.of(Metrics.PREFIX + "event_duration_seconds_count",
                Metrics.PREFIX + "event_duration_seconds_bucket", Metrics.PREFIX + "pdk_call_duration_seconds_count",
                Metrics.PREFIX + "events_total", Metrics.PREFIX + "bundle_updates_total",
                Metrics.PREFIX + "bundle_rollbacks_total", "kong_http_requests_total")) {
            assertTrue(used.contains(needed), needed + " is on no panel: " + used);
        }
        assertEquals(2, queries.stream().filter(q -> q.startsWith("histogram_quantile(0.99, sum by (plugin,")).count(),
                "p99 of events and of PDK calls");
    }

    /** @return every sample name the registry writes, with a histogram's _bucket, _count and _sum */
    private static Set<String> exportedNames() throws Exception {
        ExecutorService threads = HandlerThreads.create("dashboard-test-", 4);
        try {
            Metrics m = new Metrics();
            PluginRegistry registry = new PluginRegistry();
            registry.register(new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"p\",\"Version\":\"1.0.0\","
                    + "\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},\"Handler\":\"p.P\","
                    + "\"ConfigType\":null}"), new KongPhaseHandler<Object>() { }, ConfigDecoder.forType(null), "test"),
                    "test");
            m.watch(new Dispatcher(registry, threads, DispatcherSettings.DEFAULT), () -> 1, () -> 1L);
            EventRecorder.PluginRecorder p = m.plugin("p");
            p.eventEnded(Phase.ACCESS, EventEnd.RET, 1000);
            p.pdkCall("kong.request.get_header", 1000);
            m.instanceStarted("p");
            m.instanceClosed("p", false);
            m.bundleUpdated("b");
            m.bundleRolledBack("b");
            m.bundleRefused("b");
            Set<String> names = new TreeSet<>();
            for (String line : m.text().split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    names.add(parts[2]);
                    if (parts[3].equals("histogram") || parts[3].equals("summary")) {
                        names.addAll(List.of(parts[2] + "_bucket", parts[2] + "_count", parts[2] + "_sum"));
                    }
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            return names;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void collectQueries(JsonElement e, List<String> out) {
        if (e.isJsonObject()) {
            for (var entry : e.getAsJsonObject().entrySet()) {
                JsonElement v = entry.getValue();
                if ((entry.getKey().equals("expr") || entry.getKey().equals("definition")) && v.isJsonPrimitive()) {
                    out.add(v.getAsString());
                } else {
                    collectQueries(v, out);
                }
            }
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectQueries(x, out));
        }
    }
}
