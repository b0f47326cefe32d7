package io.kjps.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.testkit.PluginTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guide's example plugins do what the guide says they do. */
class GuidePluginsTest {

    @Test
    void timingWorksInEachPhase() {
        PluginTester.Result r = PluginTester.of(new Timing()).request(q -> q.path("/orders").upstreamStatus(201))
                .run();
        assertEquals(List.of("access", "response", "log"), List.copyOf(r.outcomes().keySet()));
        assertEquals("yes", r.serviceRequest().header("x-timed"));
        assertEquals("201", r.response().header("x-upstream-status"));
        assertEquals(List.of(new FakeRequest.LogLine("info", "timed /orders -> 201")), r.logs());
    }

    @Test
    void gateExitsWithoutAKeyAndErrorsOnAWrongOne() {
        PluginTester.Result none = PluginTester.of(new Gate()).configJson("{\"keys\":[\"k1\"]}").run();
        assertTrue(none.exited());
        assertEquals(401, none.response().status());
        assertEquals("Key", none.response().header("WWW-Authenticate"));
        assertEquals(EventOutcome.Ending.EXIT, none.outcomes().get("access").ending());

        PluginTester.Result wrong = PluginTester.of(new Gate()).configJson("{\"keys\":[\"k1\"]}")
                .request(q -> q.header("x-api-key", "k2")).run();
        assertEquals(403, wrong.response().status());

        PluginTester.Result right = PluginTester.of(new Gate()).configJson("{\"keys\":[\"k1\"]}")
                .request(q -> q.header("x-api-key", "k1")).run();
        assertFalse(right.exited());
        assertEquals(null, right.serviceRequest().header("x-api-key"));
    }

    @Test
    void gateFailsClosedWhenItThrows() {
        PluginTester.Result r = PluginTester.of(new Gate()).configJson("{\"keys\":[\" \"]}")
                .request(q -> q.header("x-api-key", " ")).run();
        assertEquals(500, r.response().status());
    }

    @Test
    void counterCountsPerConsumer() {
        Counter counter = new Counter();
        PluginTester.of(counter).request(q -> q.header("x-consumer", "ada")).run();
        PluginTester.Result r = PluginTester.of(counter).request(q -> q.header("x-consumer", "ada")).run();
        assertEquals("2", r.response().header("x-hits"));
    }

    @Test
    void auditWarnsAndLogsTheSerializedRequest() {
        PluginTester.Result r = PluginTester.of(new Audit()).run();
        assertEquals("warn", r.logs().get(0).level());
        assertTrue(r.logs().get(0).message().startsWith("request without x-client from "), r.logs().toString());
        assertTrue(r.logs().get(1).message().startsWith("audited {"), r.logs().toString());
        assertTrue(r.logs().get(1).message().contains("\"audited\":true"), r.logs().toString());
    }

    @Test
    void shapesDecodesItsConfig() {
        PluginTester.Result r = PluginTester.of(new Shapes()).configJson("{\"audience\":\"ops\"}").run();
        assertEquals("ops SET 0.5", r.response().header("x-shape"));
    }
}
