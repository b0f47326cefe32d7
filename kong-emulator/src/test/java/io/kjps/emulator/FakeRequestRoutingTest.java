package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link FakeRequest#call} routes a method to its namespace: the longest namespace that prefixes it. */
class FakeRequestRoutingTest {

    private static PdkResult call(FakeRequest r, String phase, String method, Object... args) {
        return r.call(phase, method, List.of(args));
    }

    @Test
    void theLongestNamespaceWins() {
        FakeRequest r = FakeRequest.builder().upstreamStatus(418).build();
        // kong.service.response is its own namespace, not a kong.service setter to record
        assertEquals(418L, call(r, "response", "kong.service.response.get_status").value());
        // kong.service.request.* and kong.service.* are one namespace: both recorded, the first also applied
        call(r, "access", "kong.service.request.set_method", "post");
        call(r, "access", "kong.service.set_target", "example.org", 443L);
        assertEquals(List.of(new ReceivedPdkCall("kong.service.request.set_method", List.of("post")),
                new ReceivedPdkCall("kong.service.set_target", List.of("example.org", 443L))), r.serviceCalls());
        assertEquals("POST", r.serviceRequestMethod());
        assertEquals(List.of(), r.logLines());
    }

    @Test
    void aMethodOfNoKnownNamespaceOrUnknownInItsNamespaceIsUnknownToKong() {
        FakeRequest r = FakeRequest.builder().build();
        for (String m : List.of("kong.ctx.plugin.get", "kong.no_such.thing", "kong", "kong.response.no_such",
                "kong.log.no_such", "kong.vault.no_such", "kong.ip.no_such")) {
            PdkResult res = call(r, "access", m);
            assertTrue(!res.isRaise() && !res.isError(), m + ": " + res);
            assertNull(res.value(), m);
        }
        assertEquals(List.of("kong.ctx.plugin.get", "kong.no_such.thing", "kong", "kong.response.no_such",
                "kong.log.no_such", "kong.vault.no_such", "kong.ip.no_such").stream()
                .map(m -> new FakeRequest.LogLine("err", "could not find pdk method: " + m)).toList(), r.logLines());
    }

    @Test
    void theTimerRuleComesBeforeTheNamespace() {
        FakeRequest r = FakeRequest.builder().build();
        PdkResult res = call(r, "log", "kong.request.get_path");
        assertTrue(res.isRaise());
        assertEquals("API disabled in the context of ngx.timer", res.message());
    }
}
