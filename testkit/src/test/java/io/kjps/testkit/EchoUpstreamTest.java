package io.kjps.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test kit's default upstream: it answers with the request it received, after the plugin's changes. */
class EchoUpstreamTest {

    @Test
    void theUpstreamEchoesTheRequestAsThePluginChangedIt() {
        PluginTester.Result r = PluginTester.of(new Rewriter())
                .request(q -> q.method("GET").uri("/items?page=1").header("x-secret", "s").header("x-keep", "k"))
                .run();
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals("application/json", r.response().header("content-type"));
        JsonObject echo = JsonParser.parseString(r.response().bodyText()).getAsJsonObject();
        assertEquals("PUT", echo.get("method").getAsString());
        assertEquals("/v2/items?page=2&tag=a&tag=b&all", echo.get("uri").getAsString());
        assertEquals("/v2/items", echo.get("path").getAsString());
        assertEquals(JsonParser.parseString("{\"page\":\"2\",\"tag\":[\"a\",\"b\"],\"all\":true}"), echo.get("query"));
        JsonObject headers = echo.getAsJsonObject("headers");
        assertFalse(headers.has("x-secret"), "cleared by the plugin");
        assertEquals("k", headers.get("x-keep").getAsString());
        assertEquals("yes", headers.get("x-rewritten").getAsString());
        assertEquals("application/json", headers.get("content-type").getAsString(), "set_body sets it");
        assertEquals("{\"name\":\"kong\"}", echo.get("body").getAsString());
        assertEquals(JsonParser.parseString("{\"name\":\"kong\"}"), echo.get("json"));
        // what the response phase saw through kong.service.response
        assertEquals("200", r.response().header("x-seen-status"));
        assertEquals("application/json", r.response().header("x-seen-type"));
        assertEquals("PUT", r.response().header("x-seen-method"));
        assertEquals("/v2/items?page=2&tag=a&tag=b&all", r.response().header("x-seen-uri"));
        assertEquals("{name=kong}", r.response().header("x-seen-json"));
        // and the request as the service got it
        assertEquals("PUT", r.serviceRequest().method());
        assertEquals("/v2/items?page=2&tag=a&tag=b&all", r.serviceRequest().uri());
    }

    @Test
    void theEchoOfAnUnchangedRequestIsExactlyThis() {
        PluginTester.Result r = PluginTester.of(new Greeter()).phases("log")
                .request(q -> q.method("POST").uri("/p?a=1").header("x-b", "1").header("x-b", "2").body("hi"))
                .run();
        assertEquals("{\"method\":\"POST\",\"uri\":\"/p?a=1\",\"path\":\"/p\",\"query\":{\"a\":\"1\"},"
                + "\"headers\":{\"x-b\":[\"1\",\"2\"],\"host\":\"localhost:8000\"},\"body\":\"hi\",\"json\":null}",
                r.response().bodyText());
    }

    @Test
    void statusAndHeadersGivenForTheUpstreamApplyToTheEcho() {
        PluginTester.Result r = PluginTester.of(new Rewriter())
                .request(q -> q.upstreamStatus(201).upstreamHeader("x-up", "1")).run();
        assertEquals(201, r.response().status());
        assertEquals("201", r.response().header("x-seen-status"));
        assertEquals("1", r.response().header("x-up"));
        assertEquals("PUT", r.response().header("x-seen-method"), "still an echo");
        assertEquals(List.of("application/json"), r.response().headers().get("content-type"));
    }

    @Test
    void aGivenBodyReplacesTheEcho() {
        PluginTester.Result r = PluginTester.of(new Greeter())
                .request(q -> q.upstreamStatus(202).upstreamBody("fixed")).run();
        assertEquals(202, r.response().status());
        assertEquals("fixed", r.response().bodyText());
        assertNull(r.response().header("content-type"), "a fixed upstream sends only the headers given");
        assertEquals("202", r.response().header("x-upstream-status"));
    }

    @Test
    void noEchoAfterAnExit() {
        PluginTester.Result r = PluginTester.of(new Greeter()).request(q -> q.header("x-block", "1")).run();
        assertEquals(403, r.response().status());
        assertEquals("{\"message\":\"blocked\"}", r.response().bodyText(), "Kong answered; nothing was proxied");
    }
}
