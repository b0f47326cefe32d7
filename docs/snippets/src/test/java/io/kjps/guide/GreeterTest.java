package io.kjps.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kjps.emulator.EventOutcome;
import io.kjps.testkit.PluginTester;
import java.util.List;
import org.junit.jupiter.api.Test;

// snippet:testing
class GreeterTest {

    @Test
    void greetsTheNameOfTheHeader() {
        PluginTester.Result r = PluginTester.of(new Greeter())
                .config(new Greeter.Config("Hi"))                  // or .configJson("{\"greeting\":\"Hi\"}")
                .request(q -> q.method("GET").path("/orders").header("x-name", "Ada"))
                .run();                                            // the phases Greeter overrides, in Kong's order
        assertFalse(r.exited());
        assertEquals(200, r.response().status());                  // the default upstream echoes the request
        assertEquals("Hi, Ada", r.response().header("x-greeting"));
        assertEquals(EventOutcome.Ending.RET, r.outcomes().get("access").ending());
        assertEquals(List.of(), r.logs());
    }

    @Test
    void theDefaultAppliesWhenTheConfigLeavesTheFieldOut() {
        PluginTester.Result r = PluginTester.of(new Greeter()).request(q -> q.header("x-name", "Al")).run();
        assertEquals("Hello, Al", r.response().header("x-greeting"));
    }
}
// end:testing
