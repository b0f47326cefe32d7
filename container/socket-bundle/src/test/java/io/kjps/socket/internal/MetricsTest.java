package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.rpc.dispatch.EventEnd;
import io.kjps.rpc.dispatch.EventRecorder;
import io.kjps.rpc.plugin.Phase;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void eventsAndPdkCallsAreExportedPerPluginPhaseAndOutcomeInBaseUnits() {
        Metrics m = new Metrics();
        EventRecorder.PluginRecorder hello = m.plugin("hello");
        hello.pdkCall("kong.request.get_header", TimeUnit.MICROSECONDS.toNanos(300));
        hello.eventEnded(Phase.ACCESS, EventEnd.RET, TimeUnit.MILLISECONDS.toNanos(2));
        hello.eventEnded(Phase.ACCESS, EventEnd.EXIT, TimeUnit.MILLISECONDS.toNanos(700));
        m.plugin("block").eventEnded(Phase.LOG, EventEnd.TIMEOUT, TimeUnit.SECONDS.toNanos(31));
        m.instanceStarted("hello");
        m.instanceClosed("hello", true);
        m.bundleUpdated("io.example.hello");
        String text = m.text();
        assertTrue(text.contains("kong_java_pluginserver_event_duration_seconds_bucket{phase=\"access\",plugin=\"hello\","
                + "le=\"0.0025\"} 1\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_event_duration_seconds_bucket{phase=\"access\",plugin=\"hello\","
                + "le=\"1.0\"} 2\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_event_duration_seconds_count{phase=\"access\",plugin=\"hello\"} 2\n"),
                text);
        assertTrue(text.contains("kong_java_pluginserver_event_duration_seconds_bucket{phase=\"log\",plugin=\"block\","
                + "le=\"30.0\"} 0\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_events_total{outcome=\"exit\",phase=\"access\",plugin=\"hello\"} 1.0\n"),
                text);
        assertTrue(text.contains("kong_java_pluginserver_events_total{outcome=\"timeout\",phase=\"log\",plugin=\"block\"} 1.0\n"),
                text);
        assertTrue(text.contains("kong_java_pluginserver_pdk_call_duration_seconds_bucket{method=\"kong.request.get_header\","
                + "plugin=\"hello\",le=\"5.0E-4\"} 1\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_instance_starts_total{plugin=\"hello\"} 1.0\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_instance_closes_total{plugin=\"hello\",reason=\"idle\"} 1.0\n"), text);
        assertTrue(text.contains("kong_java_pluginserver_bundle_updates_total{bundle=\"io.example.hello\"} 1.0\n"), text);
        assertTrue(text.contains("\njvm_memory_used_bytes{area=\"heap\"} "), text);
        assertTrue(text.contains("\njvm_threads_current "), text);

        Map<?, ?> plugins = (Map<?, ?>) m.status().get("Plugins");
        Map<?, ?> status = (Map<?, ?>) plugins.get("hello");
        assertEquals(2L, status.get("Events"));
        assertEquals(Map.of("ret", 1L, "exit", 1L), status.get("Outcomes"));
        assertEquals(1L, status.get("PdkCalls"));
        assertEquals(0.702, (Double) status.get("EventSeconds"), 1e-9);
    }

    @Test
    void aPluginsMethodLabelsAreCapped() {
        Metrics m = new Metrics();
        EventRecorder.PluginRecorder p = m.plugin("raw");
        for (int i = 0; i < Metrics.MAX_METHODS + 10; i++) {
            p.pdkCall("kong.x.m" + i, 1000);
        }
        String text = m.text();
        assertEquals(Metrics.MAX_METHODS + 1,
                text.split("\nkong_java_pluginserver_pdk_call_duration_seconds_count\\{", -1).length - 1, text);
        assertTrue(text.contains("_count{method=\"other\",plugin=\"raw\"} 10\n"), text);
    }

    @Test
    void recordingAnEventAllocatesNothingOnceWarm() {
        Metrics m = new Metrics();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int n = 200_000;
        // when the JIT has compiled the recording path (sooner or later, by the machine's load), a round of n events
        // allocates nothing: rounds go on until one does, for at most 30 rounds
        List<Long> rounds = new java.util.ArrayList<>();
        for (int round = 0; round < 30; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            record(m, n);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            rounds.add(allocated);
            if (allocated < n / 10) {
                return;
            }
        }
        throw new AssertionError("no round of " + n + " events with two PDK calls each stayed under " + n / 10
                + " bytes: " + rounds);
    }

    private static void record(Metrics m, int n) {
        for (int i = 0; i < n; i++) {
            EventRecorder.PluginRecorder p = m.plugin(i % 2 == 0 ? "hello" : "block");
            p.pdkCall("kong.request.get_header", 40_000 + i);
            p.pdkCall("kong.response.set_header", 40_000 + i);
            p.eventEnded(Phase.ACCESS, (i & 7) == 0 ? EventEnd.EXIT : EventEnd.RET, 100_000 + i);
        }
    }
}
