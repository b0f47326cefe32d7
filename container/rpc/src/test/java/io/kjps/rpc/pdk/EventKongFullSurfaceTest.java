package io.kjps.rpc.pdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kjps.pdk.Kong;
import io.kjps.pdk.PdkException;
import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Credential;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.pdk.entity.GatewayService;
import io.kjps.pdk.entity.MemoryStats;
import io.kjps.pdk.entity.Route;
import io.kjps.pdk.entity.UriCaptures;
import io.kjps.pdk.entity.VaultReference;
import io.kjps.rpc.pdk.EventKongTest.Call;
import io.kjps.rpc.pdk.EventKongTest.FakeCaller;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The PDK 1.1 and 1.2 additions: method names, Args and the decoding of Kong-shaped results (protocol.md §6.2, §4.13). */
class EventKongFullSurfaceTest {

    private static Call call(String method, Object... args) {
        return new Call(method, Arrays.asList(args), false);
    }

    /** Runs {@code use} against a fake answering {@code answer}; asserts the one call made; returns the result. */
    private static <R> R check(Call expected, Object answer, Function<Kong, R> use) {
        FakeCaller c = new FakeCaller();
        if (answer != null) {
            c.answer(answer);
        }
        R got = use.apply(new EventKong(c));
        assertEquals(List.of(expected), c.calls);
        return got;
    }

    private static void run(Call expected, java.util.function.Consumer<Kong> use) {
        check(expected, null, k -> {
            use.accept(k);
            return null;
        });
    }

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void router() {
        Map<Object, Object> route = map("id", "r-1", "name", "demo", "protocols", List.of("http", "https"),
                "paths", List.of("/demo"), "strip_path", true, "preserve_host", false, "tags", List.of(),
                "service", map("id", "s-1"), "created_at", 1795928519L, "https_redirect_status_code", 426L);
        Route r = check(call("kong.router.get_route"), route, k -> k.router().getRoute());
        assertEquals(new Route("r-1", "demo", List.of("http", "https"), List.of(), List.of(), List.of("/demo"), true,
                false, List.of(), "s-1", r.raw()), r);
        assertEquals(426L, r.raw().get("https_redirect_status_code"), "fields without a record component stay in raw");
        assertNull(check(call("kong.router.get_route"), null, k -> k.router().getRoute()), "no Data: no route");

        Map<Object, Object> service = map("id", "s-1", "name", "echo", "protocol", "http", "host", "127.0.0.1",
                "port", 15555L, "retries", 5L, "connect_timeout", 60000L, "write_timeout", 60000L,
                "read_timeout", 60000.0, "enabled", true);
        GatewayService s = check(call("kong.router.get_service"), service, k -> k.router().getService());
        assertEquals(new GatewayService("s-1", "echo", "http", "127.0.0.1", 15555L, null, 5L, 60000L, 60000L, 60000L,
                List.of(), s.raw()), s);
        assertNull(check(call("kong.router.get_service"), null, k -> k.router().getService()));
    }

    @Test
    void clientConsumerAndCredential() {
        Map<Object, Object> consumer = map("id", "c-1", "username", "alice", "created_at", 1795928519L,
                "tags", List.of("gold"));
        assertEquals(new Consumer("c-1", "alice", null, 1795928519L, List.of("gold"), Map.of("id", "c-1",
                "username", "alice", "created_at", 1795928519L, "tags", List.of("gold"))),
                check(call("kong.client.get_consumer"), consumer, k -> k.client().getConsumer()));
        assertNull(check(call("kong.client.get_consumer"), null, k -> k.client().getConsumer()));
        Consumer loaded = check(call("kong.client.load_consumer", "alice", true), consumer,
                k -> k.client().loadConsumer("alice", true));
        assertEquals("c-1", loaded.id());

        Map<Object, Object> cred = map("id", "k-1", "key", "secret", "consumer", map("id", "c-1"));
        Credential c = check(call("kong.client.get_credential"), cred, k -> k.client().getCredential());
        assertEquals("k-1", c.id());
        assertEquals("c-1", c.consumerId());
        assertEquals("secret", c.raw().get("key"));

        run(call("kong.client.authenticate", loaded.raw(), c.raw()), k -> k.client().authenticate(loaded, c));
        run(call("kong.client.authenticate", loaded.raw()), k -> k.client().authenticate(loaded, null));
        Kong k = new EventKong(new FakeCaller());
        assertThrows(IllegalArgumentException.class, () -> k.client().authenticate(null, c),
                "a nil first argument would truncate Kong's Args");
        assertThrows(IllegalArgumentException.class, () -> k.client().authenticate(null, null));

        assertEquals("https", check(call("kong.client.get_protocol", true), "https",
                kk -> kk.client().getProtocol(true)));
    }

