package io.kjps.emulator;

import io.kjps.emulator.internal.HeaderList;
import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Kong holds for one request of a {@link FakeRequest}: the request as it is now (the
 * {@code kong.service.request} setters change it, as {@code ngx.req.*} does), the upstream's answer, what the plugin
 * did to the client response, and the records a test reads. The PDK namespaces ({@link PdkNamespace}) read and
 * change it; {@link FakeRequest} serialises every access.
 */
final class FakeState {
    // the request
    final String scheme;
    final String host;
    final long port;
    final String path;
    final String clientIp;
    final long clientPort;
    final String nodeId;
    final String pluginId;
    final String requestId;
    final long startMillis;
    final Map<String, Object> vars;
    String method;
    String rawQuery;
    final HeaderList requestHeaders;
    byte[] body;
    String upstreamPath;

    // upstream response and what the plugin does to the client response
    final int upstreamStatus;
    final HeaderList upstreamHeaders; // as given; an echo adds its Content-Type (upstreamHeaderList)
    final byte[] upstreamBody; // as given; unused by an echo (upstreamBodyBytes)
    final boolean echoUpstream;
    final Map<String, String> vaultSecrets;
    final List<Object[]> responseOps = new ArrayList<>(); // the plugin's header changes: {op, name, values}
    HeaderList exitHeaders;
    Integer statusSet;
    boolean exited;
    int exitStatus;
    byte[] exitBody = new byte[0];

    final Map<Object, Object> shared = new LinkedHashMap<>();
    final Map<Object, Object> ctx;
    final Map<String, Object> serializeExtras = new LinkedHashMap<>();
    final List<ReceivedPdkCall> serviceCalls = new ArrayList<>();
    final List<FakeRequest.LogLine> logLines = new ArrayList<>();

    FakeState(FakeRequest.Builder b) {
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
        ctx = new LinkedHashMap<>(b.ctx);
    }

    /** Kong's answer to a method it does not know: an {@code err} line, and nil. */
    PdkResult unknown(String method) {
        logLines.add(new FakeRequest.LogLine("err", "could not find pdk method: " + method));
        return PdkResult.nil();
    }

    /** @return the status the client gets now: the exit status, else the one the plugin set, else upstream's */
    int currentStatus() {
        if (exited) {
            return exitStatus;
        }
        return statusSet != null ? statusSet : upstreamStatus;
    }

    /** The response headers the client would get now: after exit, or upstream's plus the plugin's changes. */
    HeaderList clientHeaders() {
        if (exited) {
            return exitHeaders;
        }
        return applyOps(upstreamHeaderList().copy());
    }

    HeaderList applyOps(HeaderList h) {
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

    /** @return path and query as the client sent them */
    String requestUri() {
        return rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }

    /** @return the upstream URI: the path set by {@code set_path} (or the request path) plus the query */
    String upstreamUri() {
        String p = upstreamPath != null ? upstreamPath : path;
        return rawQuery == null || rawQuery.isEmpty() ? p : p + "?" + rawQuery;
    }

    // ------------------------------------------------------------------ the upstream's answer

    /** The upstream's headers: as given, after {@code Content-Type: application/json} for an echo. */
    HeaderList upstreamHeaderList() {
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
    byte[] upstreamBodyBytes() {
        return echoUpstream ? echoBody() : upstreamBody;
    }

    private byte[] echoBody() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("method", method);
        e.put("uri", upstreamUri());
        e.put("path", upstreamPath != null ? upstreamPath : path);
        e.put("query", text(UriArgs.parse(rawQuery)));
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
        return LuaJson.writeBytes(e, false);
    }

    /** The body parsed when the request's Content-Type is JSON, else null. */
    private Object jsonBody(String text) {
        Object ct = requestHeaders.first("content-type");
        String type = ct == null ? "" : LuaValues.tostring(ct).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.contains("+json")) {
            return null;
        }
        try {
            return LuaJson.parse(text);
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
}
