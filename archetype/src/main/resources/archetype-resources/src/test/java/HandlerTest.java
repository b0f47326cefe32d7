package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kjps.testkit.PluginTester;
import org.junit.jupiter.api.Test;

/** The plugin's phases against the test kit's fake Kong, through the server's own codec and dispatcher. */
class HandlerTest {

    @Test
    void greetsTheNameInTheRequest() {
        PluginTester.Result r = PluginTester.of(new Handler())
                .config(new Handler.Config("Hi"))
                .request(q -> q.header("x-name", "Ada"))
                .run();
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("Hi, Ada", r.response().header("x-greeting"));
    }

    @Test
    void theDefaultGreetingAppliesWhenTheConfigLeavesItOut() {
        PluginTester.Result r = PluginTester.of(new Handler()).configJson("{}").run();
        assertEquals("Hello, world", r.response().header("x-greeting"));
    }
}