    @Test
    void clientTls() {
        run(call("kong.client.tls.request_client_certificate"), k -> k.client().tls().requestClientCertificate());
        run(call("kong.client.tls.disable_session_reuse"), k -> k.client().tls().disableSessionReuse());
        run(call("kong.client.tls.set_client_verify", "SUCCESS"), k -> k.client().tls().setClientVerify("SUCCESS"));
        assertEquals("-----BEGIN CERTIFICATE-----", check(call("kong.client.tls.get_full_client_certificate_chain"),
                "-----BEGIN CERTIFICATE-----", k -> k.client().tls().getFullClientCertificateChain()));
        assertNull(check(call("kong.client.tls.get_full_client_certificate_chain"), null,
                k -> k.client().tls().getFullClientCertificateChain()));
    }

    @Test
    void clusterNodeAndNginx() {
        assertEquals("cl-1", check(call("kong.cluster.get_id"), "cl-1", k -> k.cluster().getId()));
        Map<Object, Object> stats = map(
                "lua_shared_dicts", map("kong", map("allocated_slabs", 12288L, "capacity", 24576L)),
                "workers_lua_vms", List.of(map("http_allocated_gc", 1102L, "pid", 18004L),
                        map("pid", 18005L, "err", "could not get worker's HTTP Lua VM memory")));
        MemoryStats m = check(call("kong.node.get_memory_stats"), stats, k -> k.node().getMemoryStats());
        assertEquals(Map.of("kong", new MemoryStats.SharedDict(12288, 24576)), m.luaSharedDicts());
        assertEquals(List.of(new MemoryStats.WorkerVm(18004, 1102L, null),
                new MemoryStats.WorkerVm(18005, null, "could not get worker's HTTP Lua VM memory")), m.workersLuaVms());
        MemoryStats empty = check(call("kong.node.get_memory_stats"), map("lua_shared_dicts", List.of(),
                "workers_lua_vms", List.of()), k -> k.node().getMemoryStats());
        assertEquals(Map.of(), empty.luaSharedDicts(), "an empty table arrives as []");

        // with a unit Kong formats every size as text; the pid stays a number
        Map<Object, Object> mib = map(
                "lua_shared_dicts", map("kong", map("allocated_slabs", "0.0 MiB", "capacity", "5.0 MiB")),
                "workers_lua_vms", List.of(map("http_allocated_gc", "2.5 MiB", "pid", 18004L),
                        map("pid", 18005L, "err", "could not get worker's HTTP Lua VM memory")));
        FormattedMemoryStats f = check(call("kong.node.get_memory_stats", "m", 1), mib,
                k -> k.node().getMemoryStats("m", 1));
        assertEquals(Map.of("kong", new FormattedMemoryStats.SharedDict("0.0 MiB", "5.0 MiB")), f.luaSharedDicts());
        assertEquals(List.of(new FormattedMemoryStats.WorkerVm(18004, "2.5 MiB", null),
                new FormattedMemoryStats.WorkerVm(18005, null, "could not get worker's HTTP Lua VM memory")),
                f.workersLuaVms());
        assertEquals("5.0 MiB", ((Map<?, ?>) ((Map<?, ?>) f.raw().get("lua_shared_dicts")).get("kong"))
                .get("capacity"), "the whole table stays in raw");
        // with "b" Kong sends numbers: they arrive as their digits
        FormattedMemoryStats b = check(call("kong.node.get_memory_stats", "B", 0), stats,
                k -> k.node().getMemoryStats("B", 0));
        assertEquals(Map.of("kong", new FormattedMemoryStats.SharedDict("12288", "24576")), b.luaSharedDicts());
        assertEquals(new FormattedMemoryStats.WorkerVm(18004, "1102", null), b.workersLuaVms().get(0));
        assertNull(check(call("kong.node.get_memory_stats", "k", 2), null, k -> k.node().getMemoryStats("k", 2)),
                "no Data: null");
        FakeCaller none = new FakeCaller();
        Kong kong = new EventKong(none);
        for (String bad : new String[] {"x", "", "kb", "MiB"}) {
            assertThrows(IllegalArgumentException.class, () -> kong.node().getMemoryStats(bad, 2),
                    "Kong raises for unit '" + bad + "'");
        }
        assertThrows(IllegalArgumentException.class, () -> kong.node().getMemoryStats(null, 2));
        assertThrows(IllegalArgumentException.class, () -> kong.node().getMemoryStats("g", -1));
        assertEquals(List.of(), none.calls, "refused before anything is sent");

        assertEquals(Map.of("connections_active", 3L, "total_requests", 10L),
                check(call("kong.nginx.get_statistics"), map("connections_active", 3L, "total_requests", 10.0),
                        k -> k.nginx().getStatistics()));
    }

