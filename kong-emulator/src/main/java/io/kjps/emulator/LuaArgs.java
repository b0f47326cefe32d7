package io.kjps.emulator;

import io.kjps.emulator.internal.LuaValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The argument checks Kong's PDK functions share, raising the Lua errors Kong 3.9 raises. */
final class LuaArgs {

    private LuaArgs() {
    }

    /** A Lua error raised by a PDK function: {@link FakeRequest} answers it as Kong does. */
    static final class Raise extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raise(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param a the arguments
     * @param i an index
     * @return argument {@code i}, or null (a Lua nil) when absent
     */
    static Object arg(List<Object> a, int i) {
        return i < a.size() ? a.get(i) : null;
    }

    /** Response getters raise before Kong proxies. */
    static void responseGetterPhase(String phase) {
        if (phase.equals("rewrite") || phase.equals("access")) {
            throw new Raise("function cannot be called in " + phase + " phase");
        }
    }

    /** Response setters raise in the log phase. */
    static void responseSetterPhase(String phase) {
        if (phase.equals("log")) {
            throw new Raise("function cannot be called in log phase");
        }
    }

    static String headerName(List<Object> a) {
        if (a.isEmpty() || !(a.get(0) instanceof String n)) {
            throw new Raise("header name must be a string");
        }
        return n;
    }

    static String validHeaderName(List<Object> a) {
        Object n = arg(a, 0);
        if (n instanceof String s) {
            return s;
        }
        throw new Raise("invalid header name \"" + LuaValues.tostring(n) + "\": got " + luaType(n)
                + ", expected string");
    }

    static List<Object> headerValues(String name, Object v) {
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

    static int statusArg(List<Object> a, int min, int max) {
        if (!(arg(a, 0) instanceof Number n)) {
            throw new Raise("code must be a number");
        }
        int code = n.intValue();
        if (code < min || code > max) {
            throw new Raise("code must be a number between " + min + " and " + max);
        }
        return code;
    }

    static Map<?, ?> tableArg(List<Object> a, String what) {
        Object t = arg(a, 0);
        if (t instanceof Map<?, ?> m) {
            return m;
        }
        if (t instanceof List<?> l && l.isEmpty()) {
            return Map.of();
        }
        throw new Raise(what + " must be a table");
    }

    /** A {@code get(key)} on a Lua table: nil without a key. */
    static PdkResult get(Map<Object, Object> m, List<Object> a) {
        return PdkResult.of(a.isEmpty() ? null : m.get(a.get(0)));
    }

    /** A {@code set(key, value)} on a Lua table: nil key raises, nil value removes. */
    static PdkResult put(Map<Object, Object> m, List<Object> a) {
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

    static String luaType(Object v) {
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

    /** The arguments as {@code kong.log} joins them: each {@code tostring}-ed, no separator. */
    static String concat(List<Object> a) {
        StringBuilder sb = new StringBuilder();
        for (Object o : a) {
            sb.append(LuaValues.tostring(o));
        }
        return sb.toString();
    }
}
