package io.kjps.emulator;

import io.kjps.emulator.internal.HeaderList;
import io.kjps.emulator.internal.Json;
import io.kjps.emulator.internal.LuaValues;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One HTTP request going through Kong, in memory: a {@link PdkHandler} that answers the common PDK functions the
 * way Kong 3.9 does (nil for missing values, Lua-shaped multimaps, Lua errors for bad arguments and wrong phases) and
 * records what the plugin did, for assertions. Use the same FakeRequest for all phases of one request:
 * {@code kong.ctx.shared} and the nginx ctx live across them.
 *
 * <p>Modelled: {@code kong.request.*} getters ({@code get_method, get_path, get_raw_path, get_path_with_query,
 * get_raw_query, get_query, get_query_arg, get_header, get_headers, get_raw_body, get_body, get_scheme, get_host,
 * get_port, get_forwarded_*, get_http_version, get_start_time, get_uri_captures}); {@code kong.response.*}
 * ({@code get_status, get_header, get_headers, get_source, set_status, set_header, add_header, clear_header,
 * set_headers, exit, error}); {@code kong.service.request.*} setters (recorded and applied to the request sent
 * upstream) and the other {@code kong.service.*} setters (recorded); {@code kong.service.response.*} getters (from the
 * upstream response); {@code kong.ctx.shared.get/set}; {@code kong.nginx.get_var, get_ctx, set_ctx,
 * get_subsystem, req_start_time}; {@code kong.log.<level>}, {@code inspect}, {@code deprecation},
 * {@code set_serialize_value}, {@code serialize} (a JSON string); {@code kong.node.get_id, get_hostname,
 * get_memory_stats} (one worker and two shared dictionaries, with Kong's units and its errors for a bad unit or
 * scale); {@code kong.plugin.get_id}; {@code kong.client.get_ip, get_forwarded_ip, get_port, get_forwarded_port,
 * get_protocol, get_credential, get_consumer}; {@code kong.router.get_route, get_service}; {@code kong.ip.is_trusted};
 * {@code kong.vault.is_reference, get, update, flush} (the secrets given with {@link Builder#vaultSecret}).
 * Every other method is treated as unknown to Kong: logged as {@code could not find pdk method: <m>} at level
 * {@code err} and answered nil.
 *
 * <p>The upstream answers what the builder says: a fixed status, headers and body ({@link Builder#upstreamStatus},
 * {@link Builder#upstreamHeader}, {@link Builder#upstreamBody}), or, with {@link Builder#echoUpstream()}, a JSON
 * document describing the request it received after the plugin's {@code kong.service.request.*} changes.
 *
 * <p>Phases: {@code kong.response} getters raise in {@code rewrite}/{@code access}; setters and {@code exit} raise in
 * {@code log}; {@code kong.service.request} setters raise outside {@code rewrite}/{@code access}; in {@code log} (a
 * timer in Kong) functions that read {@code ngx.var}/{@code ngx.req} raise, while headers come from the snapshot.
 *
 * <p>Thread-safe (calls are serialised).
 */
public final class FakeRequest implements PdkHandler {

    /**
     * One line a plugin logged through {@code kong.log.*} (or Kong logged about a call).
     *
     * @param level   {@code alert, crit, err, warn, notice, info, debug}
     * @param message the concatenated arguments
     */
    public record LogLine(String level, String message) {
    }

    private static final Set<String> LOG_LEVELS = Set.of("alert", "crit", "err", "warn", "notice", "info", "debug");
    private static final Set<String> TIMER_DISABLED = Set.of("kong.nginx.get_var", "kong.client.get_ip",
            "kong.client.get_forwarded_ip", "kong.client.get_port", "kong.client.get_forwarded_port",
            "kong.request.get_method", "kong.request.get_path", "kong.request.get_raw_path",
            "kong.request.get_path_with_query", "kong.request.get_raw_query", "kong.request.get_query",
            "kong.request.get_query_arg", "kong.request.get_body", "kong.request.get_raw_body",
            "kong.request.get_scheme", "kong.request.get_host", "kong.request.get_port",
            "kong.request.get_forwarded_scheme", "kong.request.get_forwarded_host",
            "kong.request.get_forwarded_port", "kong.request.get_forwarded_path", "kong.request.get_http_version");
    private static final Map<Integer, String> ERROR_MESSAGES = Map.ofEntries(
            Map.entry(400, "Bad request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not found"), Map.entry(405, "Method not allowed"), Map.entry(406, "Not acceptable"),
            Map.entry(408, "Request timeout"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(411, "Length required"), Map.entry(412, "Precondition failed"),
            Map.entry(413, "Payload too large"), Map.entry(414, "URI too long"),
            Map.entry(415, "Unsupported media type"), Map.entry(429, "Too many requests"),
            Map.entry(500, "An unexpected error occurred"),
            Map.entry(502, "An invalid response was received from the upstream server"),
            Map.entry(503, "The upstream server is currently unavailable"),
            Map.entry(504, "The upstream server is timing out"));
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    /**
     * The shared dictionaries {@code kong.node.get_memory_stats} reports: name to {capacity, allocated bytes}
     * ({@code kong}: 5 MiB, 40 KiB used; {@code kong_db_cache}: 128 MiB, 776 KiB used).
     */
    static final Map<String, long[]> SHARED_DICTS = sharedDicts();
    /** The one worker {@code kong.node.get_memory_stats} reports. */
    static final long WORKER_PID = 4242;
    /** Its Lua VM's memory: 2.5 MiB. */
    static final long WORKER_LUA_VM_BYTES = 2_621_440;

    // the request as it is now (kong.service.request setters change it, as ngx.req.* does)
    private final String scheme;
    private final String host;
    private final long port;
    private final String path;
    private final String clientIp;
    private final long clientPort;
    private final String nodeId;
    private final String pluginId;
    private final String requestId;
    private final long startMillis;
    private final Map<String, Object> vars;
    private String method;
    private String rawQuery;
    private final HeaderList requestHeaders;
    private byte[] body;
    private String upstreamPath;

    // upstream response and what the plugin does to the client response
    private final int upstreamStatus;
    private final HeaderList upstreamHeaders; // as given; an echo adds its Content-Type (upstreamHeaderList)
    private final byte[] upstreamBody; // as given; unused by an echo (upstreamBodyBytes)
    private final boolean echoUpstream;
    private final Map<String, String> vaultSecrets;
    private final List<Object[]> responseOps = new ArrayList<>(); // the plugin's header changes: {op, name, values}
    private HeaderList exitHeaders;
    private Integer statusSet;
    private boolean exited;
    private int exitStatus;
    private byte[] exitBody = new byte[0];

    private final Map<Object, Object> shared = new LinkedHashMap<>();
    private final Map<Object, Object> ctx = new LinkedHashMap<>();
    private final Map<String, Object> serializeExtras = new LinkedHashMap<>();
    private final List<ReceivedPdkCall> serviceCalls = new ArrayList<>();
    private final List<LogLine> logLines = new ArrayList<>();

    private FakeRequest(Builder b) {
        scheme = b.scheme;
        host = b.host;
        port = b.port;
        path = b.path;
        clientIp = b.clientIp;
        clientPort = b.clientPort;
        nodeId = b.nodeId;
        pluginId = b.pluginId;
        requestId = b.requestId;
        startMillis = b.startMillis;
        vars = new LinkedHashMap<>(b.vars);
        method = b.method;
        rawQuery = b.rawQuery;
        requestHeaders = b.headers.copy();
        if (requestHeaders.first("host") == null) {
            requestHeaders.add("host", port == 80 || port == 443 ? host : host + ":" + port);
        }
        body = b.body;
        upstreamStatus = b.upstreamStatus;
        upstreamHeaders = b.upstreamHeaders.copy();
        upstreamBody = b.upstreamBody;
        echoUpstream = b.echoUpstream;
        vaultSecrets = new LinkedHashMap<>(b.vaultSecrets);
        ctx.putAll(b.ctx);
    }

    private static Map<String, long[]> sharedDicts() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("kong", new long[] {5_242_880, 40_960});
        m.put("kong_db_cache", new long[] {134_217_728, 794_624});
        return Collections.unmodifiableMap(m);
    }

    /**
     * @return a builder for {@code GET /} from 127.0.0.1 to http://localhost:8000, the upstream answering 200 with
     *         no headers and an empty body
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FakeRequest}; every setter returns the builder. */
    public static final class Builder {
        private String method = "GET";
        private String scheme = "http";
        private String host = "localhost";
        private long port = 8000;
        private String path = "/";
        private String rawQuery;
        private final HeaderList headers = new HeaderList();
        private byte[] body;
        private String clientIp = "127.0.0.1";
        private long clientPort = 40000;
        private String nodeId = "16936ee9-cc9f-4a29-8128-4a12ce19a707";
        private String pluginId = "00000000-0000-4000-8000-000000000001";
        private String requestId = UUID.randomUUID().toString().replace("-", "");
        private long startMillis = System.currentTimeMillis();
        private final Map<String, Object> vars = new LinkedHashMap<>();
        private final Map<Object, Object> ctx = new LinkedHashMap<>();
        private int upstreamStatus = 200;
        private final HeaderList upstreamHeaders = new HeaderList();
        private byte[] upstreamBody = new byte[0];
        private boolean echoUpstream;
        private final Map<String, String> vaultSecrets = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param m the request method
         * @return this
         */
        public Builder method(String m) {
            method = m;
            return this;
        }

        /**
         * @param s the scheme, {@code http} or {@code https}
         * @return this
         */
        public Builder scheme(String s) {
            scheme = s;
            return this;
        }

        /**
         * @param h the host (without port)
         * @return this
         */
        public Builder host(String h) {
            host = h;
            return this;
        }

        /**
         * @param p the port Kong listens on
         * @return this
         */
        public Builder port(long p) {
            port = p;
            return this;
        }

        /**
         * @param p the path, e.g. {@code /some/path}
         * @return this
         */
        public Builder path(String p) {
            path = p;
            return this;
        }

        /**
         * @param q the raw query without {@code ?}, or null for none
         * @return this
         */
        public Builder query(String q) {
            rawQuery = q;
            return this;
        }

        /**
         * @param pathAndQuery e.g. {@code /some/path?a=1&flag}
         * @return this
         */
        public Builder uri(String pathAndQuery) {
            int q = pathAndQuery.indexOf('?');
            path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
            rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
            return this;
        }

        /**
         * @param name header name
         * @param value value (repeat the call for a repeated header)
         * @return this
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * @param name header name
         * @param value raw bytes (e.g. latin-1)
         * @return this
         */
        public Builder header(String name, byte[] value) {
            headers.add(name, LuaValues.string(value));
            return this;
        }

        /**
         * @param b the request body (UTF-8)
         * @return this
         */
        public Builder body(String b) {
            body = b.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * @param b the request body
         * @return this
         */
        public Builder body(byte[] b) {
            body = b.clone();
            return this;
        }

        /**
         * @param ip the client address
         * @return this
         */
        public Builder clientIp(String ip) {
            clientIp = ip;
            return this;
        }

        /**
         * @param p the client port
         * @return this
         */
        public Builder clientPort(long p) {
            clientPort = p;
            return this;
        }

        /**
         * @param id {@code kong.node.get_id()}
         * @return this
         */
        public Builder nodeId(String id) {
            nodeId = id;
            return this;
        }

        /**
         * @param id {@code kong.plugin.get_id()}
         * @return this
         */
        public Builder pluginId(String id) {
            pluginId = id;
            return this;
        }

        /**
         * @param id the request id in {@code kong.log.serialize()}
         * @return this
         */
        public Builder requestId(String id) {
            requestId = id;
            return this;
        }

        /**
         * @param millis the request start time (epoch ms)
         * @return this
         */
        public Builder startMillis(long millis) {
            startMillis = millis;
            return this;
        }

        /**
         * @param name an {@code ngx.var} name
         * @param value its value (string)
         * @return this
         */
        public Builder nginxVar(String name, String value) {
            vars.put(name, value);
            return this;
        }

        /**
         * @param key an {@code ngx.ctx} key, e.g. {@code KONG_ACCESS_START}
         * @param value its value
         * @return this
         */
        public Builder nginxCtx(String key, Object value) {
            ctx.put(key, value);
            return this;
        }

        /**
         * @param s the upstream's status
         * @return this
         */
        public Builder upstreamStatus(int s) {
            upstreamStatus = s;
            return this;
        }

        /**
         * @param name upstream response header
         * @param value value (repeatable)
         * @return this
         */
        public Builder upstreamHeader(String name, String value) {
            upstreamHeaders.add(name, value);
            return this;
        }

        /**
         * A fixed upstream body. Turns an {@link #echoUpstream() echo} off again.
         *
         * @param b the upstream response body (UTF-8)
         * @return this
         */
        public Builder upstreamBody(String b) {
            upstreamBody = b.getBytes(StandardCharsets.UTF_8);
            echoUpstream = false;
            return this;
        }

        /**
         * A fixed upstream body. Turns an {@link #echoUpstream() echo} off again.
         *
         * @param b the upstream response body
         * @return this
         */
        public Builder upstreamBody(byte[] b) {
            upstreamBody = b.clone();
            echoUpstream = false;
            return this;
        }

        /**
         * The upstream answers with the request it received, as a JSON document, like httpbin's {@code /anything}:
         * the method, path and query, headers and body as they are after the plugin's {@code kong.service.request.*}
         * calls in {@code rewrite} and {@code access}. {@code kong.service.response.*}, the {@code response} phase and
         * {@link FakeRequest#responseBody()} see that document. The body is a JSON object with these keys, always in
         * this order:
         * <ul>
         *   <li>{@code method}: the method sent upstream;</li>
         *   <li>{@code uri}: path and query sent upstream ({@code kong.service.request.set_path}, {@code set_query},
         *       ...);</li>
         *   <li>{@code path}: the path alone;</li>
         *   <li>{@code query}: the query parsed as {@code kong.request.get_query} does (a value is a string, {@code
         *       true} for a flag, an array when repeated);</li>
         *   <li>{@code headers}: lower-case names to a string, or an array when repeated;</li>
         *   <li>{@code body}: the body as text, or {@code null} without a body; a body that is not UTF-8 is
         *       {@code null} here and its Base64 is in {@code body_base64}, present only then;</li>
         *   <li>{@code json}: the body parsed, when the {@code Content-Type} sent upstream is JSON and the body is
         *       valid JSON; else {@code null}.</li>
         * </ul>
         * Text that is not UTF-8 (header values, query arguments) is shown as ISO-8859-1. {@code /} is not escaped.
         * The status stays {@link #upstreamStatus(int)} (200 unless set) and the headers given with
         * {@link #upstreamHeader(String, String)} are sent too, after {@code Content-Type: application/json}
         * (unless they have their own {@code Content-Type}, which then wins). A later {@link #upstreamBody(String)}
         * turns the echo off again.
         *
         * @return this
         */
        public Builder echoUpstream() {
            echoUpstream = true;
            return this;
        }

        /**
         * A secret Kong's vault knows, for {@code kong.vault.get} and {@code kong.vault.update}.
         *
         * @param reference the reference, e.g. {@code {vault://env/pw}}
         * @param value     the secret
         * @return this
         */
        public Builder vaultSecret(String reference, String value) {
            vaultSecrets.put(reference, value);
            return this;
        }

        /** @return the request */
        public FakeRequest build() {
            return new FakeRequest(this);
        }
    }

    /** A Lua error raised by a PDK function. */
    private static final class Raise extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raise(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public synchronized PdkResult call(String phase, String m, List<Object> args) {
        try {
            if (phase.equals("log") && TIMER_DISABLED.contains(m)) {
                throw new Raise("API disabled in the context of ngx.timer");
            }
            return dispatch(phase, m, args);
        } catch (Raise r) {
            return PdkResult.raise(r.getMessage());
        }
    }

    private PdkResult dispatch(String phase, String m, List<Object> a) {
        if (m.startsWith("kong.log.") && LOG_LEVELS.contains(m.substring(9))) {
            logLines.add(new LogLine(m.substring(9), concat(a)));
            return PdkResult.nil();
        }
        if (m.startsWith("kong.service.") && !m.startsWith("kong.service.response.")) {
            return service(phase, m, a);
        }
        switch (m) {
            // --- kong.request
            case "kong.request.get_scheme", "kong.request.get_forwarded_scheme", "kong.client.get_protocol":
                return PdkResult.of(scheme);
            case "kong.request.get_host", "kong.request.get_forwarded_host":
                return PdkResult.of(host);
            case "kong.request.get_port", "kong.request.get_forwarded_port":
                return PdkResult.of(port);
            case "kong.request.get_http_version":
                return PdkResult.of(1.1);
            case "kong.request.get_method":
                return PdkResult.of(method);
            case "kong.request.get_path", "kong.request.get_raw_path", "kong.request.get_forwarded_path":
                return PdkResult.of(path);
            case "kong.request.get_path_with_query":
                return PdkResult.of(rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery);
            case "kong.request.get_raw_query":
                return PdkResult.of(rawQuery == null ? "" : rawQuery);
            case "kong.request.get_query":
                return PdkResult.of(parseArgs(rawQuery));
            case "kong.request.get_query_arg": {
                Object name = a.isEmpty() ? null : a.get(0);
                if (!(name instanceof String n)) {
                    throw new Raise("query argument name must be a string");
                }
                Object v = parseArgs(rawQuery).get(n);
                return PdkResult.of(v instanceof List<?> l ? l.get(0) : v); // 3.9.3: first value
            }
            case "kong.request.get_header":
                return PdkResult.of(requestHeaders.first(headerName(a)));
            case "kong.request.get_headers":
                return PdkResult.of(requestHeaders.luaTable());
            case "kong.request.get_raw_body":
                return PdkResult.of(body == null ? new byte[0] : body.clone());
            case "kong.request.get_body":
                return parseBody(body, a.isEmpty() ? null : a.get(0), requestHeaders.first("content-type"));
            case "kong.request.get_start_time":
                return PdkResult.of(startMillis);
            case "kong.request.get_uri_captures": {
                Map<String, Object> caps = new LinkedHashMap<>();
                caps.put("unnamed", List.of());
                caps.put("named", Map.of());
                return PdkResult.of(caps);
            }
            // --- kong.client
            case "kong.client.get_ip", "kong.client.get_forwarded_ip":
                return PdkResult.of(clientIp);
            case "kong.client.get_port", "kong.client.get_forwarded_port":
                return PdkResult.of(clientPort);
            case "kong.client.get_credential", "kong.client.get_consumer", "kong.router.get_route",
                    "kong.router.get_service":
                return PdkResult.nil();
            case "kong.ip.is_trusted":
                return PdkResult.of(false);
            // --- kong.response
            case "kong.response.get_status":
                responseGetterPhase(phase);
                return PdkResult.of((long) currentStatus());
            case "kong.response.get_header": {
                responseGetterPhase(phase);
                if (a.isEmpty() || !(a.get(0) instanceof String n)) {
                    throw new Raise("header name must be a string");
                }
                return PdkResult.of(clientHeaders().first(n));
            }
            case "kong.response.get_headers":
                responseGetterPhase(phase);
                return PdkResult.of(clientHeaders().luaTable());
            case "kong.response.get_source":
                responseGetterPhase(phase);
                return PdkResult.of(exited ? "exit" : "service");
            case "kong.response.set_status": {
                responseSetterPhase(phase);
                int code = statusArg(a, 100, 599);
                statusSet = code;
                return PdkResult.nil();
            }
            case "kong.response.set_header", "kong.response.add_header": {
                responseSetterPhase(phase);
                String n = validHeaderName(a);
                List<Object> vs = headerValues(n, a.size() > 1 ? a.get(1) : null);
                responseOps.add(new Object[] {m.endsWith("set_header") ? "set" : "add", n, vs});
                return PdkResult.nil();
            }
            case "kong.response.clear_header": {
                responseSetterPhase(phase);
                String n = validHeaderName(a);
                responseOps.add(new Object[] {"clear", n, List.of()});
                return PdkResult.nil();
            }
            case "kong.response.set_headers": {
                responseSetterPhase(phase);
                for (Map.Entry<?, ?> e : tableArg(a, "headers").entrySet()) {
                    String n = String.valueOf(e.getKey());
                    List<Object> vs = headerValues(n, e.getValue());
                    responseOps.add(new Object[] {"set", n, vs});
                }
                return PdkResult.nil();
            }
            case "kong.response.exit":
                return exit(phase, a, false);
            case "kong.response.error":
                return exit(phase, a, true);
            // --- kong.service.response
            case "kong.service.response.get_status":
                responseGetterPhase(phase);
                return PdkResult.of((long) upstreamStatus);
            case "kong.service.response.get_header": {
                responseGetterPhase(phase);
                return PdkResult.of(upstreamHeaderList().first(headerName(a)));
            }
            case "kong.service.response.get_headers":
                responseGetterPhase(phase);
                return PdkResult.of(upstreamHeaderList().luaTable());
            case "kong.service.response.get_raw_body":
                responseGetterPhase(phase);
                return PdkResult.of(upstreamBodyBytes().clone());
            case "kong.service.response.get_body":
                responseGetterPhase(phase);
                return parseBody(upstreamBodyBytes(), a.isEmpty() ? null : a.get(0),
                        upstreamHeaderList().first("content-type"));
            // --- ctx, nginx
            case "kong.ctx.shared.get":
                return PdkResult.of(a.isEmpty() ? null : shared.get(a.get(0)));
            case "kong.ctx.shared.set":
                return put(shared, a);
            case "kong.nginx.get_ctx":
                return PdkResult.of(a.isEmpty() ? null : ctx.get(a.get(0)));
            case "kong.nginx.set_ctx":
                return put(ctx, a);
            case "kong.nginx.get_var":
                return PdkResult.of(a.isEmpty() ? null : var(String.valueOf(a.get(0))));
            case "kong.nginx.get_subsystem":
                return PdkResult.of("http");
            case "kong.nginx.req_start_time":
                return PdkResult.of(startMillis / 1000.0);
            // --- log, node, plugin
            case "kong.log.inspect":
                logLines.add(new LogLine("debug", concat(a)));
                return PdkResult.nil();
            case "kong.log.deprecation":
                logLines.add(new LogLine("warn", concat(a)));
                return PdkResult.nil();
            case "kong.log.set_serialize_value": {
                if (a.isEmpty() || !(a.get(0) instanceof String k)) {
                    throw new Raise("key must be a string");
                }
                serializeExtras.put(k, a.size() > 1 ? a.get(1) : null);
                return PdkResult.nil();
            }
            case "kong.log.serialize":
                return PdkResult.of(LuaValues.string(Json.writeBytes(serialize())));
            case "kong.node.get_id":
                return PdkResult.of(nodeId);
            case "kong.node.get_hostname":
                return PdkResult.of("localhost");
            case "kong.node.get_memory_stats":
                return PdkResult.of(memoryStats(a));
            case "kong.plugin.get_id":
                return PdkResult.of(pluginId);
            // --- vault
            case "kong.vault.is_reference":
                return PdkResult.of(isVaultReference(a.isEmpty() ? null : a.get(0)));
            case "kong.vault.get": {
                Object ref = a.isEmpty() ? null : a.get(0);
                if (!isVaultReference(ref)) {
                    return PdkResult.error("not a reference [" + LuaValues.tostring(ref) + "]");
                }
                String secret = vaultSecrets.get(LuaValues.tostring(ref));
                return secret != null ? PdkResult.of(secret)
                        : PdkResult.error("no secret for " + LuaValues.tostring(ref) + " in this vault");
            }
            case "kong.vault.update":
                return PdkResult.of(vaultUpdate(a.isEmpty() ? null : a.get(0)));
            case "kong.vault.flush":
                return PdkResult.nil();
            default:
                logLines.add(new LogLine("err", "could not find pdk method: " + m));
                return PdkResult.nil();
        }
    }

    // ------------------------------------------------------------------ kong.service.*

    private PdkResult service(String phase, String m, List<Object> a) {
        if (m.startsWith("kong.service.request.")) {
            if (!phase.equals("rewrite") && !phase.equals("access")) {
                throw new Raise("function cannot be called in " + phase + " phase");
            }
            switch (m.substring("kong.service.request.".length())) {
                case "set_header", "add_header": {
                    String n = validHeaderName(a);
                    List<Object> vs = headerValues(n, a.size() > 1 ? a.get(1) : null);
                    if (m.endsWith("set_header")) {
                        requestHeaders.set(n, vs);
                    } else {
                        vs.forEach(v -> requestHeaders.add(n, v));
                    }
                    break;
                }
                case "clear_header":
                    requestHeaders.remove(validHeaderName(a));
                    break;
                case "set_headers":
                    for (Map.Entry<?, ?> e : tableArg(a, "headers").entrySet()) {
                        String n = String.valueOf(e.getKey());
                        requestHeaders.set(n, headerValues(n, e.getValue()));
                    }
                    break;
                case "set_path": {
                    if (a.isEmpty() || !(a.get(0) instanceof String p) || !p.startsWith("/")) {
                        throw new Raise("path must be a string starting with '/'");
                    }
                    upstreamPath = p;
                    break;
                }
                case "set_raw_query":
                    if (a.isEmpty() || !(a.get(0) instanceof String q)) {
                        throw new Raise("query must be a string");
                    }
                    rawQuery = q;
                    break;
                case "set_query":
                    rawQuery = encodeArgs(tableArg(a, "args"));
                    break;
                case "set_method":
                    if (a.isEmpty() || !(a.get(0) instanceof String mm)) {
                        throw new Raise("method must be a string");
                    }
                    method = mm.toUpperCase(Locale.ROOT);
                    break;
                case "set_raw_body": {
                    byte[] b = a.isEmpty() ? null : LuaValues.bytes(a.get(0));
                    if (b == null) {
                        throw new Raise("body must be a string");
                    }
                    body = b.clone();
                    break;
                }
                case "set_body":
                    body = Json.writeBytes(tableArg(a, "body"));
                    requestHeaders.set("content-type", List.of("application/json"));
                    break;
                default:
                    break; // set_scheme, enable_buffering, ...: recorded only
            }
        }
        serviceCalls.add(new ReceivedPdkCall(m, a));
        return m.equals("kong.service.set_upstream") ? PdkResult.of(true) : PdkResult.nil();
    }

    // ------------------------------------------------------------------ kong.response.exit / error

    private PdkResult exit(String phase, List<Object> a, boolean error) {
        if (phase.equals("log")) {
            throw new Raise("function cannot be called in log phase");
        }
        int status = error ? statusArg(a, 400, 599) : statusArg(a, 100, 599);
        Object bodyArg = a.size() > 1 ? a.get(1) : null;
        Object headersArg = a.size() > 2 ? a.get(2) : null;
        HeaderList h = applyOps(new HeaderList());
        byte[] out;
        if (error) {
            String msg = bodyArg == null ? ERROR_MESSAGES.getOrDefault(status,
                    "The upstream server responded with " + status) : LuaValues.tostring(bodyArg);
            Map<String, Object> jb = new LinkedHashMap<>();
            jb.put("message", msg);
            out = Json.writeBytes(jb);
            h.set("Content-Type", List.of(JSON_TYPE));
        } else if (bodyArg == null) {
            out = new byte[0];
        } else if (LuaValues.isString(bodyArg)) {
            out = LuaValues.bytes(bodyArg);
        } else if (bodyArg instanceof Map || bodyArg instanceof List) {
            out = Json.writeBytes(bodyArg);
            h.set("Content-Type", List.of(JSON_TYPE));
        } else {
            throw new Raise("body must be a nil, string or table");
        }
        if (headersArg instanceof Map<?, ?> hm) {
            for (Map.Entry<?, ?> e : hm.entrySet()) {
                String n = String.valueOf(e.getKey());
                h.set(n, headerValues(n, e.getValue()));
            }
        } else if (headersArg != null && !(headersArg instanceof List<?> l && l.isEmpty())) {
            throw new Raise("headers must be a nil or table");
        }
        exited = true;
        exitStatus = status;
        exitBody = out;
        exitHeaders = h;
        return PdkResult.nil();
    }

    // ------------------------------------------------------------------ helpers

    private static void responseGetterPhase(String phase) {
        if (phase.equals("rewrite") || phase.equals("access")) {
            throw new Raise("function cannot be called in " + phase + " phase");
        }
    }

    private static void responseSetterPhase(String phase) {
        if (phase.equals("log")) {
            throw new Raise("function cannot be called in log phase");
        }
    }

    private static String headerName(List<Object> a) {
        if (a.isEmpty() || !(a.get(0) instanceof String n)) {
            throw new Raise("header name must be a string");
        }
        return n;
    }

    private static String validHeaderName(List<Object> a) {
        Object n = a.isEmpty() ? null : a.get(0);
        if (n instanceof String s) {
            return s;
        }
        throw new Raise("invalid header name \"" + LuaValues.tostring(n) + "\": got " + luaType(n)
                + ", expected string");
    }

    private static List<Object> headerValues(String name, Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l && !l.isEmpty()) {
            for (Object o : l) {
                out.add(headerValue(name, o));
            }
        } else {
            out.add(headerValue(name, v));
        }
        return out;
    }

    private static Object headerValue(String name, Object v) {
        if (v instanceof String || v instanceof RawString) {
            return v;
        }
        if (v instanceof byte[] b) {
            return LuaValues.string(b);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return LuaValues.tostring(v);
        }
        throw new Raise("invalid header value for \"" + name + "\": got " + luaType(v)
                + ", expected array of string, string, number or boolean");
    }

    private static int statusArg(List<Object> a, int min, int max) {
        Object c = a.isEmpty() ? null : a.get(0);
        if (!(c instanceof Number n)) {
            throw new Raise("code must be a number");
        }
        int code = n.intValue();
        if (code < min || code > max) {
            throw new Raise("code must be a number between " + min + " and " + max);
        }
        return code;
    }

    private static Map<?, ?> tableArg(List<Object> a, String what) {
        Object t = a.isEmpty() ? null : a.get(0);
        if (t instanceof Map<?, ?> m) {
            return m;
        }
        if (t instanceof List<?> l && l.isEmpty()) {
            return Map.of();
        }
        throw new Raise(what + " must be a table");
    }

    private static PdkResult put(Map<Object, Object> m, List<Object> a) {
        if (a.isEmpty() || a.get(0) == null) {
            throw new Raise("key must not be nil");
        }
        if (a.size() > 1 && a.get(1) != null) {
            m.put(a.get(0), a.get(1));
        } else {
            m.remove(a.get(0));
        }
        return PdkResult.nil();
    }

    private static String luaType(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (LuaValues.isString(v)) {
            return "string";
        }
        return "table";
    }

    private static String concat(List<Object> a) {
        StringBuilder sb = new StringBuilder();
        for (Object o : a) {
            sb.append(LuaValues.tostring(o));
        }
        return sb.toString();
    }

    private int currentStatus() {
        if (exited) {
            return exitStatus;
        }
        return statusSet != null ? statusSet : upstreamStatus;
    }

    /** The response headers the client would get now: after exit, or upstream's plus the plugin's changes. */
    private HeaderList clientHeaders() {
        if (exited) {
            return exitHeaders;
        }
        return applyOps(upstreamHeaderList().copy());
    }

    private HeaderList applyOps(HeaderList h) {
        for (Object[] op : responseOps) {
            String n = (String) op[1];
            @SuppressWarnings("unchecked")
            List<Object> vs = (List<Object>) op[2];
            switch ((String) op[0]) {
                case "set" -> h.set(n, vs);
                case "add" -> vs.forEach(v -> h.add(n, v));
                default -> h.remove(n);
            }
        }
        return h;
    }

    private Object var(String name) {
        if (vars.containsKey(name)) {
            return vars.get(name);
        }
        switch (name) {
            case "uri":
                return path; // set_path changes upstream_uri, not uri
            case "request_uri":
                return rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
            case "args", "query_string":
                return rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
            case "request_method":
                return method;
            case "scheme":
                return scheme;
            case "host":
                return host;
            case "server_port":
                return Long.toString(port);
            case "remote_addr", "realip_remote_addr", "binary_remote_addr":
                return clientIp;
            case "remote_port", "realip_remote_port":
                return Long.toString(clientPort);
            case "upstream_uri":
                return upstreamUri();
            default:
                break;
        }
        if (name.startsWith("http_")) {
            return requestHeaders.first(name.substring(5));
        }
        return null;
    }

    private String upstreamUri() {
        String p = upstreamPath != null ? upstreamPath : path;
        return rawQuery == null || rawQuery.isEmpty() ? p : p + "?" + rawQuery;
    }

    // ------------------------------------------------------------------ the upstream's answer

    /** The upstream's headers: as given, after {@code Content-Type: application/json} for an echo. */
    private HeaderList upstreamHeaderList() {
        if (!echoUpstream || upstreamHeaders.first("content-type") != null) {
            return upstreamHeaders;
        }
        HeaderList h = new HeaderList();
        h.add("Content-Type", "application/json");
        h.addAll(upstreamHeaders);
        return h;
    }

    /**
     * The upstream's body: as given, or the echo of the request as it is now. The request can change only in
     * {@code rewrite} and {@code access}, before Kong proxies, and nothing reads the upstream's answer there (the
     * getters raise), so computing the echo on each read is the same as computing it once when Kong proxies.
     */
    private byte[] upstreamBodyBytes() {
        return echoUpstream ? echoBody() : upstreamBody;
    }

    private byte[] echoBody() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("method", method);
        e.put("uri", upstreamUri());
        e.put("path", upstreamPath != null ? upstreamPath : path);
        e.put("query", text(parseArgs(rawQuery)));
        e.put("headers", text(requestHeaders.luaTable()));
        Object json = null;
        if (body == null) {
            e.put("body", null);
        } else if (LuaValues.string(body) instanceof String text) {
            e.put("body", text);
            json = jsonBody(text);
        } else {
            e.put("body", null);
            e.put("body_base64", Base64.getEncoder().encodeToString(body));
        }
        e.put("json", json);
        return Json.writeBytes(e, false);
    }

    /** The body parsed when the request's Content-Type is JSON, else null. */
    private Object jsonBody(String text) {
        Object ct = requestHeaders.first("content-type");
        String type = ct == null ? "" : LuaValues.tostring(ct).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.contains("+json")) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /** Strings that are not UTF-8 as ISO-8859-1 text, in a tree of maps and lists. */
    private static Object text(Object v) {
        if (v instanceof RawString r) {
            return r.latin1();
        } else if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(text(k), text(x)));
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(text(x)));
            return out;
        }
        return v;
    }

    // ------------------------------------------------------------------ kong.node.get_memory_stats

    /**
     * Kong's {@code get_memory_stats(unit, scale)} for {@link #SHARED_DICTS} and one worker: numbers of bytes
     * without a unit (or with {@code b}), else text such as {@code "5.00 MiB"}; a bad unit or scale raises.
     */
    private static Map<String, Object> memoryStats(List<Object> a) {
        Object unitArg = a.isEmpty() ? null : a.get(0);
        Object scaleArg = a.size() > 1 ? a.get(1) : null;
        String unit;
        if (unitArg == null) {
            unit = "b";
        } else if (LuaValues.isString(unitArg) || unitArg instanceof Number) {
            unit = LuaValues.tostring(unitArg);
        } else {
            throw new Raise("bad argument #1 to 'lower' (string expected, got " + luaType(unitArg) + ")");
        }
        String u = unit.toLowerCase(Locale.ROOT);
        int scale = 2;
        if (!u.isEmpty() && !u.equals("b")) {
            Object sc = scaleArg == null ? Long.valueOf(2) : scaleArg;
            if (!(sc instanceof Number n) || n.doubleValue() < 0) {
                throw new Raise("scale must be equal or greater than 0");
            }
            scale = n.intValue();
            if (!u.equals("k") && !u.equals("m") && !u.equals("g")) {
                throw new Raise("invalid unit '" + unit + "' (expected 'k/K', 'm/M', or 'g/G')");
            }
        }
        Map<String, Object> dicts = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> d : SHARED_DICTS.entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("capacity", bytes(d.getValue()[0], u, scale));
            one.put("allocated_slabs", bytes(d.getValue()[1], u, scale));
            dicts.put(d.getKey(), one);
        }
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("pid", WORKER_PID);
        worker.put("http_allocated_gc", bytes(WORKER_LUA_VM_BYTES, u, scale));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("workers_lua_vms", List.of(worker));
        res.put("lua_shared_dicts", dicts);
        return res;
    }

    /** Kong's {@code convert_bytes}: a number for {@code b}; {@code %d} text for {@code ""}; else {@code %.Nf KiB}. */
    private static Object bytes(long n, String unit, int scale) {
        if (unit.equals("b")) {
            return n;
        }
        if (unit.isEmpty()) {
            return Long.toString(n);
        }
        int shift = unit.equals("k") ? 10 : unit.equals("m") ? 20 : 30;
        String suffix = unit.equals("k") ? " KiB" : unit.equals("m") ? " MiB" : " GiB";
        // the exact quotient, rounded as C's printf rounds a double: to nearest, ties to even
        return new BigDecimal(n).divide(BigDecimal.valueOf(1L << shift)).setScale(scale, RoundingMode.HALF_EVEN)
                .toPlainString() + suffix;
    }

    // ------------------------------------------------------------------ kong.vault

    /** Kong's {@code is_reference}: a string of the form {@code {vault://...}}. */
    private static boolean isVaultReference(Object v) {
        if (!LuaValues.isString(v)) {
            return false;
        }
        String s = LuaValues.tostring(v);
        return s.startsWith("{vault://") && s.endsWith("}");
    }

    /**
     * Kong's {@code update(options)}: every field named in {@code options["$refs"]} gets the secret of its
     * reference when the vault knows it, in nested tables too; anything but a table comes back as it is.
     */
    private Object vaultUpdate(Object options) {
        if (options instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(x instanceof Map || x instanceof List ? vaultUpdate(x) : x));
            return out;
        }
        if (!(options instanceof Map<?, ?> m)) {
            return options;
        }
        Map<Object, Object> out = new LinkedHashMap<>(m);
        for (Map.Entry<Object, Object> e : out.entrySet()) {
            if (!"$refs".equals(e.getKey()) && (e.getValue() instanceof Map || e.getValue() instanceof List)) {
                e.setValue(vaultUpdate(e.getValue()));
            }
        }
        if (out.get("$refs") instanceof Map<?, ?> refs) {
            for (Map.Entry<?, ?> r : refs.entrySet()) {
                String secret = LuaValues.isString(r.getValue()) ? vaultSecrets.get(LuaValues.tostring(r.getValue()))
                        : null;
                if (secret != null) {
                    out.put(r.getKey(), secret);
                }
            }
        }
        return out;
    }

    private Map<String, Object> serialize() {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", requestId);
        req.put("size", (long) (body == null ? 0 : body.length));
        req.put("method", method);
        String uri = rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
        req.put("uri", uri);
        req.put("querystring", parseArgs(rawQuery));
        req.put("url", scheme + "://" + host + ":" + port + uri);
        req.put("headers", requestHeaders.luaTable());
        Map<String, Object> resp = new LinkedHashMap<>();
        resp.put("size", (long) (exited ? exitBody.length : upstreamBodyBytes().length));
        resp.put("status", (long) currentStatus());
        resp.put("headers", clientHeaders().luaTable());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("kong", 0L);
        lat.put("receive", 0L);
        lat.put("proxy", exited ? -1L : 0L);
        lat.put("request", 0L);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("client_ip", clientIp);
        s.put("upstream_status", exited ? "" : (Object) (long) upstreamStatus);
        s.put("started_at", startMillis);
        s.put("source", exited ? "kong" : "upstream");
        s.put("latencies", lat);
        s.put("request", req);
        s.put("response", resp);
        s.put("tries", List.of());
        s.put("upstream_uri", upstreamUri());
        s.putAll(serializeExtras);
        return s;
    }

    /** ngx.req.get_uri_args: a=1 → "1", a → true, a= → "", repeated → list in order. */
    private static Map<String, Object> parseArgs(String q) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String part : q.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            Object key = unescape(eq < 0 ? part : part.substring(0, eq));
            if (!(key instanceof String k) || k.isEmpty()) {
                continue;
            }
            Object v = eq < 0 ? Boolean.TRUE : unescape(part.substring(eq + 1));
            Object prev = out.get(k);
            if (prev == null) {
                out.put(k, v);
            } else if (prev instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> lo = (List<Object>) l;
                lo.add(v);
            } else {
                List<Object> l = new ArrayList<>();
                l.add(prev);
                l.add(v);
                out.put(k, l);
            }
        }
        return out;
    }

    private static Object unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '+') {
                out.write(' ');
            } else if (b[i] == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return LuaValues.string(out.toByteArray());
    }

    private static int hex(byte c) {
        return Character.digit((char) c, 16);
    }

    private static String encodeArgs(Map<?, ?> args) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : new TreeMap<>(stringKeys(args)).entrySet()) {
            List<?> vs = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : vs) {
                if (Boolean.FALSE.equals(v)) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(escape(e.getKey().toString()));
                if (!Boolean.TRUE.equals(v)) {
                    sb.append('=').append(escape(LuaValues.tostring(v)));
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(LuaValues.tostring(k), v));
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static PdkResult parseBody(byte[] b, Object mimeArg, Object contentType) {
        String ct = mimeArg instanceof String s ? s
                : contentType == null ? null : LuaValues.tostring(contentType).toLowerCase(Locale.ROOT);
        if (ct == null) {
            return PdkResult.error("missing content type");
        }
        String text = b == null ? "" : new String(b, StandardCharsets.UTF_8);
        if (ct.startsWith("application/json") || ct.contains("+json")) {
            try {
                Object v = Json.parse(text);
                if (v instanceof Map || v instanceof List) {
                    return PdkResult.of(v);
                }
            } catch (IllegalArgumentException e) {
                // falls through
            }
            return PdkResult.error("invalid json body");
        }
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            return PdkResult.of(parseArgs(text));
        }
        return PdkResult.error("unsupported content type '" + ct + "'");
    }

    // ------------------------------------------------------------------ recorded results

    /** @return the status the client gets: the exit status, else the one the plugin set, else upstream's */
    public synchronized int status() {
        return currentStatus();
    }

    /** @return the client's response headers (lower-case names, values in order) */
    public synchronized Map<String, List<String>> responseHeaders() {
        return clientHeaders().view();
    }

    /**
     * @param name a header name (any case)
     * @return its first value in the client's response, or null
     */
    public synchronized String responseHeader(String name) {
        List<String> vs = clientHeaders().view().get(HeaderList.norm(name));
        return vs == null ? null : vs.get(0);
    }

    /** @return the client's response body: the exit/error body, else the upstream body */
    public synchronized byte[] responseBody() {
        return (exited ? exitBody : upstreamBodyBytes()).clone();
    }

    /** @return {@link #responseBody()} as UTF-8 text */
    public synchronized String responseBodyText() {
        return new String(exited ? exitBody : upstreamBodyBytes(), StandardCharsets.UTF_8);
    }

    /**
     * What Kong does when a plugin's rewrite or access handler raised (a PDK call Kong rejected, so the event was
     * abandoned): the request ends as with {@code kong.response.error(500)}, {@code "An unexpected error occurred"}
     * in Kong's JSON body, and the response phases are skipped; the log phase still runs (recording
     * {@code pdkcheck-error}). Does nothing when the request has already exited.
     */
    public synchronized void handlerFailed() {
        if (!exited) {
            exit("access", List.of(500L), true);
        }
    }

    /** @return whether {@code kong.response.exit} or {@code kong.response.error} ran */
    public synchronized boolean exited() {
        return exited;
    }

    /** @return the request headers as sent upstream (after {@code kong.service.request} changes) */
    public synchronized Map<String, List<String>> serviceRequestHeaders() {
        return requestHeaders.view();
    }

    /** @return the upstream URI: the path set by {@code set_path} (or the request path) plus the query */
    public synchronized String serviceRequestUri() {
        return upstreamUri();
    }

    /** @return the request method as sent upstream */
    public synchronized String serviceRequestMethod() {
        return method;
    }

    /** @return the request body as sent upstream (null when none) */
    public synchronized byte[] serviceRequestBody() {
        return body == null ? null : body.clone();
    }

    /** @return every {@code kong.service.*} setter call, in order */
    public synchronized List<ReceivedPdkCall> serviceCalls() {
        return List.copyOf(serviceCalls);
    }

    /** @return every {@code kong.log.*} line and Kong's own lines about calls, in order */
    public synchronized List<LogLine> logLines() {
        return List.copyOf(logLines);
    }

    /** @return a copy of {@code kong.ctx.shared} */
    public synchronized Map<Object, Object> shared() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(shared));
    }

    /** @return a copy of the nginx ctx ({@code kong.nginx.get_ctx}/{@code set_ctx}) */
    public synchronized Map<Object, Object> nginxCtx() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(ctx));
    }

    @Override
    public synchronized String toString() {
        return "FakeRequest[" + method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + ", status "
                + status() + (exited ? " (exit)" : "") + "]";
    }
}
