package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.PdkResult;
import io.kjps.emulator.ReceivedPdkCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole typed PDK through the real socket path: the built distribution serves the test-only {@code pdktour}
 * plugin, whose access phase calls every typed method once. The emulator plays Kong, answering each call with a
 * Kong-shaped value (Kong's packing: multimaps fixed up, raw bodies as bin, integers for floats, empty tables as
 * arrays, integer-keyed maps), and the test asserts the exact {@code Method} and {@code Args} of every call, and
 * the Java value the plugin got for every getter (it reports them as {@code x-tour-*} response headers).
 */
class PdkSurfaceIT {
    private static ServerProcess server;
    private static KongEmulator kong;

    @BeforeAll
    static void start() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = ServerProcess.deployWithFaulty(prefix);
        Files.copy(testJar("kong-java-pluginserver-sample-pdktour"), deploy.resolve("pdktour.jar"));
        server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "pdktour");
        kong = new KongEmulator(new KongClient(new KongConnectionPool(server.socket(), 2,
                KongConnectionPool.Policy.LIFO, Duration.ofSeconds(30))));
    }

    private static Path testJar(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains(artifact) && entry.endsWith(".jar")) {
                return Paths.get(entry);
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path");
    }

    @AfterAll
    static void stop() throws Exception {
        if (kong != null) {
            kong.client().pool().close();
        }
        if (server != null) {
            assertEquals(0, server.stop(), "exit status after SIGTERM");
            server.close();
        }
    }

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** What Kong's Lua PDK returns for each function (Lua-shaped; the emulator applies Kong's fix-ups). */
    private static Object answer(String method, List<Object> args) {
        if (method.equals("kong.node.get_memory_stats") && !args.isEmpty()) {
            // with a unit Kong formats every size as text
            return map("lua_shared_dicts", map("kong", map("allocated_slabs", "0.0 MiB", "capacity", "0.1 MiB")),
                    "workers_lua_vms", List.of(map("http_allocated_gc", "2.5 MiB", "pid", 18004L)));
        }
        return switch (method) {
            case "kong.client.get_ip" -> "127.0.0.1";
            case "kong.client.get_forwarded_ip" -> "10.1.1.1";
            case "kong.client.get_port" -> 51234L;
            case "kong.client.get_forwarded_port" -> 443L;
            case "kong.client.get_protocol" -> "https";
            case "kong.client.get_credential" -> map("id", "k-1", "key", "secret", "consumer", map("id", "c-1"));
            case "kong.client.get_consumer" -> map("id", "c-1", "username", "alice", "created_at", 1795928519L,
                    "tags", List.of());
            case "kong.client.tls.get_full_client_certificate_chain" -> "PEM";
            case "kong.cluster.get_id" -> "cl-1";
            case "kong.ctx.shared.get" -> map("n", 1L);
            case "kong.ip.is_trusted" -> true;
            case "kong.log.serialize" -> "{\"request\":{\"tour\":\"again\"}}";
            case "kong.nginx.get_var" -> "rid-1";
            case "kong.nginx.get_ctx" -> "c";
            case "kong.nginx.get_tls1_version_str" -> "TLSv1.3";
            case "kong.nginx.get_subsystem" -> "http";
            case "kong.nginx.get_statistics" -> map("connections_active", 3L, "total_requests", 10L);
            case "kong.nginx.req_start_time" -> 1795928519L;
            case "kong.node.get_id" -> "n-1";
            case "kong.node.get_hostname" -> "kong-1";
            case "kong.node.get_memory_stats" -> map("lua_shared_dicts",
                    map("kong", map("allocated_slabs", 12288L, "capacity", 24576L)),
                    "workers_lua_vms", List.of(map("http_allocated_gc", 1102L, "pid", 18004L)));
            case "kong.plugin.get_id" -> "p-1";
            case "kong.request.get_scheme", "kong.request.get_forwarded_scheme" -> "http";
            case "kong.request.get_host", "kong.request.get_forwarded_host" -> "example.com";
            case "kong.request.get_port", "kong.request.get_forwarded_port" -> 8000L;
            case "kong.request.get_forwarded_path" -> "/tour";
            case "kong.request.get_http_version" -> 2L;
            case "kong.request.get_method" -> "GET";
            case "kong.request.get_path", "kong.request.get_raw_path" -> "/tour";
            case "kong.request.get_path_with_query" -> "/tour?a=1&a&f";
            case "kong.request.get_raw_query" -> "a=1&a&f";
            case "kong.request.get_query_arg" -> "1";
            case "kong.request.get_query" -> map("a", List.of("1", true), "f", true);
            case "kong.request.get_header" -> "h";
            case "kong.request.get_headers" -> map("x-h", "h", "x-m", List.of("1", "2"));
            case "kong.request.get_raw_body" -> "{\"k\":[]}";
            case "kong.request.get_body" -> map("k", List.of());
            case "kong.request.get_start_time" -> 1795928519413L;
            case "kong.request.get_uri_captures" -> map("unnamed", map(0L, "/tour", 1L, "tour"), "named",
                    List.of());
            case "kong.response.get_status" -> 200L;
            case "kong.response.get_header" -> "r";
            case "kong.response.get_headers" -> map("x-r", "r");
            case "kong.response.get_source" -> "service";
            case "kong.router.get_route" -> map("id", "r-1", "name", "tour", "protocols", List.of("http"),
                    "paths", List.of("/tour"), "strip_path", true, "service", map("id", "s-1"));
            case "kong.router.get_service" -> map("id", "s-1", "host", "echo", "port", 80L, "read_timeout",
                    60000L);
            case "kong.service.set_upstream" -> true;
            case "kong.service.response.get_status" -> 201L;
            case "kong.service.response.get_header" -> "u";
            case "kong.service.response.get_headers" -> map("x-u", "u");
            case "kong.service.response.get_raw_body" -> "{\"up\":1}";
            case "kong.service.response.get_body" -> map("up", 1L);
            case "kong.vault.get" -> "s3cr3t";
            case "kong.vault.is_reference" -> true;
            case "kong.vault.parse_reference" -> map("name", "env", "resource", "pw", "config", List.of());
            case "kong.vault.update" -> map("password", "s3cr3t", "$refs", map("password", "{vault://env/pw}"));
            default -> null;
        };
    }

    private static List<Object> c(String method, Object... args) {
        List<Object> l = new ArrayList<>();
        l.add(method);
        l.addAll(Arrays.asList(args));
        return l;
    }

    @Test
    void everyTypedMethodOnTheWire() {
        Map<String, String> reported = new LinkedHashMap<>();
        List<List<Object>> calls = new ArrayList<>();
        EventOutcome out = kong.handleEvent(kong.startInstance("pdktour", "{}"), "access", (phase, method, args) -> {
            if (method.equals("kong.response.set_header") && String.valueOf(args.get(0)).startsWith("x-tour-")) {
                reported.put(String.valueOf(args.get(0)).substring("x-tour-".length()), String.valueOf(args.get(1)));
            } else {
                List<Object> call = new ArrayList<>();
                call.add(method);
                for (Object a : args) {
                    call.add(a instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : a);
                }
                calls.add(call);
            }
            return PdkResult.of(answer(method, args));
        });
        assertEquals(EventOutcome.Ending.RET, out.ending(), out.abandonReason() + " at " + out.terminalCall());

        Map<Object, Object> consumer = map("id", "c-1", "username", "alice", "created_at", 1795928519L,
                "tags", List.of());
        Map<Object, Object> credential = map("id", "k-1", "key", "secret", "consumer", map("id", "c-1"));
        List<List<Object>> expected = List.of(
                c("kong.client.get_ip"), c("kong.client.get_forwarded_ip"), c("kong.client.get_port"),
                c("kong.client.get_forwarded_port"), c("kong.client.get_protocol"),
                c("kong.client.get_protocol", true), c("kong.client.get_credential"), c("kong.client.get_consumer"),
                c("kong.client.load_consumer", "nobody", true), c("kong.client.authenticate", consumer, credential),
                c("kong.client.tls.request_client_certificate"), c("kong.client.tls.disable_session_reuse"),
                c("kong.client.tls.get_full_client_certificate_chain"),
                c("kong.client.tls.set_client_verify", "SUCCESS"),
                c("kong.cluster.get_id"), c("kong.ctx.shared.set", "tour", map("n", 1L)),
                c("kong.ctx.shared.get", "tour"), c("kong.ip.is_trusted", "10.0.0.1"),
                c("kong.log.alert", "a"), c("kong.log.crit", "c"), c("kong.log.err", "e", 1L),
                c("kong.log.warn", "w"), c("kong.log.notice", "n"), c("kong.log.info", "i"),
                c("kong.log.debug", "d"), c("kong.log.inspect", "x", true), c("kong.log.deprecation", "old"),
                c("kong.log.set_serialize_value", "request.tour", "yes"),
                c("kong.log.set_serialize_value", "request.tour", "again", map("mode", "replace")),
                c("kong.log.serialize"),
                c("kong.nginx.get_var", "request_id"), c("kong.nginx.set_ctx", "tour", "c"),
                c("kong.nginx.get_ctx", "tour"), c("kong.nginx.get_tls1_version_str"),
                c("kong.nginx.get_subsystem"), c("kong.nginx.get_statistics"), c("kong.nginx.req_start_time"),
                c("kong.node.get_id"), c("kong.node.get_hostname"), c("kong.node.get_memory_stats"),
                c("kong.node.get_memory_stats", "m", 1L),
                c("kong.plugin.get_id"),
                c("kong.request.get_scheme"), c("kong.request.get_host"), c("kong.request.get_port"),
                c("kong.request.get_forwarded_scheme"), c("kong.request.get_forwarded_host"),
                c("kong.request.get_forwarded_port"), c("kong.request.get_forwarded_path"),
                c("kong.request.get_forwarded_prefix"), c("kong.request.get_http_version"),
                c("kong.request.get_method"), c("kong.request.get_path"), c("kong.request.get_raw_path"),
                c("kong.request.get_path_with_query"), c("kong.request.get_raw_query"),
                c("kong.request.get_query_arg", "a"), c("kong.request.get_query"), c("kong.request.get_query", 2L),
                c("kong.request.get_header", "x-h"), c("kong.request.get_headers"),
                c("kong.request.get_headers", 3L), c("kong.request.get_raw_body"),
                c("kong.request.get_raw_body", 1024L), c("kong.request.get_body"),
                c("kong.request.get_body", "application/json"), c("kong.request.get_start_time"),
                c("kong.request.get_uri_captures"),
                c("kong.response.get_status"), c("kong.response.get_header", "x-r"), c("kong.response.get_headers"),
                c("kong.response.get_source"), c("kong.response.set_status", 201L),
                c("kong.response.add_header", "x-add", "1"), c("kong.response.clear_header", "x-gone"),
                c("kong.response.set_headers", map("x-multi", List.of("1", "2"))),
                c("kong.router.get_route"), c("kong.router.get_service"),
                c("kong.service.set_upstream", "up"), c("kong.service.set_target", "10.0.0.2", 8080L),
                c("kong.service.set_retries", 3L), c("kong.service.set_timeouts", 1000L, 2000L, 3000L),
                c("kong.service.set_tls_verify", true), c("kong.service.set_tls_verify_depth", 2L),
                c("kong.service.request.enable_buffering"), c("kong.service.request.set_scheme", "https"),
                c("kong.service.request.set_path", "/up"), c("kong.service.request.set_raw_query", "q=1"),
                c("kong.service.request.set_method", "POST"), c("kong.service.request.set_query", map("q", "2")),
                c("kong.service.request.clear_query_arg", "q"), c("kong.service.request.set_header", "x-s", "1"),
                c("kong.service.request.add_header", "x-s", "2"), c("kong.service.request.clear_header", "x-s"),
                c("kong.service.request.set_headers", map("x-t", "3")),
                c("kong.service.request.set_raw_body", "raw"),
                c("kong.service.request.set_body", map("k", "v"), "application/json"),
                c("kong.service.request.disable_tls"), c("kong.service.request.enable_tls"),
                c("kong.service.response.get_status"), c("kong.service.response.get_header", "x-u"),
                c("kong.service.response.get_headers"), c("kong.service.response.get_headers", 4L),
                c("kong.service.response.get_raw_body"), c("kong.service.response.get_body"),
                c("kong.service.response.get_body", "application/json"),
                c("kong.vault.get", "{vault://env/pw}"), c("kong.vault.is_reference", "{vault://env/pw}"),
                c("kong.vault.parse_reference", "{vault://env/pw}"),
                c("kong.vault.update", map("password", "old", "$refs", map("password", "{vault://env/pw}"))),
                c("kong.vault.flush"));
        for (int i = 0; i < Math.min(expected.size(), calls.size()); i++) {
            assertEquals(expected.get(i), calls.get(i), "call " + i);
        }
        assertEquals(expected.size(), calls.size(), calls.toString());

        Map<String, String> values = new LinkedHashMap<>();
        values.put("client-ip", "String:127.0.0.1");
        values.put("client-fwd-ip", "String:10.1.1.1");
        values.put("client-port", "Long:51234");
        values.put("client-fwd-port", "Long:443");
        values.put("client-protocol", "String:https");
        values.put("client-protocol-t", "String:https");
        values.put("credential", "String:k-1/c-1/secret");
        values.put("consumer", "String:c-1/alice/null/1795928519/[]");
        values.put("load-consumer", "nil");
        values.put("tls-chain", "String:PEM");
        values.put("cluster-id", "String:cl-1");
        values.put("shared", "{n=Long:1}");
        values.put("trusted", "Boolean:true");
        values.put("serialize", "String:{\"request\":{\"tour\":\"again\"}}");
        values.put("var", "String:rid-1");
        values.put("ngx-ctx", "String:c");
        values.put("tls1", "String:TLSv1.3");
        values.put("subsystem", "String:http");
        values.put("statistics", "{connections_active=Long:3, total_requests=Long:10}");
        values.put("req-start", "Double:1.795928519E9");
        values.put("node-id", "String:n-1");
        values.put("hostname", "String:kong-1");
        values.put("memory", "String:{kong=SharedDict[allocatedSlabs=12288, capacity=24576]} "
                + "[WorkerVm[pid=18004, httpAllocatedGc=1102, error=null]]");
        values.put("memory-mib", "String:{kong=SharedDict[allocatedSlabs=0.0 MiB, capacity=0.1 MiB]} "
                + "[WorkerVm[pid=18004, httpAllocatedGc=2.5 MiB, error=null]]");
        values.put("plugin-id", "String:p-1");
        values.put("scheme", "String:http");
        values.put("host", "String:example.com");
        values.put("port", "Long:8000");
        values.put("fwd-scheme", "String:http");
        values.put("fwd-host", "String:example.com");
        values.put("fwd-port", "Long:8000");
        values.put("fwd-path", "String:/tour");
        values.put("fwd-prefix", "nil");
        values.put("http-version", "Double:2.0");
        values.put("method", "String:GET");
        values.put("path", "String:/tour");
        values.put("raw-path", "String:/tour");
        values.put("path-query", "String:/tour?a=1&a&f");
        values.put("raw-query", "String:a=1&a&f");
        values.put("query-arg", "String:1");
        values.put("query", "{a=[String:1, String:true], f=[]}");
        values.put("query-max", "{a=[String:1, String:true], f=[]}");
        values.put("header", "String:h");
        values.put("headers", "{x-h=[String:h], x-m=[String:1, String:2]}");
        values.put("headers-max", "{x-h=[String:h], x-m=[String:1, String:2]}");
        values.put("raw-body", "bytes:{\"k\":[]}");
        values.put("raw-body-max", "bytes:{\"k\":[]}");
        values.put("body", "{k=[]}");
        values.put("body-mime", "{k=[]}");
        values.put("start-time", "Double:1.795928519413E12");
        values.put("captures", "String:{0=/tour, 1=tour} {}");
        values.put("status", "Integer:200"); // an HTTP status is an int (docs/decisions.md, issue 11)
        values.put("resp-header", "String:r");
        values.put("resp-headers", "{x-r=[String:r]}");
        values.put("source", "String:service");
        values.put("route", "String:r-1/tour/[http]/[/tour]/true/s-1");
        values.put("service", "String:s-1/echo/80/60000");
        values.put("svc-status", "Integer:201");
        values.put("svc-header", "String:u");
        values.put("svc-headers", "{x-u=[String:u]}");
        values.put("svc-headers-max", "{x-u=[String:u]}");
        values.put("svc-raw-body", "bytes:{\"up\":1}");
        values.put("svc-body", "{up=Long:1}");
        values.put("svc-body-mime", "{up=Long:1}");
        values.put("vault-get", "String:s3cr3t");
        values.put("vault-is-ref", "Boolean:true");
        values.put("vault-parse", "VaultReference:VaultReference[name=env, resource=pw, key=null, version=null, "
                + "config={}]");
        values.put("vault-update", "{$refs={password=String:{vault://env/pw}}, password=String:s3cr3t}");
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), reported.get(e.getKey()), e.getKey());
        }
        assertEquals(values.keySet(), reported.keySet());
    }
}
