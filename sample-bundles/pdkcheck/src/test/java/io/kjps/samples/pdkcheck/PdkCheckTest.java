package io.kjps.samples.pdkcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.ReceivedPdkCall;
import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pdkcheck sample in the test kit, with the requests of the recorded conversations ({@code pdkcheck.jsonl},
 * {@code pdkcheck-post.jsonl}, {@code pdkcheck-error.jsonl}): every probe's header as Kong's client saw it.
 */
class PdkCheckTest {

    @Test
    void thePdkTourOfTheRecording() {
        PluginTester.Result r = PluginTester.of(new PdkCheck())
                .config(new PdkCheck.Config("T1", List.of(), new PdkCheck.Nested(7)))
                .request(q -> q.uri("/some/path?a=1&b=2&b=3&flag").header("x-name", "Zed")
                        .header("x-multi", "a").header("x-multi", "b").upstreamHeader("x-echo-upstream", "1"))
                .run();
        assertEquals(List.of("access", "response", "log"), List.copyOf(r.outcomes().keySet()));
        r.outcomes().values().forEach(o -> assertEquals(EventOutcome.Ending.RET, o.ending()));
        assertFalse(r.exited());
        assertEquals(200, r.response().status());

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("x-pdk-method", "GET");
        expected.put("x-pdk-path", "/some/path");
        expected.put("x-pdk-query-a", "1");
        expected.put("x-pdk-query", "{\"a\":[\"1\"],\"b\":[\"2\",\"3\"],\"flag\":[]}");
        expected.put("x-pdk-raw-query", "a=1&b=2&b=3&flag");
        expected.put("x-pdk-headers-multi", "[\"a\",\"b\"]");
        expected.put("x-pdk-ip", "127.0.0.1");
        expected.put("x-pdk-node-id-len", "36");
        expected.put("x-pdk-var-uri", "/some/path");
        expected.put("x-pdk-plugin-id-ok", "true");
        for (String nil : List.of("shared-set", "svc-set-header", "svc-set-path", "log", "unknown-method",
                "body-err")) {
            expected.put("x-pdk-" + nil, "undefined");
        }
        expected.put("x-pdk-resp-status", "200");
        expected.put("x-pdk-svc-resp-status", "200");
        expected.put("x-pdk-svc-resp-header", "1");
        expected.put("x-pdk-shared-get", "v-T1");
        expected.forEach((name, value) -> assertEquals(value, r.response().header(name), name));
        assertEquals(List.of("one", "two"), r.response().headers().get("x-pdk-multi-add"));

        // the service got the rewritten request, and the echo upstream says so
        JsonObject echo = JsonParser.parseString(r.response().bodyText()).getAsJsonObject();
        assertEquals("/rewritten?a=1&b=2&b=3&flag", echo.get("uri").getAsString());
        assertEquals("yes", echo.getAsJsonObject("headers").get("x-added-by-plugin").getAsString());
        assertEquals("v-T1", r.shared().get("k"));

        assertEquals(List.of(new FakeRequest.LogLine("notice", "pdkcheck access notice"),
                new FakeRequest.LogLine("err", "could not find pdk method: kong.request.no_such_method"),
                new FakeRequest.LogLine("notice", "pdkcheck log phase: shared=v-T1 status=200 "
                        + "uri=/some/path?a=1&b=2&b=3&flag x-name=Zed")), r.logs());
    }

