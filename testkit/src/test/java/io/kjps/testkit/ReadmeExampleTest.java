package io.kjps.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's test-kit example, verbatim apart from the class names. */
class ReadmeExampleTest {

    @Test
    void greetsAndTheRequestReachesTheUpstream() {
        PluginTester.Result r = PluginTester.of(new ReadmeGreeter())
                .config(new ReadmeGreeter.Config("hi"))              // omit it and every @Default applies
                .request(q -> q.method("GET").path("/x").header("x-name", "Bob"))
                .run();                                              // access, response, log: what Greeter declares
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("hi Bob", r.response().header("x-greeting"));
        // the default upstream answers with the request it received, as JSON
        JsonObject echo = JsonParser.parseString(r.response().bodyText()).getAsJsonObject();
        assertEquals("/x", echo.get("uri").getAsString());
        assertEquals("Bob", echo.getAsJsonObject("headers").get("x-name").getAsString());
        assertEquals("GET", r.serviceRequest().method());           // the request the service received
        assertEquals(List.of(), r.logs());                          // kong.log lines (level, message)
        assertEquals(Map.of(), r.shared());                         // kong.ctx.shared after the last phase
    }

    @Test
    void aFixedUpstreamAnswer() {
        PluginTester.Result r = PluginTester.of(new ReadmeGreeter())
                .configJson("{\"greeting\":\"hey\"}")                // the config as Kong's JSON text
                .request(q -> q.header("x-name", "Al").upstreamStatus(503).upstreamBody("busy"))
                .run();
        assertEquals(503, r.response().status());
        assertEquals("busy", r.response().bodyText());
        assertEquals("hey Al", r.response().header("x-greeting"));
    }

    @Test
    void defaultsApplyWithoutConfig() {
        PluginTester.Result r = PluginTester.of(new ReadmeGreeter()).request(q -> q.header("x-name", "Al")).run();
        assertEquals("hello Al", r.response().header("x-greeting"));
    }
}
