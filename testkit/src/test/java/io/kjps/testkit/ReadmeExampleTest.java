package io.kjps.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's test-kit example, verbatim apart from the class name. */
class ReadmeExampleTest {

    @Test
    void greetsAndBlocks() {
        PluginTester.Result r = PluginTester.of(new ReadmeGreeter())
                .configJson("{\"greeting\":\"hi\"}")
                .request(q -> q.method("GET").path("/x").header("x-name", "Bob")
                        .upstreamStatus(200).upstreamBody("from upstream"))
                .run();
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("hi Bob", r.response().header("x-greeting"));
        assertEquals("from upstream", r.response().bodyText());
        assertEquals("GET", r.serviceRequest().method());
        assertEquals(List.of(), r.logs());
        assertEquals(Map.of(), r.shared());
    }

    @Test
    void defaultsApplyWithoutConfig() {
        PluginTester.Result r = PluginTester.of(new ReadmeGreeter()).request(q -> q.header("x-name", "Al")).run();
        assertEquals("hello Al", r.response().header("x-greeting"));
    }
}