    @Test
    void aJsonBodyAndTheQueryEdgesOfThePostRecording() {
        String body = "{\"s\":\"str\",\"n\":1,\"neg\":-5,\"f\":1.5,\"big\":4294967296,\"t\":true,\"nul\":null,"
                + "\"arr\":[1,\"two\",false],\"emptyobj\":{},\"emptyarr\":[]}";
        PluginTester.Result r = PluginTester.of(new PdkCheck())
                .configJson("{\"tag\":\"T2\",\"list\":[\"x\",\"y\"],\"nested\":{\"n\":300}}")
                .request(q -> q.method("POST").uri("/post/here?rf&rf&a=1&a&e=")
                        .header("Content-Type", "application/json").header("x-multi", "a").header("x-multi", "b")
                        .header("x-multi", "c").body(body))
                .run();
        assertEquals("POST", r.response().header("x-pdk-method"));
        assertEquals("1", r.response().header("x-pdk-query-a"), "the first value of a");
        assertEquals("{\"a\":[\"1\",true],\"e\":[\"\"],\"rf\":[true,true]}", r.response().header("x-pdk-query"));
        assertEquals("[\"a\",\"b\",\"c\"]", r.response().header("x-pdk-headers-multi"));
        assertEquals("{\"arr\":[1,\"two\",false],\"big\":4294967296,\"emptyarr\":[],\"emptyobj\":[],\"f\":1.5,"
                + "\"n\":1,\"neg\":-5,\"nul\":null,\"s\":\"str\",\"t\":true}", r.response().header("x-pdk-body-err"),
                "get_body as Kong packs it: an empty object becomes [] and a JSON null keeps its key");
        assertEquals("v-T2", r.response().header("x-pdk-shared-get"));
    }

    @Test
    void aCallKongRejectsAbandonsTheEventAndKongAnswers500AsRecorded() {
        PluginTester.Result r = PluginTester.of(new PdkCheck())
                .request(q -> q.header("x-provoke", "bad-arg")).run();
        EventOutcome access = r.outcomes().get("access");
        assertEquals(EventOutcome.Ending.ABANDONED, access.ending());
        assertEquals(new ReceivedPdkCall("kong.response.set_header", List.of(42L, "x")), access.terminalCall());
        assertEquals("invalid header name \"42\": got number, expected string", access.abandonReason());
        assertEquals(List.of("kong.request.get_header", "kong.response.set_header"), access.methods(),
                "nothing after the call that raised");
        // recording pdkcheck-error: the client gets Kong's 500, the response phase is skipped, the log phase runs
        assertEquals(500, r.response().status());
        assertEquals("{\"message\":\"An unexpected error occurred\"}", r.response().bodyText());
        assertEquals(List.of("access", "log"), List.copyOf(r.outcomes().keySet()));
        assertEquals(EventOutcome.Ending.RET, r.outcomes().get("log").ending());
        assertTrue(r.logs().stream().anyMatch(l -> l.message().contains("status=500")), r.logs().toString());
    }

    @Test
    void beforeKong33ThePluginIdIsNilAndTheProbeSaysFalseAsTheJavaScriptOneDoes() {
        // kong.plugin.get_id exists from Kong 3.3 on; earlier lines log "could not find pdk method" and answer nil
        PluginTester.Result r = PluginTester.of(new PdkCheck()).phases("access")
                .request(q -> q.pluginId(null)).run();
        assertEquals("false", r.response().header("x-pdk-plugin-id-ok"));
    }

    @Test
    void anEmptyQueryIsAnEmptyMap() {
        PluginTester.Result r = PluginTester.of(new PdkCheck()).phases("access")
                .request(q -> q.path("/noquery")).run();
        assertEquals("undefined", r.response().header("x-pdk-query-a"));
        assertEquals("{}", r.response().header("x-pdk-query"));
        assertEquals("", r.response().header("x-pdk-raw-query"));
        assertEquals("undefined", r.response().header("x-pdk-headers-multi"));
    }

    @Test
    void schemaAndDefaults() throws Exception {
        try (var in = PdkCheck.class.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/pdkcheck.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(new PdkCheck.Config("dflt", List.of(), null),
                ConfigDecoder.forType(PdkCheck.Config.class).decode("{}"));
        assertEquals(new PdkCheck.Nested(7), ConfigDecoder.forType(PdkCheck.Nested.class).decode("{}"));
        assertEquals("{\"tag\":\"t\",\"list\":[\"a\"],\"nested\":{\"n\":3}}", PluginTester.of(new PdkCheck())
                .config(new PdkCheck.Config("t", List.of("a"), new PdkCheck.Nested(3))).configJson());
    }
}
