package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;
import static io.kjps.emulator.LuaArgs.headerValues;
import static io.kjps.emulator.LuaArgs.responseGetterPhase;
import static io.kjps.emulator.LuaArgs.responseSetterPhase;
import static io.kjps.emulator.LuaArgs.validHeaderName;

import io.kjps.emulator.internal.HeaderList;
import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kong.response.*}: the response the client gets. Getters raise before Kong proxies, setters in the log
 * phase; {@code exit} and {@code error} end the request.
 */
final class ResponseFunctions implements PdkNamespace {
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


    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        switch (m) {
            case "kong.response.get_status":
                responseGetterPhase(phase);
                return PdkResult.of((long) s.currentStatus());
            case "kong.response.get_header": {
                responseGetterPhase(phase);
                if (!(arg(a, 0) instanceof String n)) {
                    throw new LuaArgs.Raise("header name must be a string");
                }
                return PdkResult.of(s.clientHeaders().first(n));
            }
            case "kong.response.get_headers":
                responseGetterPhase(phase);
                return PdkResult.of(s.clientHeaders().luaTable());
            case "kong.response.get_source":
                responseGetterPhase(phase);
                return PdkResult.of(s.exited ? "exit" : "service");
            case "kong.response.set_status":
                responseSetterPhase(phase);
                s.statusSet = LuaArgs.statusArg(a, 100, 599);
                return PdkResult.nil();
            case "kong.response.set_header", "kong.response.add_header": {
                responseSetterPhase(phase);
                String n = validHeaderName(a);
                List<Object> vs = headerValues(n, arg(a, 1));
                s.responseOps.add(new Object[] {m.endsWith("set_header") ? "set" : "add", n, vs});
                return PdkResult.nil();
            }
            case "kong.response.clear_header": {
                responseSetterPhase(phase);
                s.responseOps.add(new Object[] {"clear", validHeaderName(a), List.of()});
                return PdkResult.nil();
            }
            case "kong.response.set_headers":
                responseSetterPhase(phase);
                for (Map.Entry<?, ?> e : LuaArgs.tableArg(a, "headers").entrySet()) {
                    String n = String.valueOf(e.getKey());
                    s.responseOps.add(new Object[] {"set", n, headerValues(n, e.getValue())});
                }
                return PdkResult.nil();
            case "kong.response.exit":
                return exit(s, phase, a, false);
            case "kong.response.error":
                return exit(s, phase, a, true);
            default:
                return s.unknown(m);
        }
    }

    /**
     * {@code kong.response.exit(status, body, headers)} or {@code error(status, message, headers)}: the request
     * ends with this response.
     */
    static PdkResult exit(FakeState s, String phase, List<Object> a, boolean error) {
        if (phase.equals("log")) {
            throw new LuaArgs.Raise("function cannot be called in log phase");
        }
        int status = error ? LuaArgs.statusArg(a, 400, 599) : LuaArgs.statusArg(a, 100, 599);
        Object bodyArg = arg(a, 1);
        Object headersArg = arg(a, 2);
        HeaderList h = s.applyOps(new HeaderList());
        byte[] out;
        if (error) {
            String msg = bodyArg == null ? ERROR_MESSAGES.getOrDefault(status,
                    "The upstream server responded with " + status) : LuaValues.tostring(bodyArg);
            Map<String, Object> jb = new LinkedHashMap<>();
            jb.put("message", msg);
            out = LuaJson.writeBytes(jb);
            h.set("Content-Type", List.of(JSON_TYPE));
        } else if (bodyArg == null) {
            out = new byte[0];
        } else if (LuaValues.isString(bodyArg)) {
            out = LuaValues.bytes(bodyArg);
        } else if (bodyArg instanceof Map || bodyArg instanceof List) {
            out = LuaJson.writeBytes(bodyArg);
            h.set("Content-Type", List.of(JSON_TYPE));
        } else {
            throw new LuaArgs.Raise("body must be a nil, string or table");
        }
        if (headersArg instanceof Map<?, ?> hm) {
            for (Map.Entry<?, ?> e : hm.entrySet()) {
                String n = String.valueOf(e.getKey());
                h.set(n, headerValues(n, e.getValue()));
            }
        } else if (headersArg != null && !(headersArg instanceof List<?> l && l.isEmpty())) {
            throw new LuaArgs.Raise("headers must be a nil or table");
        }
        s.exited = true;
        s.exitStatus = status;
        s.exitBody = out;
        s.exitHeaders = h;
        return PdkResult.nil();
    }
}