    @Test
    void log() {
        run(call("kong.log.inspect", "a", 1L), k -> k.log().inspect("a", 1L));
        run(call("kong.log.deprecation", "old"), k -> k.log().deprecation("old"));
        run(call("kong.log.set_serialize_value", "request.x", "v", Map.of("mode", "add")),
                k -> k.log().setSerializeValue("request.x", "v", "add"));
        run(call("kong.log.set_serialize_value", "request.x", "v"),
                k -> k.log().setSerializeValue("request.x", "v", null));
        assertEquals("{\"a\":1}", check(call("kong.log.serialize"), "{\"a\":1}", k -> k.log().serialize()),
                "serialize is JSON text, not a map (protocol.md §6.3)");
    }

    @Test
    void requestAdditions() {
        assertEquals("/fwd", check(call("kong.request.get_forwarded_path"), "/fwd",
                k -> k.request().getForwardedPath()));
        assertNull(check(call("kong.request.get_forwarded_prefix"), null, k -> k.request().getForwardedPrefix()));
        assertEquals(Map.of("a", List.of("1", "true"), "f", List.of()),
                check(call("kong.request.get_query", 10), map("a", List.of("1", true), "f", List.of()),
                        k -> k.request().getQuery(10)));
        assertEquals(Map.of(), check(call("kong.request.get_query", 10), map(), k -> k.request().getQuery(10)),
                "an empty get_query arrives as an empty map (Corrections 4)");
        assertEquals(Map.of("x", List.of("1", "2")), check(call("kong.request.get_headers", 5),
                map("x", List.of("1", "2")), k -> k.request().getHeaders(5)));
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, check(call("kong.request.get_raw_body", 0L),
                new byte[] {(byte) 0xff, 0}, k -> k.request().getRawBody(0)));
        assertArrayEquals("hi".getBytes(), check(call("kong.request.get_raw_body", 1024L), "hi",
                k -> k.request().getRawBody(1024)), "Kong 2.x sends bodies as str");
        Map<Object, Object> body = map("a", 1L, "n", null);
        assertEquals(body, check(call("kong.request.get_body"), body, k -> k.request().getBody()),
                "a JSON null keeps its key (Corrections 4)");
        assertEquals(List.of(), check(call("kong.request.get_body", "application/json"), List.of(),
                k -> k.request().getBody("application/json")));
    }

    @Test
    void uriCaptures() {
        UriCaptures withZero = check(call("kong.request.get_uri_captures"),
                map("unnamed", map(0L, "/users/42", 1L, "42"), "named", map("id", "42")),
                k -> k.request().getUriCaptures());
        assertEquals(new UriCaptures(Map.of(0, "/users/42", 1, "42"), Map.of("id", "42")), withZero);
        UriCaptures array = check(call("kong.request.get_uri_captures"),
                map("unnamed", List.of("a", "b"), "named", List.of()), k -> k.request().getUriCaptures());
        assertEquals(new UriCaptures(Map.of(1, "a", 2, "b"), Map.of()), array, "a Lua array counts from 1");
        assertEquals(new UriCaptures(Map.of(), Map.of()), check(call("kong.request.get_uri_captures"),
                map("unnamed", List.of(), "named", List.of()), k -> k.request().getUriCaptures()));
        FakeCaller c = new FakeCaller().answer(map("unnamed", map("x", "y")));
        assertThrows(PdkException.class, () -> new EventKong(c).request().getUriCaptures());
    }

    @Test
    void service() {
        run(call("kong.service.set_retries", 3), k -> k.service().setRetries(3));
        run(call("kong.service.set_timeouts", 1000, 2000, 3000), k -> k.service().setTimeouts(1000, 2000, 3000));
        run(call("kong.service.set_tls_verify", true), k -> k.service().setTlsVerify(true));
        run(call("kong.service.set_tls_verify_depth", 2), k -> k.service().setTlsVerifyDepth(2));
        run(call("kong.service.request.enable_buffering"), k -> k.service().request().enableBuffering());
        run(call("kong.service.request.set_query", Map.of("a", List.of("1", "2"), "f", true)),
                k -> k.service().request().setQuery(Map.of("a", List.of("1", "2"), "f", true)));
        run(call("kong.service.request.clear_query_arg", "a"), k -> k.service().request().clearQueryArg("a"));
        run(call("kong.service.request.set_body", Map.of("a", 1), "application/json"),
                k -> k.service().request().setBody(Map.of("a", 1), "application/json"));
        run(call("kong.service.request.set_body", Map.of("a", 1)),
                k -> k.service().request().setBody(Map.of("a", 1), null));
        run(call("kong.service.request.disable_tls"), k -> k.service().request().disableTls());
        run(call("kong.service.request.enable_tls"), k -> k.service().request().enableTls());
        assertEquals(Map.of("h", List.of("v")), check(call("kong.service.response.get_headers", 7), map("h", "v"),
                k -> k.service().response().getHeaders(7)));
        assertEquals(map("ok", true), check(call("kong.service.response.get_body"), map("ok", true),
                k -> k.service().response().getBody()));
        assertEquals(map("ok", true), check(call("kong.service.response.get_body", "application/json"),
                map("ok", true), k -> k.service().response().getBody("application/json")));
    }

    @Test
    void vault() {
        assertEquals("s3cr3t", check(call("kong.vault.get", "{vault://env/pw}"), "s3cr3t",
                k -> k.vault().get("{vault://env/pw}")));
        assertNull(check(call("kong.vault.get", "{vault://env/none}"), null, k -> k.vault().get("{vault://env/none}")),
                "Kong 3.x drops the error: no Data");
        assertEquals(Boolean.TRUE, check(call("kong.vault.is_reference", "{vault://env/pw}"), true,
                k -> k.vault().isReference("{vault://env/pw}")));
        assertEquals(Boolean.FALSE, check(call("kong.vault.is_reference", "plain"), false,
                k -> k.vault().isReference("plain")));
        assertEquals(new VaultReference("env", "pw", null, 2L, Map.of("prefix", "X_")),
                check(call("kong.vault.parse_reference", "{vault://env/pw?prefix=X_}"),
                        map("name", "env", "resource", "pw", "version", 2L, "config", map("prefix", "X_")),
                        k -> k.vault().parseReference("{vault://env/pw?prefix=X_}")));
        assertEquals(new VaultReference("env", "pw", null, null, Map.of()),
                check(call("kong.vault.parse_reference", "{vault://env/pw}"),
                        map("name", "env", "resource", "pw", "config", List.of()),
                        k -> k.vault().parseReference("{vault://env/pw}")));

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("password", "old");
        options.put("$refs", Map.of("password", "{vault://env/pw}"));
        Map<Object, Object> updated = map("password", "new", "$refs", map("password", "{vault://env/pw}"));
        assertEquals(updated, check(call("kong.vault.update", options), updated, k -> k.vault().update(options)));
        assertEquals(Map.of(), check(call("kong.vault.update", Map.of()), List.of(),
                k -> k.vault().update(Map.of())), "an empty table comes back as []");
        assertNull(check(call("kong.vault.update", Map.of("a", 1)), null, k -> k.vault().update(Map.of("a", 1))),
                "no Data (a Kong without update): null");
        Kong k = new EventKong(new FakeCaller());
        assertThrows(NullPointerException.class, () -> k.vault().update(null));
        FakeCaller c = new FakeCaller().answer(List.of("not", "a", "map"));
        assertThrows(PdkException.class, () -> new EventKong(c).vault().update(Map.of()));
        run(call("kong.vault.flush"), kk -> kk.vault().flush());
    }

    @Test
    void namespacesAreCached() {
        Kong k = new EventKong(new FakeCaller());
        assertEquals(k.router(), k.router());
        assertEquals(k.vault(), k.vault());
        assertEquals(k.cluster(), k.cluster());
        assertEquals(k.client().tls(), k.client().tls());
    }
}
