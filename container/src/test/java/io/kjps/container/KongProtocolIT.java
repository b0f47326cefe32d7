package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import io.kjps.emulator.PdkResult;
import io.kjps.emulator.ReceivedPdkCall;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distribution as Kong sees it: a separate process on a real unix socket, driven by the Kong emulator the way
 * Kong's plugin-server client drives it (protocol.md §4.2–§4.12).
 */
class KongProtocolIT {
    private static final String KONG_CONFIG = "{\"message\":\"Kong!\",\"__key__\":\"plugins:java-hello:::::ws\","
            + "\"__seq__\":1,\"__plugin_id\":\"00000000-0000-0000-0000-000000000001\",\"__ws_id\":\"ws\"}";
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(ServerProcess.newPrefix(), "", "java-hello", "hello", "block", "pdkcheck");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertEquals(0, server.stop(), "exit status after SIGTERM");
            assertTrue(Files.exists(server.socket()), "the socket file is never removed at exit (protocol.md §3.6)");
            server.close();
        }
    }

    private static KongEmulator emulator(KongConnectionPool.Policy policy) {
        return new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 30, policy,
                Duration.ofSeconds(30))));
    }

    @Test
    void socketIsCreatedWithRestrictiveMode() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
    }

    @Test
    void javaHelloAccessAsKongSeesIt() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        long id = kong.startInstance("java-hello", KONG_CONFIG);
        FakeRequest request = FakeRequest.builder().header("host", "example.com").build();
        EventOutcome out = kong.handleEvent(id, "access", request);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertEquals(List.of(
                new ReceivedPdkCall("kong.request.get_header", List.of("host")),
                new ReceivedPdkCall("kong.response.set_header", List.of("x-hello-from-java", "Java says Kong! to example.com")),
                new ReceivedPdkCall("kong.ctx.shared.set", List.of("shared_msg", "Kong!"))), out.calls());
        assertEquals("Java says Kong! to example.com", request.responseHeader("x-hello-from-java"));
        kong.client().pool().close();
    }

    @Test
    void javaHelloResponseAndLogPhases() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        long id = kong.startInstance("java-hello", KONG_CONFIG);
        FakeRequest request = FakeRequest.builder().header("host", "example.com").header("X-Loose-Data", "this")
                .nginxCtx("KONG_ACCESS_START", 1732867200123L)
                .upstreamHeader("Server", "mock-upstream/1.0.0").upstreamHeader("X-Powered-By", "mock_upstream")
                .build();
        kong.handleEvent(id, "access", request);
        EventOutcome response = kong.handleEvent(id, "response", request);
        assertEquals(EventOutcome.Ending.RET, response.ending());
        assertEquals("got from server 'mock-upstream/1.0.0'", request.responseHeader("x-hello-from-java-at-response"));
        EventOutcome log = kong.handleEvent(id, "log", request);
        assertEquals(EventOutcome.Ending.RET, log.ending());
        List<String> lines = new ArrayList<>();
        request.logLines().stream().filter(l -> l.level().equals("info")).forEach(l -> lines.add(l.message()));
        assertEquals("access_start: 1732867200123", lines.get(0));
        assertEquals("shared_msg: Kong!", lines.get(1));
        assertEquals("request_header: this", lines.get(2));
        assertEquals("response_header: mock_upstream", lines.get(3));
        assertTrue(lines.get(4).startsWith("serialized:{"), lines.get(4));
        kong.client().pool().close();
    }

    @Test
    void blockExitIsTerminalAndTheConnectionServesTheNextEventAtOnce() {
        // one pooled connection: the exit's connection must carry the next HandleEvent (block.jsonl seq 8 -> 11)
        KongConnectionPool pool = new KongConnectionPool(server.socket(), 1, KongConnectionPool.Policy.LIFO,
                Duration.ofSeconds(30));
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long id = kong.startInstance("block", "{}");
        FakeRequest blocked = FakeRequest.builder().header("x-block", "1").build();
        EventOutcome out = kong.handleEvent(id, "access", blocked);
        assertEquals(EventOutcome.Ending.EXIT, out.ending());
        assertEquals(List.of(403L, "denied", Map.of("x-why", "test")), out.terminalArgs());
        assertEquals(403, blocked.status());
        assertTrue(blocked.exited());
        EventOutcome next = kong.handleEvent(id, "access", FakeRequest.builder().build());
        assertEquals(EventOutcome.Ending.RET, next.ending());
        assertEquals(List.of("kong.request.get_header"), next.methods());
        assertEquals(1, pool.openedCount(), "both events and the exit used the one pooled connection");
        pool.close();
    }

    @Test
    void unknownInstanceGetsNoPluginInstance() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        KongRpcException e = assertThrows(KongRpcException.class,
                () -> kong.handleEvent(987654, "access", FakeRequest.builder().build()));
        assertTrue(e.getMessage().contains("No plugin instance 987654"), e.getMessage());
        kong.client().pool().close();
    }

    @Test
    void unknownEventIdAndEventNameGetPreciseErrors() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        KongRpcException step = assertThrows(KongRpcException.class,
                () -> kong.client().call("plugin.Step", Map.of("EventId", 555555L, "Data", "x")));
        assertTrue(step.getMessage().contains("no running event 555555"), step.getMessage());
        long id = kong.startInstance("hello", "{}");
        KongRpcException phase = assertThrows(KongRpcException.class,
                () -> kong.client().call("plugin.HandleEvent", Map.of("InstanceId", id, "EventName", "body_filter")));
        assertTrue(phase.getMessage().contains("unknown event body_filter"), phase.getMessage());
        KongRpcException method = assertThrows(KongRpcException.class,
                () -> kong.client().call("plugin.NoSuchThing", Map.of()));
        assertTrue(method.getMessage().contains("plugin.NoSuchThing not implemented"), method.getMessage());
        kong.client().pool().close();
    }

    @Test
    void stepsOfOneEventOnDifferentConnections() {
        KongConnectionPool pool = new KongConnectionPool(server.socket(), 8, KongConnectionPool.Policy.ROUND_ROBIN,
                Duration.ofSeconds(30));
        KongEmulator kong = new KongEmulator(new KongClient(pool));
        long id = kong.startInstance("hello", "{\"greeting\":\"yo\"}");
        // open several connections so round robin spreads the calls of one event over them
        List<Thread> warm = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    kong.handleEvent(id, "access", FakeRequest.builder().header("x-name", "w").build());
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            warm.add(t);
            t.start();
        }
        for (Thread t : warm) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(pool.openedCount() > 1, "several connections were opened: " + pool.openedCount());
        FakeRequest r = FakeRequest.builder().header("x-name", "Alice").build();
        EventOutcome out = kong.handleEvent(id, "access", r);
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertEquals("hello Alice", r.responseHeader("x-hello"));
        assertEquals("yo", r.responseHeader("x-hello-greeting"));
        pool.close();
    }

    @Test
    void configDefaultsAndKongExtraKeys() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        long id = kong.startInstance("hello", "{\"greeting\":null,\"__key__\":\"plugins:hello:::::ws\",\"__seq__\":3,"
                + "\"route_id\":null,\"__plugin_id\":\"x\",\"__ws_id\":\"y\",\"plugin_instance_name\":\"n\"}");
        FakeRequest r = FakeRequest.builder().build();
        kong.handleEvent(id, "access", r);
        assertEquals("hi", r.responseHeader("x-hello-greeting"), "a null field takes the @Default");
        assertEquals("hello undefined", r.responseHeader("x-hello"));
        kong.client().pool().close();
    }

    @Test
    void readinessProbeConnectAndCloseIsAcceptedQuietly() throws Exception {
        // Kong 3.1-3.4 probe the socket by connecting and closing without sending anything (protocol.md §3.4)
        for (int i = 0; i < 20; i++) {
            try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(server.socket()))) {
                assertTrue(probe.isConnected());
            }
        }
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        long id = kong.startInstance("hello", "{}");
        FakeRequest r = FakeRequest.builder().header("x-name", "after-probes").build();
        assertEquals(EventOutcome.Ending.RET, kong.handleEvent(id, "access", r).ending());
        assertEquals("hello after-probes", r.responseHeader("x-hello"));
        assertTrue(server.alive());
        kong.client().pool().close();
    }

    @Test
    void serverPidIsAnnouncedOnEveryConnection() {
        KongEmulator kong = emulator(KongConnectionPool.Policy.LIFO);
        kong.startInstance("hello", "{}");
        assertEquals(Long.valueOf(server.serverPid()), kong.client().serverPid());
        assertNotEquals(0, server.serverPid());
        kong.client().pool().close();
    }

    @Test
    void pdkErrorFromKong2xReachesThePluginAsAnException() {
        KongEmulator kong = new KongEmulator(new KongClient(new KongConnectionPool(server.socket())),
                KongEmulator.KongLine.KONG_2);
        long id = kong.startInstance("pdkcheck", "{\"tag\":\"T\"}");
        FakeRequest base = FakeRequest.builder().build();
        EventOutcome out = kong.handleEvent(id, "access", (phase, method, args) ->
                method.equals("kong.request.get_method") ? PdkResult.error("boom from Kong 2.x") : base.call(phase, method, args));
        assertEquals(EventOutcome.Ending.RET, out.ending());
        assertTrue(base.responseHeader("x-pdk-method").startsWith("ERR:"), base.responseHeader("x-pdk-method"));
        assertTrue(base.responseHeader("x-pdk-method").contains("boom from Kong 2.x"));
        kong.client().pool().close();
    }
}
