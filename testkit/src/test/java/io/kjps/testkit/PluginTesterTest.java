package io.kjps.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.plugin.KongPhaseHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test kit on a small plugin: every phase through the production dispatcher over a unix socket. */
class PluginTesterTest {

    @Test
    void passesThroughWithDefaults() {
        PluginTester.Result r = PluginTester.of(new Greeter())
                .request(q -> q.method("GET").path("/x").upstreamStatus(201).upstreamBody("up"))
                .run();
        assertFalse(r.exited());
        assertEquals(List.of("access", "response", "log"), List.copyOf(r.outcomes().keySet()));
        r.outcomes().values().forEach(o -> assertEquals(EventOutcome.Ending.RET, o.ending()));
        assertEquals("hello /x", r.serviceRequest().header("x-greeting"), "the default greeting");
        assertEquals("201", r.response().header("x-upstream-status"));
        assertEquals(201, r.response().status());
        assertEquals("up", r.response().bodyText());
        assertEquals(Boolean.TRUE, r.shared().get("greeted"));
        assertTrue(r.logs().contains(new FakeRequest.LogLine("info", "greeted")), r.logs().toString());
        assertTrue(r.logs().contains(new FakeRequest.LogLine("notice", "done true")), r.logs().toString());
    }

    @Test
    void configAndExit() {
        PluginTester.Result r = PluginTester.of(new Greeter()).configJson("{\"greeting\":\"hi\"}")
                .request(q -> q.path("/y").header("x-block", "1"))
                .run();
        assertTrue(r.exited());
        assertEquals(List.of("access", "log"), List.copyOf(r.outcomes().keySet()), "no response phase after exit");
        assertEquals(EventOutcome.Ending.EXIT, r.outcomes().get("access").ending());
        assertEquals(403, r.response().status());
        assertEquals("test", r.response().header("x-why"));
        assertEquals("{\"message\":\"blocked\"}", r.response().bodyText());
        assertEquals(null, r.serviceRequest().header("x-greeting"));
    }

    @Test
    void configOverridesTheDefault() {
        PluginTester.Result r = PluginTester.of(new Greeter()).configJson("{\"greeting\":\"hi\"}")
                .phases("access").request(q -> q.path("/z")).run();
        assertEquals("hi /z", r.serviceRequest().header("x-greeting"));
        assertEquals(List.of("access"), List.copyOf(r.outcomes().keySet()));
    }

    @Test
    void aClassWithoutDescriptorIsRejected() {
        KongPhaseHandler<Object> anonymous = new KongPhaseHandler<>() {
        };
        assertThrows(IllegalArgumentException.class, () -> PluginTester.of(anonymous));
    }

    @Test
    void bodyAndQueryReachThePlugin() {
        PluginTester.Result r = PluginTester.of(new Greeter())
                .request(q -> q.method("POST").uri("/p?a=1").body("payload")).run();
        assertEquals("POST", r.serviceRequest().method());
        assertEquals("payload", new String(r.serviceRequest().body()));
    }

    @Test
    void configAsARecord() {
        PluginTester<Greeter.Config> t = PluginTester.of(new Greeter()).config(new Greeter.Config("hey"));
        assertEquals("{\"greeting\":\"hey\"}", t.configJson());
        PluginTester.Result r = t.phases("access").request(q -> q.path("/r")).run();
        assertEquals("hey /r", r.serviceRequest().header("x-greeting"));
        PluginTester.Result dflt = PluginTester.of(new Greeter()).config(new Greeter.Config(null)).phases("access")
                .request(q -> q.path("/d")).run();
        assertEquals("hello /d", dflt.serviceRequest().header("x-greeting"), "a null field takes its @Default");
        assertThrows(NullPointerException.class, () -> PluginTester.of(new Greeter()).config(null));
    }

    @Test
    void memoryStatsAndVaultThroughTheKit() {
        PluginTester.Result r = PluginTester.of(new NodeAndVault())
                .request(q -> q.vaultSecret("{vault://env/pw}", "s3cr3t")).run();
        EventOutcome access = r.outcomes().get("access");
        assertEquals(EventOutcome.Ending.RET, access.ending(), String.valueOf(access.abandonReason()));
        assertEquals(new io.kjps.emulator.ReceivedPdkCall("kong.node.get_memory_stats", List.of("m", 1L)),
                access.calls().get(0), "Args [\"m\", 1] as Kong's Lua sees them");
        assertEquals("0.0 MiB of 5.0 MiB", r.response().header("x-kong-dict"));
        assertEquals("4242 2.5 MiB", r.response().header("x-worker"));
        assertEquals("s3cr3t", r.response().header("x-password"));
        assertEquals(List.of("kong.node.get_memory_stats", "kong.response.set_header", "kong.response.set_header",
                "kong.vault.update", "kong.response.set_header", "kong.vault.flush"), access.methods());
        assertEquals(List.of(), r.logs(), "every call known to the fake Kong");
    }
}
