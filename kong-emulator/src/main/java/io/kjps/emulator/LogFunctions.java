package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kong.log.*}: the levels, {@code inspect} and {@code deprecation} become {@link FakeRequest.LogLine}s;
 * {@code serialize} is the JSON text of Kong's basic log serializer with {@code set_serialize_value}'s additions.
 */
final class LogFunctions implements PdkNamespace {
    private static final String LOG = "kong.log.";
    private static final Set<String> LEVELS = Set.of("alert", "crit", "err", "warn", "notice", "info", "debug");


    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        String fn = m.substring(LOG.length());
        if (LEVELS.contains(fn)) {
            return log(s, fn, a);
        }
        switch (m) {
            case "kong.log.inspect":
                return log(s, "debug", a);
            case "kong.log.deprecation":
                return log(s, "warn", a);
            case "kong.log.set_serialize_value":
                if (!(arg(a, 0) instanceof String k)) {
                    throw new LuaArgs.Raise("key must be a string");
                }
                s.serializeExtras.put(k, arg(a, 1));
                return PdkResult.nil();
            case "kong.log.serialize":
                return PdkResult.of(LuaValues.string(LuaJson.writeBytes(serialize(s))));
            default:
                return s.unknown(m);
        }
    }

    private static PdkResult log(FakeState s, String level, List<Object> a) {
        s.logLines.add(new FakeRequest.LogLine(level, LuaArgs.concat(a)));
        return PdkResult.nil();
    }

    private static Map<String, Object> serialize(FakeState s) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", s.requestId);
        req.put("size", (long) (s.body == null ? 0 : s.body.length));
        req.put("method", s.method);
        String uri = s.requestUri();
        req.put("uri", uri);
        req.put("querystring", UriArgs.parse(s.rawQuery));
        req.put("url", s.scheme + "://" + s.host + ":" + s.port + uri);
        req.put("headers", s.requestHeaders.luaTable());
        Map<String, Object> resp = new LinkedHashMap<>();
        resp.put("size", (long) (s.exited ? s.exitBody.length : s.upstreamBodyBytes().length));
        resp.put("status", (long) s.currentStatus());
        resp.put("headers", s.clientHeaders().luaTable());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("kong", 0L);
        lat.put("receive", 0L);
        lat.put("proxy", s.exited ? -1L : 0L);
        lat.put("request", 0L);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_ip", s.clientIp);
        out.put("upstream_status", s.exited ? "" : (Object) (long) s.upstreamStatus);
        out.put("started_at", s.startMillis);
        out.put("source", s.exited ? "kong" : "upstream");
        out.put("latencies", lat);
        out.put("request", req);
        out.put("response", resp);
        out.put("tries", List.of());
        out.put("upstream_uri", s.upstreamUri());
        out.putAll(s.serializeExtras);
        return out;
    }
}
