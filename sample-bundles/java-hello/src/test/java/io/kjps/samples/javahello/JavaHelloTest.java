package io.kjps.samples.javahello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The java-hello sample in the test kit: the headers and log lines of Kong's go-hello / py-hello fixture. */
class JavaHelloTest {

    private static PluginTester.Result run() {
        return PluginTester.of(new JavaHello()).config(new JavaHello.Config("hello"))
                .request(q -> q.header("Host", "example.com").header("X-Loose-Data", "some-data")
                        .nginxCtx("KONG_ACCESS_START", 1795928519413L)
                        .upstreamHeader("Server", "echo-server").upstreamHeader("X-Powered-By", "mock"))
                .run();
    }

    @Test
    void greetsFromTheHostHeaderAndReportsTheUpstreamServer() {
        PluginTester.Result r = run();
        assertEquals(List.of("access", "response", "log"), List.copyOf(r.outcomes().keySet()));
        r.outcomes().values().forEach(o -> assertEquals(EventOutcome.Ending.RET, o.ending()));
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("Java says hello to example.com", r.response().header("x-hello-from-java"));
        assertEquals("got from server 'echo-server'", r.response().header("x-hello-from-java-at-response"));
        assertEquals("hello", r.shared().get("shared_msg"));
        JsonObject echo = JsonParser.parseString(r.response().bodyText()).getAsJsonObject();
        assertEquals("example.com", echo.getAsJsonObject("headers").get("host").getAsString(),
                "the request went upstream unchanged");
    }

    @Test
    void logsWhatItSawInTheLogPhase() {
        List<FakeRequest.LogLine> logs = run().logs();
        assertEquals(5, logs.size(), logs.toString());
        assertEquals(new FakeRequest.LogLine("info", "access_start: 1795928519413"), logs.get(0));
        assertEquals(new FakeRequest.LogLine("info", "shared_msg: hello"), logs.get(1));
        assertEquals(new FakeRequest.LogLine("info", "request_header: some-data"), logs.get(2));
        assertEquals(new FakeRequest.LogLine("info", "response_header: mock"), logs.get(3));
        assertEquals("info", logs.get(4).level());
        String serialized = logs.get(4).message();
        assertTrue(serialized.startsWith("serialized:{"), serialized);
        JsonObject s = JsonParser.parseString(serialized.substring("serialized:".length())).getAsJsonObject();
        assertEquals("example.com", s.getAsJsonObject("request").getAsJsonObject("headers").get("host")
                .getAsString());
        assertEquals(200, s.getAsJsonObject("response").get("status").getAsInt());
    }

    @Test
    void aMissingMessageIsSaidAsNull() {
        PluginTester.Result r = PluginTester.of(new JavaHello()).phases("access")
                .request(q -> q.header("Host", "h")).run();
        assertEquals("Java says null to h", r.response().header("x-hello-from-java"), "no default in the schema");
    }

    @Test
    void schemaIsValidForKong() throws Exception {
        try (var in = JavaHello.class.getResourceAsStream(
                "/META-INF/kong-java-pluginserver/plugins/java-hello.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
