package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kong.request.*}: the getters, from the request as it is now. */
final class RequestFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        switch (m) {
            case "kong.request.get_scheme", "kong.request.get_forwarded_scheme":
                return PdkResult.of(s.scheme);
            case "kong.request.get_host", "kong.request.get_forwarded_host":
                return PdkResult.of(s.host);
            case "kong.request.get_port", "kong.request.get_forwarded_port":
                return PdkResult.of(s.port);
            case "kong.request.get_http_version":
                return PdkResult.of(1.1);
            case "kong.request.get_method":
                return PdkResult.of(s.method);
            case "kong.request.get_path", "kong.request.get_raw_path", "kong.request.get_forwarded_path":
                return PdkResult.of(s.path);
            case "kong.request.get_path_with_query":
                return PdkResult.of(s.requestUri());
            case "kong.request.get_raw_query":
                return PdkResult.of(s.rawQuery == null ? "" : s.rawQuery);
            case "kong.request.get_query":
                return PdkResult.of(UriArgs.parse(s.rawQuery));
            case "kong.request.get_query_arg": {
                if (!(arg(a, 0) instanceof String n)) {
                    throw new LuaArgs.Raise("query argument name must be a string");
                }
                Object v = UriArgs.parse(s.rawQuery).get(n);
                return PdkResult.of(v instanceof List<?> l ? l.get(0) : v); // 3.9.3: first value
            }
            case "kong.request.get_header":
                return PdkResult.of(s.requestHeaders.first(LuaArgs.headerName(a)));
            case "kong.request.get_headers":
                return PdkResult.of(s.requestHeaders.luaTable());
            case "kong.request.get_raw_body":
                return PdkResult.of(s.body == null ? new byte[0] : s.body.clone());
            case "kong.request.get_body":
                return Bodies.parse(s.body, arg(a, 0), s.requestHeaders.first("content-type"));
            case "kong.request.get_start_time":
                return PdkResult.of(s.startMillis);
            case "kong.request.get_uri_captures": {
                Map<String, Object> caps = new LinkedHashMap<>();
                caps.put("unnamed", List.of());
                caps.put("named", Map.of());
                return PdkResult.of(caps);
            }
            default:
                return s.unknown(m);
        }
    }
}
