package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;
import static io.kjps.emulator.LuaArgs.headerValues;
import static io.kjps.emulator.LuaArgs.tableArg;
import static io.kjps.emulator.LuaArgs.validHeaderName;

import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kong.service.*} and {@code kong.service.request.*}: every call is recorded
 * ({@link FakeRequest#serviceCalls()}); the request setters (rewrite and access only) also change the request sent
 * upstream. Other setters ({@code set_upstream}, {@code set_target}, {@code set_scheme}, ...) are recorded only.
 */
final class ServiceFunctions implements PdkNamespace {
    private static final String REQUEST = "kong.service.request.";


    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        if (m.startsWith(REQUEST)) {
            if (!phase.equals("rewrite") && !phase.equals("access")) {
                throw new LuaArgs.Raise("function cannot be called in " + phase + " phase");
            }
            changeRequest(s, m.substring(REQUEST.length()), a);
        }
        s.serviceCalls.add(new ReceivedPdkCall(m, a));
        return m.equals("kong.service.set_upstream") ? PdkResult.of(true) : PdkResult.nil();
    }

    private static void changeRequest(FakeState s, String fn, List<Object> a) {
        switch (fn) {
            case "set_header", "add_header": {
                String n = validHeaderName(a);
                List<Object> vs = headerValues(n, arg(a, 1));
                if (fn.equals("set_header")) {
                    s.requestHeaders.set(n, vs);
                } else {
                    vs.forEach(v -> s.requestHeaders.add(n, v));
                }
                break;
            }
            case "clear_header":
                s.requestHeaders.remove(validHeaderName(a));
                break;
            case "set_headers":
                for (Map.Entry<?, ?> e : tableArg(a, "headers").entrySet()) {
                    String n = String.valueOf(e.getKey());
                    s.requestHeaders.set(n, headerValues(n, e.getValue()));
                }
                break;
            case "set_path":
                if (!(arg(a, 0) instanceof String p) || !p.startsWith("/")) {
                    throw new LuaArgs.Raise("path must be a string starting with '/'");
                }
                s.upstreamPath = p;
                break;
            case "set_raw_query":
                if (!(arg(a, 0) instanceof String q)) {
                    throw new LuaArgs.Raise("query must be a string");
                }
                s.rawQuery = q;
                break;
            case "set_query":
                s.rawQuery = UriArgs.encode(tableArg(a, "args"));
                break;
            case "set_method":
                if (!(arg(a, 0) instanceof String mm)) {
                    throw new LuaArgs.Raise("method must be a string");
                }
                s.method = mm.toUpperCase(Locale.ROOT);
                break;
            case "set_raw_body": {
                byte[] b = a.isEmpty() ? null : LuaValues.bytes(a.get(0));
                if (b == null) {
                    throw new LuaArgs.Raise("body must be a string");
                }
                s.body = b.clone();
                break;
            }
            case "set_body":
                s.body = LuaJson.writeBytes(tableArg(a, "body"));
                s.requestHeaders.set("content-type", List.of("application/json"));
                break;
            default:
                break; // set_scheme, enable_buffering, ...: recorded only
        }
    }
}
