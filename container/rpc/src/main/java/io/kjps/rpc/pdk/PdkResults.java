package io.kjps.rpc.pdk;

import io.kjps.pdk.PdkException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts decoded Kong results into the types the typed PDK promises (see the {@code io.kjps.pdk} docs). */
public final class PdkResults {
    private PdkResults() {
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result
     * @return it as text; numbers and booleans as Lua's {@code tostring} would print them; {@code null} for nil
     */
    public static String string(String method, Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        } else if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        } else if (v instanceof Long || v instanceof Boolean || v instanceof java.math.BigInteger) {
            return v.toString();
        } else if (v instanceof Double d) {
            // integral values print without ".0"; beyond the long range longValue() would clamp, so not there
            return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? Long.toString(d.longValue()) : d.toString();
        } else if (v instanceof List<?> l && l.isEmpty()) {
            return null;
        }
        throw unexpected(method, "a string", v);
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result
     * @return it as a long; Kong sends integral floats as integers and sometimes the reverse
     */
    public static long longValue(String method, Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw unexpected(method, "a number", v);
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result that Kong means as a small integer (an HTTP status)
     * @return it as an int; Kong sends integral floats as integers and sometimes the reverse
     */
    public static int intValue(String method, Object v) {
        long l = longValue(method, v);
        if (l != (int) l) {
            throw unexpected(method, "an int", v);
        }
        return (int) l;
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result
     * @return it as a double
     */
    public static double doubleValue(String method, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw unexpected(method, "a number", v);
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result
     * @return it as a boolean
     */
    public static boolean bool(String method, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw unexpected(method, "a boolean", v);
    }

    /**
     * @param method the PDK method, for messages
     * @param v a result: bin (Kong 3.x) or str (Kong 2.x)
     * @return the bytes, or {@code null}
     */
    public static byte[] bytes(String method, Object v) {
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        } else if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw unexpected(method, "bytes", v);
    }

    /**
     * Kong's multi-maps (protocol.md §4.7 fix_mmap): every value a list; a flag {@code true} is an empty list; a flag
     * inside a list is {@code "true"}; an empty Lua table (an empty array) is an empty map.
     *
     * @param method the PDK method, for messages
     * @param v a result
     * @return an ordered, unmodifiable multi-map
     */
    public static Map<String, List<String>> multimap(String method, Object v) {
        if (v == null || v instanceof List<?> l && l.isEmpty()) {
            return Collections.emptyMap();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw unexpected(method, "a map of lists", v);
        }
        Map<String, List<String>> out = new LinkedHashMap<>(m.size() * 2);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object value = e.getValue();
            List<String> values;
            if (value instanceof List<?> list) {
                values = new ArrayList<>(list.size());
                for (Object item : list) {
                    values.add(string(method, item));
                }
                values = Collections.unmodifiableList(values);
            } else if (Boolean.TRUE.equals(value)) {
                values = Collections.emptyList();
            } else {
                values = Collections.singletonList(string(method, value));
            }
            out.put(String.valueOf(e.getKey()), values);
        }
        return Collections.unmodifiableMap(out);
    }

    private static PdkException unexpected(String method, String expected, Object v) {
        String since = v == null ? KongLines.since(method) : null;
        return new PdkException(method + ": expected " + expected + " from Kong, got "
                + io.kjps.rpc.codec.RpcCodec.describe(v) + (since == null ? ""
                : " (Kong has " + method + " from " + since + " on; an older Kong answers nothing)"));
    }
}
