package io.kjps.emulator;

import static io.kjps.emulator.ScriptedPlugin.list;
import static io.kjps.emulator.ScriptedPlugin.pdk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.internal.JsonForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KongEmulatorTest {
    @TempDir
    Path tmp;

    private Path sock() {
        return tmp.resolve("e.sock");
    }

    private static String recordedConfig(Path file) {
        Map<?, ?> start = Conversations.messages(file, "kong->server").get(0);
        List<?> msg = (List<?>) JsonForm.toJava(start.get("msg"));
        return (String) ((Map<?, ?>) ((List<?>) msg.get(3)).get(0)).get("Config");
    }

    @Test
    void helloAliceWithAFakeRequest() throws Exception {
        Path file = Conversations.file("hello-alice.jsonl");
        try (TestServer s = new TestServer(sock(), new Canned(file));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin hello = new KongEmulator(new KongClient(pool)).plugin("hello", recordedConfig(file));
            FakeRequest req = FakeRequest.builder().uri("/anything?q=1").header("x-name", "Alice")
                    .upstreamHeader("x-echo-upstream", "1").build();
            EventOutcome o = hello.handleEvent("access", req);
            assertEquals(EventOutcome.Ending.RET, o.ending());
            assertEquals(0L, o.eventId());
            assertEquals(List.of("kong.request.get_header", "kong.response.set_header",
                    "kong.response.set_header"), o.methods());
            assertEquals(List.of("x-name"), o.calls().get(0).args());
            assertEquals(0L, hello.cachedInstanceId());
            assertEquals(200, req.status());
            assertEquals("hello Alice", req.responseHeader("X-Hello"));
            assertEquals("hi", req.responseHeader("x-hello-greeting"));
            assertEquals("1", req.responseHeader("x-echo-upstream"));
            List<Map<?, ?>> kong = Conversations.messages(file, "kong->server");
            assertEquals(kong.size(), s.received.size());
            for (int i = 0; i < kong.size(); i++) { // hello-alice's key order happens to be ours: exact bytes
                assertArrayEquals(Conversations.hex(kong.get(i)), s.received.get(i).raw(), "seq " + kong.get(i)
                        .get("seq"));
            }
        }
    }

    @Test
    void aNilPdkResultIsAStepWithoutData() throws Exception {
        Path file = Conversations.file("hello-noname.jsonl");
        try (TestServer s = new TestServer(sock(), new Canned(file));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin hello = new KongEmulator(new KongClient(pool)).plugin("hello", recordedConfig(file));
            FakeRequest req = FakeRequest.builder().build();
            assertEquals(EventOutcome.Ending.RET, hello.handleEvent("access", req).ending());
            assertEquals("hello undefined", req.responseHeader("x-hello")); // the JS plugin's rendering of nil
            assertEquals("940003ab706c7567696e2e537465709181a74576656e74496400",
                    HexFormat.of().formatHex(s.received.get(2).raw()));
        }
    }

    @Test
    void exitIsTerminalAndTheConnectionIsReusedAtOnce() throws Exception {
        Path file = Conversations.file("block.jsonl");
        try (TestServer s = new TestServer(sock(), new Canned(file));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin block = new KongEmulator(new KongClient(pool)).plugin("block", recordedConfig(file));
            FakeRequest first = FakeRequest.builder().header("x-block", "1").build();
            EventOutcome o = block.handleEvent("access", first);
            assertEquals(EventOutcome.Ending.EXIT, o.ending());
            assertEquals("kong.response.exit", o.terminalCall().method());
            assertEquals(List.of(403L, "denied", Map.of("x-why", "test")), o.terminalArgs());
            assertEquals(1, pool.idleCount(), "back in the pool before exit runs");
            assertEquals(0, pool.busyCount());
            assertEquals(403, first.status());
            assertEquals("denied", first.responseBodyText());
            assertEquals("test", first.responseHeader("x-why"));
            assertNull(first.responseHeader("x-echo-upstream"));
            assertTrue(first.exited());
            assertEquals(3, s.received.size(), "nothing sent after the exit request");

            FakeRequest second = FakeRequest.builder().path("/after-block").header("x-name", "Bob").build();
            assertEquals(EventOutcome.Ending.RET, block.handleEvent("access", second).ending());
            assertEquals(1, s.accepted(), "the next request's HandleEvent reuses connection 1");
            assertEquals(1, pool.openedCount());
            assertEquals(List.of(1, 1, 1, 1, 1), s.received.stream().map(TestServer.Received::conn).toList());
            assertEquals(4L, s.received.get(3).msgid());
            assertEquals(200, second.status());
        }
    }

    @Test
    void roundRobinPutsTheStepsOfOneEventOnDifferentConnections() throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list(pdk("kong.request.get_method"),
                pdk("kong.request.get_path"), pdk("kong.request.get_header", "x-a")));
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock(), 3, KongConnectionPool.Policy.ROUND_ROBIN,
                     KongConnectionPool.DEFAULT_TIMEOUT)) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            long id = emu.startInstance("p", "{}");
            s.received.clear();
            FakeRequest req = FakeRequest.builder().method("POST").path("/x").header("x-a", "A").build();
            EventOutcome o = emu.handleEvent(id, "access", req);
            assertEquals(EventOutcome.Ending.RET, o.ending());
            List<Integer> conns = s.received.stream().map(TestServer.Received::conn).toList();
            assertEquals(4, conns.size()); // HandleEvent + 3 Steps
            for (int i = 1; i < conns.size(); i++) {
                assertNotEquals(conns.get(i - 1), conns.get(i), "consecutive calls of one event: " + conns);
            }
            assertEquals("POST", ((Map<?, ?>) s.received.get(1).param()).get("Data"));
            assertEquals("/x", ((Map<?, ?>) s.received.get(2).param()).get("Data"));
            assertEquals("A", ((Map<?, ?>) s.received.get(3).param()).get("Data"));
        }
    }

    @Test
    void noPluginInstanceResetsStartsAgainAndRetries() throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list(pdk("kong.request.get_method")));
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            ConfiguredPlugin p = emu.plugin("p", "{\"__seq__\":1}");
            ConfiguredPlugin sibling = emu.plugin("p", "{\"__seq__\":2}");
            ConfiguredPlugin other = emu.plugin("q", "{}");
            FakeRequest req = FakeRequest.builder().build();
            assertEquals(0, p.handleEvent("access", req).instanceRetries());
            assertEquals(1L, sibling.instanceId());
            assertEquals(2L, other.instanceId());
            plugin.restart(); // the server lost its instances
            s.received.clear();
            EventOutcome o = p.handleEvent("access", req);
            assertEquals(EventOutcome.Ending.RET, o.ending());
            assertEquals(1, o.instanceRetries());
            assertEquals(List.of("plugin.HandleEvent", "plugin.StartInstance", "plugin.HandleEvent", "plugin.Step"),
                    s.methods());
            assertEquals(List.of(1, 1, 1, 1), s.received.stream().map(TestServer.Received::conn).toList(),
                    "retried on the same connection");
            assertEquals(3L, p.cachedInstanceId());
            assertNull(sibling.cachedInstanceId(), "Kong 3.7+: every instance of the plugin is dropped");
            assertEquals(2L, other.cachedInstanceId(), "other plugins keep theirs");
        }
    }

    @Test
    void instanceRetriesAreBounded() throws Exception {
        try (TestServer s = new TestServer(sock(), r -> r.method().equals("plugin.StartInstance")
                ? TestServer.answer(r.msgid(), Map.of("Id", 7))
                : List.of(TestServer.response(r.msgid(), "No plugin instance 7", null)));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin p = new KongEmulator(new KongClient(pool)).plugin("p", "{}");
            KongRpcException e = assertThrows(KongRpcException.class,
                    () -> p.handleEvent("access", FakeRequest.builder().build()));
            assertTrue(e.isNoPluginInstance());
            int starts = (int) s.methods().stream().filter("plugin.StartInstance"::equals).count();
            assertEquals(KongEmulator.MAX_INSTANCE_RETRIES + 1, starts);
        }
    }

    @Test
    void configChangeStartsTheNewInstanceThenClosesTheOld() throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list());
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin p = new KongEmulator(new KongClient(pool)).plugin("p", "{\"greeting\":\"one\"}");
            p.handleEvent("access", FakeRequest.builder().build());
            p.setConfig("{\"greeting\":\"two\"}");
            s.received.clear();
            p.handleEvent("access", FakeRequest.builder().build());
            assertEquals(List.of("plugin.StartInstance", "plugin.CloseInstance", "plugin.HandleEvent"), s.methods());
            assertEquals("{\"greeting\":\"two\"}", ((Map<?, ?>) s.received.get(0).param()).get("Config"));
            assertTrue(HexFormat.of().formatHex(s.received.get(1).raw()).endsWith("9100"), "CloseInstance [0]");
            assertEquals(1L, p.cachedInstanceId());
            assertEquals(java.util.Set.of(1L), plugin.instances);
        }
    }

    @Test
    void aChangedServerPidDropsTheCachedInstances() throws Exception {
        long[] pid = {100};
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list());
        try (TestServer s = new TestServer(sock(), plugin, conn -> TestServer.serverPid(pid[0]));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            ConfiguredPlugin p = new KongEmulator(new KongClient(pool)).plugin("p", "{}");
            p.handleEvent("access", FakeRequest.builder().build());
            assertEquals(0L, p.cachedInstanceId());
            pid[0] = 200;
            s.closeConnections();
            p.handleEvent("access", FakeRequest.builder().build()); // learns the new pid on a new connection
            assertNull(p.cachedInstanceId());
            p.handleEvent("access", FakeRequest.builder().build());
            assertEquals(1L, p.cachedInstanceId());
            assertEquals(2, s.methods().stream().filter("plugin.StartInstance"::equals).count());
        }
    }

    @Test
    void stepMethodsAndValueFixUps() throws Exception {
        Map<String, Object> withMethod = new LinkedHashMap<>();
        withMethod.put("_method", "plugin.StepCustom");
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list(
                pdk("kong.request.get_query"), pdk("kong.request.get_query"), pdk("kong.request.get_headers"),
                pdk("kong.request.get_raw_body"), pdk("kong.client.get_credential"),
                pdk("kong.client.authenticate"), pdk("kong.router.get_route"), pdk("kong.router.get_service"),
                pdk("kong.node.get_memory_stats"), pdk("kong.client.load_consumer", "x"),
                pdk("custom.table"), pdk("kong.nonexistent")));
        Map<String, PdkResult> answers = new ConcurrentHashMap<>();
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("a", "1");
        query.put("flag", true);
        query.put("b", List.of("2", "3"));
        query.put("rf", List.of(true, true));
        int[] queries = {0};
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            long id = emu.startInstance("p", "{}");
            s.received.clear();
            EventOutcome o = emu.handleEvent(id, "access", (phase, method, args) -> switch (method) {
                case "kong.request.get_query" -> PdkResult.of(queries[0]++ == 0 ? query : Map.of());
                case "kong.request.get_headers" -> PdkResult.of(Map.of("x-multi", List.of("a", "b")));
                case "kong.request.get_raw_body" -> PdkResult.of("body\u00e9");
                case "kong.node.get_memory_stats" -> PdkResult.of(Map.of("workers_lua_vms", List.of()));
                case "custom.table" -> PdkResult.of(withMethod);
                default -> answers.getOrDefault(method, PdkResult.nil());
            });
            assertEquals(EventOutcome.Ending.RET, o.ending());
            List<String> stepMethods = s.methods();
            assertEquals(List.of("plugin.HandleEvent", "plugin.StepMultiMap", "plugin.StepMultiMap",
                    "plugin.StepMultiMap", "plugin.Step", "plugin.StepCredential", "plugin.StepCredential",
                    "plugin.StepRoute", "plugin.StepService", "plugin.StepMemoryStats", "plugin.StepConsumer",
                    "plugin.StepCustom", "plugin.Step"), stepMethods);
            String q = HexFormat.of().formatHex(s.received.get(1).raw());
            // {"a":["1"],"flag":[],"b":["2","3"],"rf":[true,true]}
            assertTrue(q.contains("84a16191a131a4666c616790a16292a132a133a2726692c3c3"), q);
            assertTrue(HexFormat.of().formatHex(s.received.get(2).raw()).contains("a44461746180"),
                    "empty multimap is an explicit empty map");
            assertEquals(Map.of("x-multi", List.of("a", "b")), ((Map<?, ?>) s.received.get(3).param()).get("Data"));
            assertArrayEquals("body\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    (byte[]) ((Map<?, ?>) s.received.get(4).param()).get("Data"), "raw body as bin");
            assertTrue(HexFormat.of().formatHex(s.received.get(4).raw()).contains("c406"));
            assertEquals(Map.of("EventId", 0L), s.received.get(5).param(), "nil credential: no Data");
        }
    }

    @Test
    void kong2ModeSendsStepErrorAndRawBodiesAsStr() throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list(pdk("kong.request.get_body"),
                pdk("kong.request.get_raw_body")));
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongEmulator emu = new KongEmulator(new KongClient(pool), KongEmulator.KongLine.KONG_2);
            long id = emu.startInstance("p", "{}");
            s.received.clear();
            FakeRequest req = FakeRequest.builder().body("abc").build(); // no content type
            emu.handleEvent(id, "access", req);
            assertEquals("plugin.StepError", s.received.get(1).method());
            assertEquals(Map.of("Data", "missing content type", "EventId", 0L), s.received.get(1).param());
            assertEquals("abc", ((Map<?, ?>) s.received.get(2).param()).get("Data"));
        }
        Path sock3 = tmp.resolve("e3.sock");
        try (TestServer s = new TestServer(sock3, new ScriptedPlugin(phase -> list(pdk("kong.request.get_body"))));
             KongConnectionPool pool = new KongConnectionPool(sock3)) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            emu.handleEvent(emu.startInstance("p", "{}"), "access", FakeRequest.builder().body("abc").build());
            assertEquals("plugin.Step", s.received.get(2).method());
            assertEquals(Map.of("EventId", 0L), s.received.get(2).param(), "3.x drops the error text");
        }
    }

    @Test
    void aRaisingPdkCallAbandonsTheEventSilently() throws Exception {
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> phase.equals("access")
                ? list(pdk("kong.response.set_header", 42, "x"), pdk("kong.request.get_method"))
                : list(pdk("kong.response.exit", 200)));
        try (TestServer s = new TestServer(sock(), plugin);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            long id = emu.startInstance("p", "{}");
            FakeRequest req = FakeRequest.builder().build();
            EventOutcome o = emu.handleEvent(id, "access", req);
            assertEquals(EventOutcome.Ending.ABANDONED, o.ending());
            assertEquals("invalid header name \"42\": got number, expected string", o.abandonReason());
            assertEquals(List.of(42L, "x"), o.terminalArgs());
            assertEquals(2, s.received.size(), "nothing sent after the raising call");
            EventOutcome log = emu.handleEvent(id, "log", req); // exit raises in the log phase
            assertEquals(EventOutcome.Ending.ABANDONED, log.ending());
            assertEquals(1, s.accepted());
        }
    }

    @Test
    void malformedStepDataIsAProtocolError() throws Exception {
        List<Object> bad = new ArrayList<>();
        bad.add(42);
        bad.add(Map.of("Args", List.of()));
        bad.add(Map.of("Method", "kong.request.get_method", "Args", "x"));
        for (Object data : bad) {
            Path sk = tmp.resolve("m" + bad.indexOf(data) + ".sock");
            try (TestServer s = new TestServer(sk, new ScriptedPlugin(phase -> list(data)));
                 KongConnectionPool pool = new KongConnectionPool(sk)) {
                KongEmulator emu = new KongEmulator(new KongClient(pool));
                long id = emu.startInstance("p", "{}");
                assertThrows(KongProtocolException.class,
                        () -> emu.handleEvent(id, "access", FakeRequest.builder().build()), String.valueOf(data));
            }
        }
    }

    @Test
    void argsAreLuaValuesAndMissingArgsAreNoArgs() throws Exception {
        Map<String, Object> noArgs = new LinkedHashMap<>();
        noArgs.put("Method", "kong.request.get_method");
        Map<String, Object> emptyMapArgs = new LinkedHashMap<>();
        emptyMapArgs.put("Method", "kong.log.notice");
        emptyMapArgs.put("Args", KongPacker.explicitMap(Map.of()));
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("Method", "kong.log.err");
        odd.put("Args", java.util.Arrays.asList(new byte[] {'b', 'i', 'n'}, "EXT", null));
        ScriptedPlugin plugin = new ScriptedPlugin(phase -> list(noArgs, emptyMapArgs, odd));
        TestServer.Handler withExt = r -> {
            List<byte[]> a = plugin.answer(r);
            // swap the fixstr "EXT" (a3 45 58 54) for an ext value (d4 01 00): Kong's unpacker makes it nil
            String h = HexFormat.of().formatHex(a.get(0)).replace("a3455854", "d40100");
            return List.of(HexFormat.of().parseHex(h));
        };
        try (TestServer s = new TestServer(sock(), withExt);
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongEmulator emu = new KongEmulator(new KongClient(pool));
            long id = emu.startInstance("p", "{}");
            EventOutcome o = emu.handleEvent(id, "access", FakeRequest.builder().build());
            assertEquals(EventOutcome.Ending.RET, o.ending());
            assertEquals(List.of(), o.calls().get(0).args());
            assertEquals(List.of(), o.calls().get(1).args());
            assertEquals(List.of("bin"), o.calls().get(2).args(),
                    "bin is a Lua string, ext is nil, trailing nils dropped");
        }
    }
}
