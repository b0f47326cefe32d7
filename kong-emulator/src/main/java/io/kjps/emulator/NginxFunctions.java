package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import java.util.List;

/** {@code kong.nginx.*}: the nginx ctx, {@code ngx.var} (the builder's, else derived from the request), the rest. */
final class NginxFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.nginx.get_ctx" -> LuaArgs.get(s.ctx, a);
            case "kong.nginx.set_ctx" -> LuaArgs.put(s.ctx, a);
            case "kong.nginx.get_var" -> PdkResult.of(a.isEmpty() ? null : var(s, String.valueOf(arg(a, 0))));
            case "kong.nginx.get_subsystem" -> PdkResult.of("http");
            case "kong.nginx.req_start_time" -> PdkResult.of(s.startMillis / 1000.0);
            default -> s.unknown(m);
        };
    }

    private static Object var(FakeState s, String name) {
        if (s.vars.containsKey(name)) {
            return s.vars.get(name);
        }
        switch (name) {
            case "uri":
                return s.path; // set_path changes upstream_uri, not uri
            case "request_uri":
                return s.requestUri();
            case "args", "query_string":
                return s.rawQuery == null || s.rawQuery.isEmpty() ? null : s.rawQuery;
            case "request_method":
                return s.method;
            case "scheme":
                return s.scheme;
            case "host":
                return s.host;
            case "server_port":
                return Long.toString(s.port);
            case "remote_addr", "realip_remote_addr", "binary_remote_addr":
                return s.clientIp;
            case "remote_port", "realip_remote_port":
                return Long.toString(s.clientPort);
            case "upstream_uri":
                return s.upstreamUri();
            default:
                break;
        }
        if (name.startsWith("http_")) {
            return s.requestHeaders.first(name.substring(5));
        }
        return null;
    }
}
