package io.kjps.emulator;

import io.kjps.emulator.internal.HeaderList;
import io.kjps.emulator.internal.LuaValues;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Each PDK namespace is answered by its own small type ({@code RequestFunctions}, {@code ResponseFunctions},
 * {@code ServiceFunctions}, ...: one per namespace, as the server's {@code io.kjps.rpc.pdk} is split) over one
 * shared state of the request; {@link #call} is the one place that routes a method to its namespace.
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

    /** What Kong refuses in the log phase, a timer there: whatever reads {@code ngx.var} or {@code ngx.req}. */
    private static final Set<String> TIMER_DISABLED = Set.of("kong.nginx.get_var", "kong.client.get_ip",
            "kong.client.get_forwarded_ip", "kong.client.get_port", "kong.client.get_forwarded_port",
            "kong.request.get_method", "kong.request.get_path", "kong.request.get_raw_path",
            "kong.request.get_path_with_query", "kong.request.get_raw_query", "kong.request.get_query",
            "kong.request.get_query_arg", "kong.request.get_body", "kong.request.get_raw_body",
            "kong.request.get_scheme", "kong.request.get_host", "kong.request.get_port",
            "kong.request.get_forwarded_scheme", "kong.request.get_forwarded_host",
            "kong.request.get_forwarded_port", "kong.request.get_forwarded_path", "kong.request.get_http_version");

    /**
     * Where a method's namespace is answered: the dotted namespace ({@code kong.service.request}) to its type. A
     * method goes to the longest namespace that prefixes it; none, and Kong does not know the method.
     */
    private static final Map<String, PdkNamespace> NAMESPACES = Map.ofEntries(
            Map.entry("kong.request", new RequestFunctions()),
            Map.entry("kong.client", new ClientFunctions()),
            Map.entry("kong.ip", new IpFunctions()),
            Map.entry("kong.router", new RouterFunctions()),
            Map.entry("kong.response", new ResponseFunctions()),
            Map.entry("kong.service", new ServiceFunctions()),
            Map.entry("kong.service.request", new ServiceFunctions()),
            Map.entry("kong.service.response", new ServiceResponseFunctions()),
            Map.entry("kong.ctx.shared", new CtxFunctions()),
            Map.entry("kong.nginx", new NginxFunctions()),
            Map.entry("kong.log", new LogFunctions()),
            Map.entry("kong.node", new NodeFunctions()),
            Map.entry("kong.plugin", new PluginFunctions()),
            Map.entry("kong.vault", new VaultFunctions()));

    private final FakeState state;

    private FakeRequest(Builder b) {
        state = new FakeState(b);
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
        String method = "GET";
        String scheme = "http";
        String host = "localhost";
        long port = 8000;
        String path = "/";
        String rawQuery;
        final HeaderList headers = new HeaderList();
        byte[] body;
        String clientIp = "127.0.0.1";
        long clientPort = 40000;
        String nodeId = "16936ee9-cc9f-4a29-8128-4a12ce19a707";
        String pluginId = "00000000-0000-4000-8000-000000000001";
        String requestId = UUID.randomUUID().toString().replace("-", "");
        long startMillis = System.currentTimeMillis();
        final Map<String, Object> vars = new LinkedHashMap<>();
        final Map<Object, Object> ctx = new LinkedHashMap<>();
        int upstreamStatus = 200;
        final HeaderList upstreamHeaders = new HeaderList();
        byte[] upstreamBody = new byte[0];
        boolean echoUpstream;
        final Map<String, String> vaultSecrets = new LinkedHashMap<>();

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

    @Override
    public synchronized PdkResult call(String phase, String m, List<Object> args) {
        try {
            if (phase.equals("log") && TIMER_DISABLED.contains(m)) {
                throw new LuaArgs.Raise("API disabled in the context of ngx.timer");
            }
            for (int dot = m.lastIndexOf('.'); dot > 0; dot = m.lastIndexOf('.', dot - 1)) {
                PdkNamespace ns = NAMESPACES.get(m.substring(0, dot));
                if (ns != null) {
                    return ns.call(state, phase, m, args);
                }
            }
            return state.unknown(m);
        } catch (LuaArgs.Raise r) {
            return PdkResult.raise(r.getMessage());
        }
    }

    // ------------------------------------------------------------------ recorded results

    /** @return the status the client gets: the exit status, else the one the plugin set, else upstream's */
    public synchronized int status() {
        return state.currentStatus();
    }

    /** @return the client's response headers (lower-case names, values in order) */
    public synchronized Map<String, List<String>> responseHeaders() {
        return state.clientHeaders().view();
    }

    /**
     * @param name a header name (any case)
     * @return its first value in the client's response, or null
     */
    public synchronized String responseHeader(String name) {
        List<String> vs = state.clientHeaders().view().get(HeaderList.norm(name));
        return vs == null ? null : vs.get(0);
    }

    /** @return the client's response body: the exit/error body, else the upstream body */
    public synchronized byte[] responseBody() {
        return (state.exited ? state.exitBody : state.upstreamBodyBytes()).clone();
    }

    /** @return {@link #responseBody()} as UTF-8 text */
    public synchronized String responseBodyText() {
        return new String(state.exited ? state.exitBody : state.upstreamBodyBytes(), StandardCharsets.UTF_8);
    }

    /**
     * What Kong does when a plugin's rewrite or access handler raised (a PDK call Kong rejected, so the event was
     * abandoned): the request ends as with {@code kong.response.error(500)}, {@code "An unexpected error occurred"}
     * in Kong's JSON body, and the response phases are skipped; the log phase still runs (recording
     * {@code pdkcheck-error}). Does nothing when the request has already exited.
     */
    public synchronized void handlerFailed() {
        if (!state.exited) {
            ResponseFunctions.exit(state, "access", List.of(500L), true);
        }
    }

    /** @return whether {@code kong.response.exit} or {@code kong.response.error} ran */
    public synchronized boolean exited() {
        return state.exited;
    }

    /** @return the request headers as sent upstream (after {@code kong.service.request} changes) */
    public synchronized Map<String, List<String>> serviceRequestHeaders() {
        return state.requestHeaders.view();
    }

    /** @return the upstream URI: the path set by {@code set_path} (or the request path) plus the query */
    public synchronized String serviceRequestUri() {
        return state.upstreamUri();
    }

    /** @return the request method as sent upstream */
    public synchronized String serviceRequestMethod() {
        return state.method;
    }

    /** @return the request body as sent upstream (null when none) */
    public synchronized byte[] serviceRequestBody() {
        return state.body == null ? null : state.body.clone();
    }

    /** @return every {@code kong.service.*} setter call, in order */
    public synchronized List<ReceivedPdkCall> serviceCalls() {
        return List.copyOf(state.serviceCalls);
    }

    /** @return every {@code kong.log.*} line and Kong's own lines about calls, in order */
    public synchronized List<LogLine> logLines() {
        return List.copyOf(state.logLines);
    }

    /** @return a copy of {@code kong.ctx.shared} */
    public synchronized Map<Object, Object> shared() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(state.shared));
    }

    /** @return a copy of the nginx ctx ({@code kong.nginx.get_ctx}/{@code set_ctx}) */
    public synchronized Map<Object, Object> nginxCtx() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(state.ctx));
    }

    @Override
    public synchronized String toString() {
        return "FakeRequest[" + state.method + " " + state.path + (state.rawQuery == null ? "" : "?" + state.rawQuery)
                + ", status " + status() + (state.exited ? " (exit)" : "") + "]";
    }
}
