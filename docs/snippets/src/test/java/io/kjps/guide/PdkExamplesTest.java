package io.kjps.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kjps.emulator.EventOutcome;
import io.kjps.testkit.PluginTester;
import org.junit.jupiter.api.Test;

/** The guide's PDK examples run, each in a phase Kong allows it in, and do what they say. */
class PdkExamplesTest {

    @Test
    void everyExampleRunsInItsPhase() {
        PluginTester.Result r = PluginTester.of(new PdkTourPlugin())
                .request(q -> q.host("shop.example").uri("/orders?a=1&a=2").header("x-forwarded-for", "10.0.0.9")
                        .nginxVar("request_id", "r-1").pluginId("p-1")
                        .vaultSecret("{vault://env/api-token}", "s3cret"))
                .run();
        r.outcomes().forEach((phase, o) -> assertEquals(EventOutcome.Ending.RET, o.ending(), phase + ": " + o));
        assertEquals("/v2/orders?a=1&a=2", r.serviceRequest().uri());
        assertEquals("acme", r.serviceRequest().header("x-tenant"));
        assertEquals("acme", r.response().header("x-tenant"));
        assertEquals("no-store", r.response().header("cache-control"));
        assertEquals("200", r.response().header("x-status"));
        assertEquals("6", r.response().header("x-secret-length"));
        assertEquals("r-1 null", r.response().header("x-request"));
        assertEquals("p-1", r.response().header("x-plugin"));
        assertEquals("shop.example [a] 0", r.response().header("x-seen"));
        assertEquals("err", r.logs().get(0).level());
    }
}
