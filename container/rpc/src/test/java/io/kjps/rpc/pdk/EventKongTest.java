package io.kjps.rpc.pdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.Kong;
import io.kjps.pdk.PdkException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The typed PDK: which Kong function each method calls, with which arguments, and how results come back. */
class EventKongTest {

    /** A call the plugin made. */
    record Call(String method, List<Object> args, boolean terminal) {
    }

    /** Records calls and answers them from a script. */
    static final class FakeCaller implements PdkCaller {
        final List<Call> calls = new ArrayList<>();
        final Deque<Object> answers = new ArrayDeque<>();

        FakeCaller answer(Object... results) {
            answers.addAll(Arrays.asList(results));
            return this;
        }

        @Override
        public Object call(String method, Object... args) {
            calls.add(new Call(method, Arrays.asList(args), false));
            return answers.isEmpty() ? null : answers.poll();
        }

        @Override
        public void callTerminal(String method, Object... args) {
            calls.add(new Call(method, Arrays.asList(args), true));
        }
    }

    private static Call only(FakeCaller c) {
        assertEquals(1, c.calls.size(), c.calls.toString());
        return c.calls.get(0);
    }

    private static Call call(String method, Object... args) {
        return new Call(method, Arrays.asList(args), false);
    }

    private static Call terminal(String method, Object... args) {
        return new Call(method, Arrays.asList(args), true);
    }

