package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.PdkHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics end to end: events of several plugins through the socket, then the opt-in HTTP endpoint,
 * {@code kong:metrics} in the shell and {@code plugin.GetStatus} must count exactly what was sent, with each event's
 * duration in the right histogram bucket; a slow event logs its PDK calls; a failed update counts as an update, a
 * roll-back and a refusal of its bundle.
 */
class MetricsIT {
    private static final String P = "kong_java_pluginserver_";
    private static final String HOTSWAP = "io.kjps.kong-java-pluginserver-sample-hotswap";
    private static final long KONG_DELAY_MS = 300;

    @Test
    void everyEventIsCountedByPluginPhaseAndOutcomeInEveryExposition() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = ServerProcess.deployWithFaulty(prefix);
        PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswap("good"));
        String opts = "-Dkjps.metrics.http=127.0.0.1:0 -Dkjps.slow.event.ms=250 -Dkjps.handler.timeout.ms=400";
        try (ServerProcess server = ServerProcess.start(prefix, opts, List.of("-deploy", deploy.toString()),
                "hello", "block", "faulty", "hotswap");
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 4, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            Pattern endpoint = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");
            ServerProcess.await("the endpoint is logged", Duration.ofSeconds(10),
                    () -> endpoint.matcher(server.logText()).find());
            Matcher url = endpoint.matcher(server.logText());
            assertTrue(url.find());
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long hello = kong.startInstance("hello", "{\"greeting\":\"hey\"}");
            long block = kong.startInstance("block", "{}");
            long faulty = kong.startInstance("faulty", "{}");
            for (int i = 0; i < 30; i++) {
                assertEquals(EventOutcome.Ending.RET, kong.handleEvent(hello, "access",
                        FakeRequest.builder().header("x-name", "n" + i).build()).ending());
            }
            for (int i = 0; i < 12; i++) {
                FakeRequest.Builder r = FakeRequest.builder();
                if (i < 7) {
                    r.header("x-block", "yes");
                }
                assertEquals(i < 7 ? EventOutcome.Ending.EXIT : EventOutcome.Ending.RET,
                        kong.handleEvent(block, "access", r.build()).ending());
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(EventOutcome.Ending.ERROR, kong.handleEvent(faulty, "access",
                        FakeRequest.builder().header("x-fault", "throw").build()).ending());
            }
            // past the handler timeout: answered by the failure policy
            assertEquals(EventOutcome.Ending.ERROR, kong.handleEvent(faulty, "access",
                    FakeRequest.builder().header("x-fault", "block").build()).ending());
            // Kong takes 300 ms to answer the first PDK call of one event: it is slow, and the log says where
            FakeRequest slow = FakeRequest.builder().header("x-name", "slow").build();
            PdkHandler slowKong = new PdkHandler() {
                private boolean first = true;

                @Override
                public io.kjps.emulator.PdkResult call(String phase, String method, List<Object> args) {
                    if (first) {
                        first = false;
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KONG_DELAY_MS);
                        while (System.nanoTime() - until < 0) {
                            Thread.onSpinWait(); // the delay under test, not a wait for the server
                        }
                    }
                    return slow.call(phase, method, args);
                }
            };
            assertEquals(EventOutcome.Ending.RET, kong.handleEvent(hello, "access", slowKong).ending());
            kong.closeInstance(block);

            // a failed update: refused (a version Kong rejects), counted, rolled back
            PluginJars.deploy(deploy, "hotswap.jar", PluginJars.hotswapVersion("v", "1.0.0.0"));
            ServerProcess.await("the bad update is rolled back", Duration.ofSeconds(30),
                    () -> server.logText().contains("rolled back bundle "));
            ServerProcess.await("the faulty event that timed out has returned", Duration.ofSeconds(30),
                    () -> server.logText().contains("ended timeout"));
            ServerProcess.await("nothing in flight", Duration.ofSeconds(10),
                    () -> ((Map<?, ?>) kong.client().call("plugin.GetStatus", null)).get("Events").equals(0L));

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
                    scrape.headers().toString());
            Map<String, Double> http = samples(scrape.body());

            assertEquals(31.0, http.get(P + "events_total{outcome=\"ret\",phase=\"access\",plugin=\"hello\"}"));
            assertEquals(7.0, http.get(P + "events_total{outcome=\"exit\",phase=\"access\",plugin=\"block\"}"));
            assertEquals(5.0, http.get(P + "events_total{outcome=\"ret\",phase=\"access\",plugin=\"block\"}"));
            assertEquals(4.0, http.get(P + "events_total{outcome=\"error\",phase=\"access\",plugin=\"faulty\"}"));
            assertEquals(1.0, http.get(P + "events_total{outcome=\"timeout\",phase=\"access\",plugin=\"faulty\"}"));
            assertEquals(5, http.keySet().stream().filter(k -> k.startsWith(P + "events_total{")).count(), "no other outcome");

            String hello31 = P + "event_duration_seconds_bucket{phase=\"access\",plugin=\"hello\",le=\"";
            assertEquals(31.0, http.get(hello31 + "+Inf\"}"));
            assertEquals(31.0, http.get(P + "event_duration_seconds_count{phase=\"access\",plugin=\"hello\"}"));
            assertEquals(30.0, http.get(hello31 + "0.25\"}"), "only the slow event took longer than 250 ms");
            assertEquals(31.0, http.get(hello31 + "10.0\"}"));
            String faultyBuckets = P + "event_duration_seconds_bucket{phase=\"access\",plugin=\"faulty\",le=\"";
            assertEquals(5.0, http.get(faultyBuckets + "+Inf\"}"));
            assertEquals(4.0, http.get(faultyBuckets + "0.25\"}"), "the timed-out event took its 400 ms");
            assertEquals(12.0, http.get(P + "event_duration_seconds_count{phase=\"access\",plugin=\"block\"}"));

            assertEquals(31.0, http.get(P + "pdk_call_duration_seconds_count{method=\"kong.request.get_header\","
                    + "plugin=\"hello\"}"));
            assertEquals(62.0, http.get(P + "pdk_call_duration_seconds_count{method=\"kong.response.set_header\","
                    + "plugin=\"hello\"}"));
            String getHeader = P + "pdk_call_duration_seconds_bucket{method=\"kong.request.get_header\","
                    + "plugin=\"hello\",le=\"";
            assertEquals(30.0, http.get(getHeader + "0.25\"}"), "one get_header took Kong 300 ms");
            assertEquals(31.0, http.get(getHeader + "0.5\"}"));
            assertEquals(12.0, http.get(P + "pdk_call_duration_seconds_count{method=\"kong.request.get_header\","
                    + "plugin=\"block\"}"), "the terminal exit has no round trip");
            assertEquals(null, http.get(P + "pdk_call_duration_seconds_count{method=\"kong.response.exit\","
                    + "plugin=\"block\"}"));

            assertEquals(1.0, http.get(P + "instance_starts_total{plugin=\"hello\"}"));
            assertEquals(1.0, http.get(P + "instance_closes_total{plugin=\"block\",reason=\"kong\"}"));
            assertEquals(1.0, http.get(P + "instances{plugin=\"hello\"}"));
            assertEquals(0.0, http.get(P + "instances{plugin=\"block\"}"), "closed; served plugins show 0");
            assertEquals(0.0, http.get(P + "events_in_flight{phase=\"access\",plugin=\"hello\"}"));
            assertTrue(http.get(P + "connections") >= 1, http.toString());
            assertTrue(http.get(P + "connections_accepted_total") >= 1, http.toString());
            assertEquals(1.0, http.get(P + "bundle_updates_total{bundle=\"" + HOTSWAP + "\"}"));
            assertEquals(1.0, http.get(P + "bundle_rollbacks_total{bundle=\"" + HOTSWAP + "\"}"));
            assertEquals(1.0, http.get(P + "bundle_refusals_total{bundle=\"" + HOTSWAP + "\"}"));
            assertTrue(http.get("jvm_memory_used_bytes{area=\"heap\"}") > 0, http.toString());
            assertTrue(http.get("jvm_threads_current") > 0, http.toString());
            assertTrue(http.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collection_seconds_count{")));

            // the shell prints the same families; the event counts are the same (nothing ran in between)
            CommandResult shell = ShellIT.shell(prefix, "kong:metrics");
            assertEquals(0, shell.status(), shell.toString());
            Map<String, Double> printed = samples(shell.out());
            assertEquals(only(http, P + "event"), only(printed, P + "event"));
            assertEquals(only(http, P + "pdk_call"), only(printed, P + "pdk_call"));
            assertEquals(only(http, P + "bundle"), only(printed, P + "bundle"));

            // plugin.GetStatus: the JS and Python servers' answer, plus these figures
            Map<?, ?> status = (Map<?, ?>) kong.client().call("plugin.GetStatus", null);
            Map<?, ?> helloStatus = (Map<?, ?>) ((Map<?, ?>) status.get("Plugins")).get("hello");
            assertEquals("hello", helloStatus.get("Name"));
            assertEquals(1, ((List<?>) helloStatus.get("Instances")).size());
            Map<?, ?> figures = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) status.get("Metrics")).get("Plugins"))
                    .get("hello");
            assertEquals(31L, figures.get("Events"));
            assertEquals(Map.of("ret", 31L), figures.get("Outcomes"));
            assertEquals(93L, figures.get("PdkCalls"));

            String log = server.logText();
            Matcher slowLine = Pattern.compile("WARN  \\[Event\\] slow event: plugin hello 0\\.1\\.0 \\(bundle [^)]*\\) "
                    + "access \\(event \\d+, instance " + hello + "\\) took \\d+\\.\\d{3} ms \\(over 250 ms\\), ended "
                    + "ret; 3 PDK calls, \\d+\\.\\d{3} ms in Kong: kong\\.request\\.get_header (\\d+)\\.\\d{3} ms, "
                    + "kong\\.response\\.set_header \\d+\\.\\d{3} ms, kong\\.response\\.set_header \\d+\\.\\d{3} ms")
                    .matcher(log);
            assertTrue(slowLine.find(), log);
            assertTrue(Long.parseLong(slowLine.group(1)) >= KONG_DELAY_MS, slowLine.group());
            assertEquals(1, log.split("slow event: plugin hello ", -1).length - 1, "fast events log nothing");
            assertTrue(log.contains("slow event: plugin faulty "), log);
            assertEquals(0, server.stop());
        }
    }

    @Test
    void aUnixSocketPathServesTheSameMetricsToTheOwnerOnly() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path socket = prefix.resolve("metrics.sock");
        try (ServerProcess server = ServerProcess.start(prefix, "-Dkjps.metrics.http=" + socket, "hello");
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long hello = kong.startInstance("hello", "{}");
            for (int i = 0; i < 3; i++) {
                kong.handleEvent(hello, "access", FakeRequest.builder().build());
            }
            ServerProcess.await("the endpoint is logged", Duration.ofSeconds(10), () -> server.logText()
                    .contains("metrics on unix socket " + socket + " (GET /metrics, mode rw-------)"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(socket)));
            String answer;
            try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(socket))) {
                c.write(java.nio.ByteBuffer.wrap("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)));
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(65_536);
                while (c.read(buf) >= 0) {
                    all.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                answer = all.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4"), answer);
            Map<String, Double> metrics = samples(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(3.0, metrics.get(P + "events_total{outcome=\"ret\",phase=\"access\",plugin=\"hello\"}"));
            assertEquals(0, server.stop());
            assertTrue(!java.nio.file.Files.exists(socket), "the socket file goes with the server");
        }
    }

    @Test
    void aPublicAddressIsRefusedWithAPreciseErrorAndKongIsStillServed() throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(), "-Dkjps.metrics.http=0.0.0.0:0",
                "hello");
             KongConnectionPool pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO,
                     Duration.ofSeconds(30))) {
            // the launcher logs this once the socket component has activated (endpoint included) and says ready
            ServerProcess.await("the launcher says the server is up", Duration.ofSeconds(10),
                    () -> server.logText().contains("bundles, started in "));
            String log = server.logText();
            assertTrue(log.contains("ERROR [PluginSocketComponent] kjps.metrics.http=0.0.0.0:0 is not a loopback "
                    + "address: the metrics are not served over HTTP. Serve them on 127.0.0.1, or set "
                    + "kjps.metrics.http.public=true to expose them on 0.0.0.0"), log);
            assertTrue(!log.contains("metrics on "), log);
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            assertEquals(EventOutcome.Ending.RET, kong.handleEvent(kong.startInstance("hello", "{}"), "access",
                    FakeRequest.builder().build()).ending());
            assertTrue(ShellIT.shell(server.prefix(), "kong:metrics").out().contains(P + "events_total{"),
                    "the shell still prints them");
            assertEquals(0, server.stop());
        }
    }

    /** @return each sample line of the Prometheus text format: name with labels -> value */
    static Map<String, Double> samples(String text) {
        Map<String, Double> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return m;
    }

    private static Map<String, Double> only(Map<String, Double> samples, String prefix) {
        Map<String, Double> m = new TreeMap<>(samples);
        m.keySet().removeIf(k -> !k.startsWith(prefix));
        assertTrue(!m.isEmpty(), prefix);
        return m;
    }
}
