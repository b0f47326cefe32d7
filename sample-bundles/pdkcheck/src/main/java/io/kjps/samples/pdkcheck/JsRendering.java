package io.kjps.samples.pdkcheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders PDK results the way the recorded JavaScript plugin did: nil as {@code undefined}; strings as they are;
 * numbers and booleans as JavaScript prints them; lists and maps as {@code JSON.stringify} writes them, with the
 * top-level keys of a map sorted.
 */
final class JsRendering {
    private JsRendering() {
    }

    /** The JS plugin's {@code probe}: objects as key-sorted JSON, everything else as {@code String(v)}. */
    static String probe(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, value) -> sorted.put(String.valueOf(k), value));
            return json(sorted);
        } else if (v instanceof List<?>) {
            return json(v);
        }
        return concat(v);
    }

    /** JavaScript's {@code "" + v}. */
    static String concat(Object v) {
        if (v == null) {
            return "undefined";
        } else if (v instanceof Number n) {
            return number(n);
        } else if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Iterator<?> it = l.iterator(); it.hasNext();) {
                Object o = it.next();
                sb.append(o == null ? "" : concat(o));
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            return sb.toString();
        } else if (v instanceof Map<?, ?>) {
            return "[object Object]";
        }
        return String.valueOf(v);
    }

    /** {@code JSON.stringify}. */
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        json(sb, v);
        return sb.toString();
    }

    private static void json(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.append(new JsonPrimitive(s));
        } else if (v instanceof Number n) {
            sb.append(number(n));
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(new JsonPrimitive(String.valueOf(e.getKey()))).append(':');
                json(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                json(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof byte[] b) {
            sb.append(new JsonPrimitive(new String(b, java.nio.charset.StandardCharsets.UTF_8)));
        } else {
            sb.append(new JsonPrimitive(String.valueOf(v)));
        }
    }

    private static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            } else if (Double.isInfinite(d)) {
                return d > 0 ? "Infinity" : "-Infinity";
            } else if (d == Math.rint(d) && Math.abs(d) < 1e21) {
                return BigDecimal.valueOf(d).toBigInteger().toString();
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }

    /** A parsed JSON value as plain Java values. */
    static Object fromJson(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        } else if (e.isJsonArray()) {
            List<Object> out = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> out.add(fromJson(x)));
            return out;
        } else if (e.isJsonObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> out.put(x.getKey(), fromJson(x.getValue())));
            return out;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isNumber()) {
            BigDecimal d = p.getAsBigDecimal();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return d.doubleValue();
            }
        } else if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        return p.getAsString();
    }
}