    /** Runs one PDK method against a fresh fake with one scripted answer; returns the recorded call. */
    private static <R> Call check(Object answer, Function<Kong, R> use, R expected) {
        FakeCaller c = new FakeCaller();
        if (answer != null) {
            c.answers.add(answer);
        }
        R got = use.apply(new EventKong(c));
        if (expected instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) got);
        } else {
            assertEquals(expected, got);
        }
        return only(c);
    }

    private static Call run(Consumer<Kong> use) {
        FakeCaller c = new FakeCaller();
        use.accept(new EventKong(c));
        return only(c);
    }

    @Test
    void request() {
        assertEquals(call("kong.request.get_header", "host"),
                check("example.com", k -> k.request().getHeader("host"), "example.com"));
        assertEquals(call("kong.request.get_header", "x-name"), check(null, k -> k.request().getHeader("x-name"),
                null));
        assertEquals(call("kong.request.get_scheme"), check("https", k -> k.request().getScheme(), "https"));
        assertEquals(call("kong.request.get_host"), check("h", k -> k.request().getHost(), "h"));
        assertEquals(call("kong.request.get_port"), check(8000L, k -> k.request().getPort(), 8000L));
        assertEquals(call("kong.request.get_forwarded_scheme"),
                check("http", k -> k.request().getForwardedScheme(), "http"));
        assertEquals(call("kong.request.get_forwarded_host"), check("f", k -> k.request().getForwardedHost(), "f"));
        assertEquals(call("kong.request.get_forwarded_port"),
                check(443.0, k -> k.request().getForwardedPort(), 443L));
        assertEquals(call("kong.request.get_http_version"), check(2L, k -> k.request().getHttpVersion(), 2.0));
        assertEquals(call("kong.request.get_http_version"), check(1.1, k -> k.request().getHttpVersion(), 1.1));
        assertEquals(call("kong.request.get_method"), check("GET", k -> k.request().getMethod(), "GET"));
        assertEquals(call("kong.request.get_path"), check("/p", k -> k.request().getPath(), "/p"));
        assertEquals(call("kong.request.get_raw_path"), check("/p%20", k -> k.request().getRawPath(), "/p%20"));
        assertEquals(call("kong.request.get_path_with_query"),
                check("/p?a=1", k -> k.request().getPathWithQuery(), "/p?a=1"));
        assertEquals(call("kong.request.get_raw_query"), check("", k -> k.request().getRawQuery(), ""));
        assertEquals(call("kong.request.get_query"), check(Map.of("a", List.of("1")), k -> k.request().getQuery(),
                Map.of("a", List.of("1"))));
        assertEquals(call("kong.request.get_headers"), check(List.of(), k -> k.request().getHeaders(), Map.of()));
        assertEquals(call("kong.request.get_raw_body"), check(new byte[] {1, 2}, k -> k.request().getRawBody(),
                new byte[] {1, 2}));
        assertEquals(call("kong.request.get_start_time"),
                check(1795928519413L, k -> k.request().getStartTime(), 1795928519413.0));
    }

    @Test
    void queryArgShapes() {
        // Kong 3.9.3 returns the first value (Corrections item 3); older Kongs a list; a flag is true
        assertEquals(call("kong.request.get_query_arg", "a"), check("1", k -> k.request().getQueryArg("a"), "1"));
        check(List.of("1", true), k -> k.request().getQueryArg("a"), "1");
        check(List.of(true, true), k -> k.request().getQueryArg("a"), "true");
        check(true, k -> k.request().getQueryArg("flag"), "true");
        check(List.of(), k -> k.request().getQueryArg("a"), null);
        check(null, k -> k.request().getQueryArg("missing"), null);
    }

    @Test
    void response() {
        assertEquals(call("kong.response.get_status"), check(200L, k -> k.response().getStatus(), 200));
        assertEquals(call("kong.response.get_header", "x"), check("v", k -> k.response().getHeader("x"), "v"));
        assertEquals(call("kong.response.get_headers"),
                check(Map.of("x", "v"), k -> k.response().getHeaders(), Map.of("x", List.of("v"))));
        assertEquals(call("kong.response.get_source"), check("service", k -> k.response().getSource(), "service"));
        assertEquals(call("kong.response.set_status", 201), run(k -> k.response().setStatus(201)));
        assertEquals(call("kong.response.set_header", "x-hello", "hello Alice"),
                run(k -> k.response().setHeader("x-hello", "hello Alice")));
        assertEquals(call("kong.response.add_header", "x-pdk-multi-add", "one"),
                run(k -> k.response().addHeader("x-pdk-multi-add", "one")));
        assertEquals(call("kong.response.clear_header", "x"), run(k -> k.response().clearHeader("x")));
        assertEquals(call("kong.response.set_headers", Map.of("a", List.of("1", "2"))),
                run(k -> k.response().setHeaders(Map.of("a", List.of("1", "2")))));
    }

    @Test
    void exitAndErrorAreTerminalWithoutNilInTheMiddle() {
        Map<String, String> why = Map.of("x-why", "test");
        assertEquals(terminal("kong.response.exit", 403, "denied", why),
                run(k -> k.response().exit(403, "denied", why)), "block.jsonl seq 8");
        assertEquals(terminal("kong.response.exit", 403), run(k -> k.response().exit(403)));
        assertEquals(terminal("kong.response.exit", 403), run(k -> k.response().exit(403, null)));
        assertEquals(terminal("kong.response.exit", 200, "ok"), run(k -> k.response().exit(200, "ok")));
        assertEquals(terminal("kong.response.exit", 200, Map.of("a", 1)),
                run(k -> k.response().exit(200, Map.of("a", 1))));
        assertEquals(terminal("kong.response.exit", 204, "", why), run(k -> k.response().exit(204, null, why)),
                "no nil before the headers: Lua's unpack would drop them");
        assertEquals(terminal("kong.response.exit", 200, "b"), run(k -> k.response().exit(200, "b", null)));
        assertEquals(terminal("kong.response.error", 500), run(k -> k.response().error(500)));
        assertEquals(terminal("kong.response.error", 500), run(k -> k.response().error(500, null, null)));
        assertEquals(terminal("kong.response.error", 503, "busy"),
                run(k -> k.response().error(503, "busy", null)));
        assertEquals(terminal("kong.response.error", 503, "busy", why),
                run(k -> k.response().error(503, "busy", why)));
        assertEquals(terminal("kong.response.error", 503, "The upstream server is currently unavailable", why),
                run(k -> k.response().error(503, null, why)),
                "no nil before the headers: Kong's own default text for the status instead");
    }

    @Test
    void genericCallRoutesExitAndErrorToTerminal() {
        FakeCaller c = new FakeCaller().answer("v");
        Kong k = new EventKong(c);
        assertEquals("v", k.call("kong.request.get_header", "a"));
        assertNull(k.call("kong.response.exit", 403, "no"));
        assertNull(k.call("kong.response.error", 500));
        assertNull(k.call("kong.vault.get", "{vault://env/x}"));
        assertEquals(List.of(call("kong.request.get_header", "a"), terminal("kong.response.exit", 403, "no"),
                terminal("kong.response.error", 500), call("kong.vault.get", "{vault://env/x}")), c.calls);
    }

    @Test
    void serviceAndUpstream() {
        assertEquals(call("kong.service.set_upstream", "up"), run(k -> k.service().setUpstream("up")));
        assertEquals(call("kong.service.set_target", "10.0.0.1", 8080),
                run(k -> k.service().setTarget("10.0.0.1", 8080)));
        assertEquals(call("kong.service.request.set_scheme", "https"),
                run(k -> k.service().request().setScheme("https")));
        assertEquals(call("kong.service.request.set_path", "/rewritten"),
                run(k -> k.service().request().setPath("/rewritten")));
        assertEquals(call("kong.service.request.set_raw_query", "a=1"),
                run(k -> k.service().request().setRawQuery("a=1")));
        assertEquals(call("kong.service.request.set_method", "POST"),
                run(k -> k.service().request().setMethod("POST")));
        assertEquals(call("kong.service.request.set_header", "x-added-by-plugin", "yes"),
                run(k -> k.service().request().setHeader("x-added-by-plugin", "yes")));
        assertEquals(call("kong.service.request.add_header", "a", "b"),
                run(k -> k.service().request().addHeader("a", "b")));
        assertEquals(call("kong.service.request.clear_header", "a"),
                run(k -> k.service().request().clearHeader("a")));
        assertEquals(call("kong.service.request.set_headers", Map.of("a", "b")),
                run(k -> k.service().request().setHeaders(Map.of("a", "b"))));
        byte[] body = {1, 2, 3};
        Call raw = run(k -> k.service().request().setRawBody(body));
        assertEquals("kong.service.request.set_raw_body", raw.method());
        assertEquals(1, raw.args().size(), "the byte[] is one argument, not spread");
        assertSame(body, raw.args().get(0));
        assertEquals(call("kong.service.response.get_status"),
                check(502L, k -> k.service().response().getStatus(), 502));
        assertEquals(call("kong.service.response.get_header", "x-echo-upstream"),
                check("1", k -> k.service().response().getHeader("x-echo-upstream"), "1"));
        assertEquals(call("kong.service.response.get_headers"),
                check(Map.of("a", List.of("1", "2")), k -> k.service().response().getHeaders(),
                        Map.of("a", List.of("1", "2"))));
        assertEquals(call("kong.service.response.get_raw_body"),
                check("x", k -> k.service().response().getRawBody(), new byte[] {'x'}));
    }

    @Test
    void logCtxNginxNodeClientIpPlugin() {
        assertEquals(call("kong.log.notice", "pdkcheck access notice"),
                run(k -> k.log().notice("pdkcheck access notice")));
        assertEquals(call("kong.log.err", "a", 1, true), run(k -> k.log().err("a", 1, true)), "parts are spread");
        assertEquals(call("kong.log.alert", "x"), run(k -> k.log().alert("x")));
        assertEquals(call("kong.log.crit", "x"), run(k -> k.log().crit("x")));
        assertEquals(call("kong.log.warn", "x"), run(k -> k.log().warn("x")));
        assertEquals(call("kong.log.info", "x"), run(k -> k.log().info("x")));
        assertEquals(call("kong.log.debug", "x"), run(k -> k.log().debug("x")));
        assertEquals(call("kong.log.serialize"), check("{\"a\":1}", k -> k.log().serialize(), "{\"a\":1}"));
        assertEquals(call("kong.log.set_serialize_value", "a.b", 1),
                run(k -> k.log().setSerializeValue("a.b", 1)));
        assertEquals(call("kong.ctx.shared.set", "k", "v-T1"), run(k -> k.ctx().shared().set("k", "v-T1")));
        assertEquals(call("kong.ctx.shared.get", "k"), check("v-T1", k -> k.ctx().shared().get("k"), "v-T1"));
        assertEquals(call("kong.ctx.shared.get", "k"), check(5L, k -> k.ctx().shared().getString("k"), "5"));
        assertEquals(call("kong.nginx.get_var", "uri"), check("/p", k -> k.nginx().getVar("uri"), "/p"));
        assertEquals(call("kong.nginx.get_ctx", "k"), check(1L, k -> k.nginx().getCtx("k"), 1L));
        assertEquals(call("kong.nginx.set_ctx", "k", 1), run(k -> k.nginx().setCtx("k", 1)));
        assertEquals(call("kong.nginx.get_subsystem"), check("http", k -> k.nginx().getSubsystem(), "http"));
        assertEquals(call("kong.nginx.get_tls1_version_str"),
                check("TLSv1.3", k -> k.nginx().getTls1VersionStr(), "TLSv1.3"));
        assertEquals(call("kong.nginx.req_start_time"), check(1.5, k -> k.nginx().reqStartTime(), 1.5));
        assertEquals(call("kong.node.get_id"), check("e97bc4d6-805a-477d-a13b-e62a4b3937c8",
                k -> k.node().getId(), "e97bc4d6-805a-477d-a13b-e62a4b3937c8"));
        assertEquals(call("kong.node.get_hostname"), check("h", k -> k.node().getHostname(), "h"));
        assertEquals(call("kong.client.get_ip"), check("127.0.0.1", k -> k.client().getIp(), "127.0.0.1"));
        assertEquals(call("kong.client.get_forwarded_ip"), check("1.2.3.4", k -> k.client().getForwardedIp(),
                "1.2.3.4"));
        assertEquals(call("kong.client.get_port"), check(5555L, k -> k.client().getPort(), 5555L));
        assertEquals(call("kong.client.get_forwarded_port"), check(80L, k -> k.client().getForwardedPort(), 80L));
        assertEquals(call("kong.client.get_protocol"), check("http", k -> k.client().getProtocol(), "http"));
        assertEquals(call("kong.ip.is_trusted", "1.2.3.4"), check(true, k -> k.ip().isTrusted("1.2.3.4"), true));
        assertEquals(call("kong.plugin.get_id"), check("00000000-0000-4000-8000-000000000003",
                k -> k.plugin().getId(), "00000000-0000-4000-8000-000000000003"));
    }

    @Test
    void wrongResultTypesArePdkExceptionsNamingTheMethod() {
        PdkException e = assertThrows(PdkException.class,
                () -> new EventKong(new FakeCaller().answer(Map.of())).request().getPort());
        assertEquals("kong.request.get_port: expected a number from Kong, got map of 0", e.getMessage());
        PdkException b = assertThrows(PdkException.class,
                () -> new EventKong(new FakeCaller().answer("yes")).ip().isTrusted("x"));
        assertEquals("kong.ip.is_trusted: expected a boolean from Kong, got string \"yes\"", b.getMessage());
        PdkException nil = assertThrows(PdkException.class,
                () -> new EventKong(new FakeCaller()).response().getStatus());
        assertEquals("kong.response.get_status: expected a number from Kong, got nil", nil.getMessage());
        PdkException big = assertThrows(PdkException.class,
                () -> new EventKong(new FakeCaller().answer(1L << 40)).response().getStatus());
        assertTrue(big.getMessage().startsWith("kong.response.get_status: expected an int from Kong, got "),
                big.getMessage());
        assertEquals(204, new EventKong(new FakeCaller().answer(204.0)).service().response().getStatus(),
                "an integral float is a status too");
    }

    @Test
    void namespacesAreCreatedOnceAndReused() {
        EventKong k = new EventKong(new FakeCaller());
        assertSame(k.request(), k.request());
        assertSame(k.response(), k.response());
        assertSame(k.service(), k.service());
        assertSame(k.service().request(), k.service().request());
        assertSame(k.service().response(), k.service().response());
        assertSame(k.log(), k.log());
        assertSame(k.ctx(), k.ctx());
        assertSame(k.ctx().shared(), k.ctx().shared());
        assertSame(k.nginx(), k.nginx());
        assertSame(k.node(), k.node());
        assertSame(k.client(), k.client());
        assertSame(k.ip(), k.ip());
        assertSame(k.plugin(), k.plugin());
        assertTrue(new FakeCaller().calls.isEmpty());
    }
}
