package io.kjps.samples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.ReceivedPdkCall;
import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hello sample in the test kit, call for call as in the recorded conversations ({@code hello-alice.jsonl}). */
class HelloTest {

    @Test
    void greetsTheNameWithTheDefaultGreeting() {
        PluginTester.Result r = PluginTester.of(new Hello())
                .request(q -> q.uri("/anything?q=1").header("x-name", "Alice")).run();
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("hello Alice", r.response().header("x-hello"));
        assertEquals("hi", r.response().header("x-hello-greeting"), "the @Default of greeting");
        EventOutcome access = r.outcomes().get("access");
        assertEquals(EventOutcome.Ending.RET, access.ending());
        assertEquals(List.of(new ReceivedPdkCall("kong.request.get_header", List.of("x-name")),
                new ReceivedPdkCall("kong.response.set_header", List.of("x-hello", "hello Alice")),
                new ReceivedPdkCall("kong.response.set_header", List.of("x-hello-greeting", "hi"))), access.calls());
        assertEquals(List.of("access"), List.copyOf(r.outcomes().keySet()), "hello has only an access phase");
    }

    @Test
    void aMissingNameIsUndefinedAsInTheRecording() {
        PluginTester.Result r = PluginTester.of(new Hello()).run();
        assertEquals("hello undefined", r.response().header("x-hello"));
    }

    @Test
    void theConfiguredGreeting() {
        PluginTester.Result r = PluginTester.of(new Hello()).config(new Hello.Config("hey"))
                .request(q -> q.header("x-name", "Bob")).run();
        assertEquals("hello Bob", r.response().header("x-hello"));
        assertEquals("hey", r.response().header("x-hello-greeting"));
    }

    @Test
    void schemaIsValidForKong() throws Exception {
        try (var in = Hello.class.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/hello.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
