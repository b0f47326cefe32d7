package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.internal.JsonForm;
import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeRequestTest {

    private static Object value(FakeRequest r, String phase, String method, Object... args) {
        PdkResult res = r.call(phase, method, Arrays.asList(args));
        assertFalse(res.isRaise(), method + " raised " + res.message());
        assertFalse(res.isError(), method + " returned an error " + res.message());
        return res.value();
    }

    private static String raise(FakeRequest r, String phase, String method, Object... args) {
        PdkResult res = r.call(phase, method, Arrays.asList(args));
        assertTrue(res.isRaise(), method + " should raise, gave " + res);
        return res.message();
    }

    private static FakeRequest pdkcheck() {
        return FakeRequest.builder().uri("/some/path?a=1&b=2&b=3&flag").host("127.0.0.1").port(9000)
                .header("x-name", "Zed").header("x-multi", "a").header("x-multi", "b")
                .upstreamHeader("x-echo-upstream", "1").upstreamHeader("content-type", "application/json")
                .upstreamBody("{\"uri\":\"/rewritten\"}").nginxCtx("KONG_ACCESS_START", 1795928519413L).build();
    }

    /** The recorded Data Kong sent for the n-th Step of a recording (JSON form → Java). */
    private static Object recordedData(String file, int seq) {
        for (Map<?, ?> l : Conversations.messages(Conversations.file(file), "kong->server")) {
            if (((Number) l.get("seq")).intValue() == seq) {
                List<?> msg = (List<?>) JsonForm.toJava(l.get("msg"));
                return ((Map<?, ?>) ((List<?>) msg.get(3)).get(0)).get("Data");
            }
        }
        throw new AssertionError("no seq " + seq);
    }

    @Test
    void requestGettersLikePdkcheck() {
        FakeRequest r = pdkcheck();
        assertEquals("GET", value(r, "access", "kong.request.get_method"));
        assertEquals("/some/path", value(r, "access", "kong.request.get_path"));
        assertEquals("1", value(r, "access", "kong.request.get_query_arg", "a"));
        assertNull(value(r, "access", "kong.request.get_query_arg", "zzz"));
        Map<?, ?> q = (Map<?, ?>) value(r, "access", "kong.request.get_query");
        assertEquals("1", q.get("a"));
        assertEquals(List.of("2", "3"), q.get("b"));
        assertEquals(true, q.get("flag"));
        assertEquals("a=1&b=2&b=3&flag", value(r, "access", "kong.request.get_raw_query"));
        Map<?, ?> h = (Map<?, ?>) value(r, "access", "kong.request.get_headers");
        assertEquals(List.of("a", "b"), h.get("x-multi"));
        assertEquals("127.0.0.1:9000", h.get("host"));
        assertEquals("Zed", value(r, "access", "kong.request.get_header", "X_Name"));
        assertEquals("a", value(r, "access", "kong.request.get_header", "x-multi"), "first value");
        assertNull(value(r, "access", "kong.request.get_header", "x-none"));
        assertEquals("127.0.0.1", value(r, "access", "kong.client.get_ip"));
        assertEquals(36, ((String) value(r, "access", "kong.node.get_id")).length());
        assertEquals("/some/path", value(r, "access", "kong.nginx.get_var", "uri"));
        assertNull(value(r, "access", "kong.nginx.get_var", "no_such_var"));
        assertEquals(1795928519413L, value(r, "access", "kong.nginx.get_ctx", "KONG_ACCESS_START"));
        assertEquals("00000000-0000-4000-8000-000000000001", value(r, "access", "kong.plugin.get_id"));
        assertEquals("http", value(r, "access", "kong.request.get_scheme"));
        assertEquals("127.0.0.1", value(r, "access", "kong.request.get_host"));
        assertEquals(9000L, value(r, "access", "kong.request.get_port"));
        assertArrayEquals(new byte[0], (byte[]) value(r, "access", "kong.request.get_raw_body"));
        // recorded Kong answers for the same request (pdkcheck.jsonl)
        assertEquals(recordedData("pdkcheck.jsonl", 9), value(r, "access", "kong.request.get_method"));
        assertEquals(recordedData("pdkcheck.jsonl", 11), value(r, "access", "kong.request.get_path"));
        assertEquals(recordedData("pdkcheck.jsonl", 13), value(r, "access", "kong.request.get_query_arg", "a"));
        assertEquals(recordedData("pdkcheck.jsonl", 17), value(r, "access", "kong.request.get_raw_query"));
        assertEquals(recordedData("pdkcheck.jsonl", 21), value(r, "access", "kong.client.get_ip"));
        assertEquals(recordedData("pdkcheck.jsonl", 25), value(r, "access", "kong.nginx.get_var", "uri"));
    }

    @Test
    void bodyErrorsAndTheUnknownMethod() {
        FakeRequest r = pdkcheck();
        PdkResult body = r.call("access", "kong.request.get_body", List.of());
        assertTrue(body.isError());
        assertEquals("missing content type", body.message());
        assertNull(value(r, "access", "kong.request.no_such_method"));
        assertEquals(new FakeRequest.LogLine("err", "could not find pdk method: kong.request.no_such_method"),
                r.logLines().get(0));
    }

    @Test
    void postBodyQueryEdgesAndRawHeaderBytes() {
        String json = "{\"s\":\"str\",\"n\":1,\"neg\":-5,\"f\":1.5,\"big\":4294967296,\"t\":true,\"nul\":null,"
                + "\"arr\":[1,\"two\",false],\"emptyobj\":{},\"emptyarr\":[]}";
        FakeRequest r = FakeRequest.builder().method("POST").uri("/post/here?rf&rf&a=1&a&e=")
                .header("Content-Type", "application/json").header("x-empty", "")
                .header("x-latin1", new byte[] {'c', 'a', 'f', (byte) 0xe9}).body(json).build();
        Map<?, ?> q = (Map<?, ?>) value(r, "access", "kong.request.get_query");
        assertEquals(List.of(true, true), q.get("rf"));
        assertEquals(List.of("1", true), q.get("a"));
        assertEquals("", q.get("e"));
        assertEquals("1", value(r, "access", "kong.request.get_query_arg", "a"));
        Map<?, ?> h = (Map<?, ?>) value(r, "access", "kong.request.get_headers");
        assertEquals("", h.get("x-empty"));
        assertInstanceOf(RawString.class, h.get("x-latin1"));
        Map<?, ?> b = (Map<?, ?>) value(r, "access", "kong.request.get_body");
        assertTrue(b.containsKey("nul") && b.get("nul") == null, "cjson.null keeps its key");
        assertEquals(4294967296L, b.get("big"));
        // Kong's packer output for the body equals the recorded Step (pdkcheck-post seq 39), up to key order
        assertTrue(LuaValues.semanticEquals(recordedData("pdkcheck-post.jsonl", 39), b));
        assertEquals("90", java.util.HexFormat.of().formatHex(KongPacker.pack(b.get("emptyobj"))));
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8),
                (byte[]) value(r, "access", "kong.request.get_raw_body"));
    }

    @Test
    void responseHeadersServiceRequestCtxAndLogAcrossPhases() {
        FakeRequest r = pdkcheck();
        assertNull(value(r, "access", "kong.ctx.shared.set", "k", "v-T1"));
        assertNull(value(r, "access", "kong.service.request.set_header", "x-added-by-plugin", "yes"));
        assertNull(value(r, "access", "kong.service.request.set_path", "/rewritten"));
        assertNull(value(r, "access", "kong.log.notice", "pdkcheck access notice"));
        assertNull(value(r, "access", "kong.response.set_header", "x-pdk-method", "GET"));
        assertNull(value(r, "access", "kong.response.add_header", "x-pdk-multi-add", "one"));
        assertNull(value(r, "access", "kong.response.add_header", "x-pdk-multi-add", "two"));
        assertNull(value(r, "access", "kong.response.set_header", "x-num", 42L));
        assertTrue(raise(r, "access", "kong.response.get_status").contains("access phase"));

        assertEquals(200L, value(r, "response", "kong.response.get_status"));
        assertEquals(200L, value(r, "response", "kong.service.response.get_status"));
        assertEquals("1", value(r, "response", "kong.service.response.get_header", "x-echo-upstream"));
        assertEquals(Map.of("uri", "/rewritten"), value(r, "response", "kong.service.response.get_body"));
        assertEquals("v-T1", value(r, "response", "kong.ctx.shared.get", "k"));
        assertEquals("GET", value(r, "response", "kong.response.get_header", "x-pdk-method"));
        assertEquals(List.of("one", "two"), ((Map<?, ?>) value(r, "response", "kong.response.get_headers"))
                .get("x-pdk-multi-add"));

        assertEquals("v-T1", value(r, "log", "kong.ctx.shared.get", "k"));
        assertEquals("API disabled in the context of ngx.timer", raise(r, "log", "kong.nginx.get_var", "uri"));
        assertTrue(raise(r, "log", "kong.response.set_header", "a", "b").contains("log phase"));
        Object ser = value(r, "log", "kong.log.serialize");
        Map<?, ?> s = (Map<?, ?>) LuaJson.parse((String) ser);
        assertTrue(((String) ser).contains("\\/some\\/path"), "cjson escapes /");
        Map<?, ?> req = (Map<?, ?>) s.get("request");
        assertEquals("/some/path?a=1&b=2&b=3&flag", req.get("uri"));
        assertEquals("Zed", ((Map<?, ?>) req.get("headers")).get("x-name"));
        assertEquals("yes", ((Map<?, ?>) req.get("headers")).get("x-added-by-plugin"));
        assertEquals(200L, ((Map<?, ?>) s.get("response")).get("status"));
        assertEquals("/rewritten?a=1&b=2&b=3&flag", s.get("upstream_uri"));
        assertNull(value(r, "log", "kong.log.notice", "log phase: shared=", "v-T1", " n=", 2L, " f=", 1.5));

        assertEquals(200, r.status());
        assertEquals(List.of("one", "two"), r.responseHeaders().get("x-pdk-multi-add"));
        assertEquals("42", r.responseHeader("x-num"));
        assertEquals("1", r.responseHeader("x-echo-upstream"));
        assertEquals(List.of("yes"), r.serviceRequestHeaders().get("x-added-by-plugin"));
        assertEquals("/rewritten?a=1&b=2&b=3&flag", r.serviceRequestUri());
        assertEquals(2, r.serviceCalls().size());
        assertEquals(List.of(new FakeRequest.LogLine("notice", "pdkcheck access notice"),
                new FakeRequest.LogLine("notice", "log phase: shared=v-T1 n=2 f=1.5")), r.logLines());
        assertEquals(Map.of("k", "v-T1"), r.shared());
    }

    @Test
    void exitErrorAndKongsArgumentChecks() {
        FakeRequest r = FakeRequest.builder().build();
        assertNull(value(r, "access", "kong.response.set_header", "x-before", "1"));
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("x-why", "test");
        headers.put("x-list", List.of("a", "b"));
        assertNull(value(r, "access", "kong.response.exit", 403L, "denied", headers));
        assertTrue(r.exited());
        assertEquals(403, r.status());
        assertEquals("denied", r.responseBodyText());
        assertEquals("test", r.responseHeader("x-why"));
        assertEquals(List.of("a", "b"), r.responseHeaders().get("x-list"));
        assertEquals("1", r.responseHeader("x-before"));
        assertEquals("exit", value(r, "header_filter", "kong.response.get_source"));

        FakeRequest j = FakeRequest.builder().build();
        assertNull(value(j, "access", "kong.response.exit", 200L, Map.of("ok", true)));
        assertEquals("{\"ok\":true}", j.responseBodyText());
        assertEquals("application/json; charset=utf-8", j.responseHeader("content-type"));

        FakeRequest e = FakeRequest.builder().build();
        assertNull(value(e, "access", "kong.response.error", 404L));
        assertEquals("{\"message\":\"Not found\"}", e.responseBodyText());
        assertEquals("code must be a number between 400 and 599",
                raise(FakeRequest.builder().build(), "access", "kong.response.error", 200L));

        FakeRequest x = FakeRequest.builder().build();
        assertEquals("invalid header name \"42\": got number, expected string",
                raise(x, "access", "kong.response.set_header", 42L, "x"));
        assertEquals("code must be a number", raise(x, "access", "kong.response.exit", "403"));
        assertEquals("code must be a number between 100 and 599",
                raise(x, "access", "kong.response.set_status", 600L));
        assertTrue(raise(x, "log", "kong.response.exit", 200L).contains("log phase"));
        assertTrue(raise(x, "response", "kong.service.request.set_header", "a", "b").contains("response"));
        assertEquals("header name must be a string", raise(x, "access", "kong.request.get_header", 1L));
        assertNull(value(x, "access", "kong.response.set_status", 201L));
        assertEquals(201, x.status());
        assertFalse(x.exited());
    }

    @Test
    void echoUpstreamAnswersWithTheRequestTheServiceReceived() {
        FakeRequest r = FakeRequest.builder().method("GET").uri("/in?a=1&a=2&flag").header("x-keep", "k")
                .header("x-secret", "s").header("x-latin1", new byte[] {'c', 'a', 'f', (byte) 0xe9})
                .upstreamStatus(201).upstreamHeader("x-up", "u").echoUpstream().build();
        assertNull(value(r, "access", "kong.service.request.set_method", "post"));
        assertNull(value(r, "access", "kong.service.request.set_path", "/up/path"));
        assertNull(value(r, "access", "kong.service.request.set_raw_query", "q=1&q=2&f"));
        assertNull(value(r, "access", "kong.service.request.clear_header", "x-secret"));
        assertNull(value(r, "access", "kong.service.request.set_header", "x-added", "yes"));
        assertNull(value(r, "access", "kong.service.request.set_body", Map.of("k", "v/w")));

        String expected = "{\"method\":\"POST\",\"uri\":\"/up/path?q=1&q=2&f\",\"path\":\"/up/path\","
                + "\"query\":{\"q\":[\"1\",\"2\"],\"f\":true},"
                + "\"headers\":{\"x-keep\":\"k\",\"x-latin1\":\"caf\u00e9\",\"host\":\"localhost:8000\","
                + "\"x-added\":\"yes\",\"content-type\":\"application/json\"},"
                + "\"body\":\"{\\\"k\\\":\\\"v\\\\/w\\\"}\",\"json\":{\"k\":\"v/w\"}}";
        assertEquals(expected, new String((byte[]) value(r, "response", "kong.service.response.get_raw_body"),
                StandardCharsets.UTF_8), "the body set by set_body, as cjson wrote it, with / unescaped around it");
        assertEquals(expected, r.responseBodyText());
        assertEquals(201L, value(r, "response", "kong.service.response.get_status"), "the given status stays");
        assertEquals("application/json", value(r, "response", "kong.service.response.get_header", "content-type"));
        assertEquals("u", value(r, "response", "kong.service.response.get_header", "x-up"));
        Map<?, ?> parsed = (Map<?, ?>) value(r, "response", "kong.service.response.get_body");
        assertEquals("POST", parsed.get("method"));
        assertEquals(List.of("application/json"), r.responseHeaders().get("content-type"));
        assertEquals(List.of("u"), r.responseHeaders().get("x-up"));
        Map<?, ?> serialized = (Map<?, ?>) LuaJson.parse(LuaValues.tostring(value(r, "log", "kong.log.serialize")));
        assertEquals((long) expected.getBytes(StandardCharsets.UTF_8).length,
                ((Map<?, ?>) serialized.get("response")).get("size"));
    }

    @Test
    void echoUpstreamEdges() {
        FakeRequest none = FakeRequest.builder().echoUpstream().build();
        assertEquals("{\"method\":\"GET\",\"uri\":\"/\",\"path\":\"/\",\"query\":{},"
                + "\"headers\":{\"host\":\"localhost:8000\"},\"body\":null,\"json\":null}", none.responseBodyText());

        FakeRequest binary = FakeRequest.builder().method("PUT").body(new byte[] {(byte) 0xff, 0})
                .header("content-type", "application/json").echoUpstream().build();
        Map<?, ?> b = (Map<?, ?>) LuaJson.parse(binary.responseBodyText());
        assertNull(b.get("body"));
        assertEquals("/wA=", b.get("body_base64"));
        assertNull(b.get("json"), "not JSON");

        FakeRequest text = FakeRequest.builder().body("plain").header("Content-Type", "application/json")
                .upstreamHeader("Content-Type", "text/x-echo").echoUpstream().build();
        assertEquals(List.of("text/x-echo"), text.responseHeaders().get("content-type"), "a given type wins");
        Map<?, ?> t = (Map<?, ?>) LuaJson.parse(text.responseBodyText());
        assertEquals("plain", t.get("body"));
        assertTrue(t.containsKey("json") && t.get("json") == null, "a JSON type with a body that is not JSON");
        assertFalse(t.containsKey("body_base64"));

        FakeRequest fixed = FakeRequest.builder().echoUpstream().upstreamBody("fixed").build();
        assertEquals("fixed", fixed.responseBodyText(), "a later upstreamBody turns the echo off");
        assertNull(fixed.responseHeader("content-type"));
        FakeRequest again = FakeRequest.builder().upstreamBody("fixed").echoUpstream().build();
        assertTrue(again.responseBodyText().startsWith("{\"method\":\"GET\""), again.responseBodyText());
    }

    @Test
    void memoryStatsLikeKong() {
        FakeRequest r = FakeRequest.builder().build();
        Map<?, ?> bytes = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats");
        assertEquals(Map.of("capacity", 5_242_880L, "allocated_slabs", 40_960L),
                ((Map<?, ?>) bytes.get("lua_shared_dicts")).get("kong"));
        assertEquals(List.of(Map.of("pid", 4242L, "http_allocated_gc", 2_621_440L)), bytes.get("workers_lua_vms"));
        assertEquals(bytes, value(r, "access", "kong.node.get_memory_stats", "B", -3L), "b ignores the scale");

        Map<?, ?> mib = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats", "M", 1L);
        assertEquals(Map.of("capacity", "5.0 MiB", "allocated_slabs", "0.0 MiB"),
                ((Map<?, ?>) mib.get("lua_shared_dicts")).get("kong"));
        assertEquals(Map.of("capacity", "128.0 MiB", "allocated_slabs", "0.8 MiB"),
                ((Map<?, ?>) mib.get("lua_shared_dicts")).get("kong_db_cache"));
        assertEquals(List.of(Map.of("pid", 4242L, "http_allocated_gc", "2.5 MiB")), mib.get("workers_lua_vms"));
        Map<?, ?> kib = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats", "k");
        assertEquals(Map.of("capacity", "5120.00 KiB", "allocated_slabs", "40.00 KiB"),
                ((Map<?, ?>) kib.get("lua_shared_dicts")).get("kong"), "scale 2 by default");
        Map<?, ?> gib = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats", "g", 0L);
        assertEquals("0 GiB", ((Map<?, ?>) ((Map<?, ?>) gib.get("lua_shared_dicts")).get("kong")).get("capacity"));
        Map<?, ?> ties = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats", "m", 0L);
        assertEquals("2 MiB", ((Map<?, ?>) ((List<?>) ties.get("workers_lua_vms")).get(0)).get("http_allocated_gc"),
                "2.5 rounds to even, as C's printf does");
        Map<?, ?> digits = (Map<?, ?>) value(r, "access", "kong.node.get_memory_stats", "");
        assertEquals("5242880", ((Map<?, ?>) ((Map<?, ?>) digits.get("lua_shared_dicts")).get("kong"))
                .get("capacity"), "an empty unit gives %d text");

        assertEquals("invalid unit 'x' (expected 'k/K', 'm/M', or 'g/G')",
                raise(r, "access", "kong.node.get_memory_stats", "x"));
        assertEquals("scale must be equal or greater than 0",
                raise(r, "access", "kong.node.get_memory_stats", "x", -1L), "the scale is checked first");
        assertEquals("scale must be equal or greater than 0",
                raise(r, "access", "kong.node.get_memory_stats", "m", "2"));
        assertEquals("bad argument #1 to 'lower' (string expected, got table)",
                raise(r, "access", "kong.node.get_memory_stats", List.of()));
    }

    @Test
    void vaultLikeKong() {
        FakeRequest r = FakeRequest.builder().vaultSecret("{vault://env/pw}", "s3cr3t").build();
        assertEquals(true, value(r, "access", "kong.vault.is_reference", "{vault://env/pw}"));
        assertEquals(false, value(r, "access", "kong.vault.is_reference", "plain"));
        assertEquals(false, value(r, "access", "kong.vault.is_reference", 1L));
        assertEquals("s3cr3t", value(r, "access", "kong.vault.get", "{vault://env/pw}"));
        assertTrue(r.call("access", "kong.vault.get", List.of("{vault://env/none}")).isError());
        assertEquals("not a reference [plain]", r.call("access", "kong.vault.get", List.of("plain")).message());

        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("token", "t0");
        nested.put("$refs", Map.of("token", "{vault://env/pw}"));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("password", "old");
        options.put("other", "same");
        options.put("inner", nested);
        options.put("list", List.of(new LinkedHashMap<>(nested)));
        options.put("$refs", Map.of("password", "{vault://env/pw}", "other", "{vault://env/unknown}"));
        Map<?, ?> updated = (Map<?, ?>) value(r, "access", "kong.vault.update", options);
        assertEquals("s3cr3t", updated.get("password"));
        assertEquals("same", updated.get("other"), "a reference without a secret leaves its field");
        assertEquals("s3cr3t", ((Map<?, ?>) updated.get("inner")).get("token"), "nested tables too");
        assertEquals("s3cr3t", ((Map<?, ?>) ((List<?>) updated.get("list")).get(0)).get("token"));
        assertEquals(options.get("$refs"), updated.get("$refs"));
        assertEquals("old", options.get("password"), "the caller's map is not changed");
        assertEquals("x", value(r, "access", "kong.vault.update", "x"), "anything but a table comes back");
        assertNull(value(r, "access", "kong.vault.flush"));
        assertEquals(List.of(), r.logLines(), "all known to Kong");
    }
}
