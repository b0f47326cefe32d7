package io.kjps.emulator;

import io.kjps.emulator.internal.LuaValues;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Query strings and form bodies as nginx parses and Kong encodes them. */
final class UriArgs {

    private UriArgs() {
    }

    /** {@code ngx.req.get_uri_args}: a=1 → "1", a → true, a= → "", repeated → list in order. */
    static Map<String, Object> parse(String q) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String part : q.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            Object key = unescape(eq < 0 ? part : part.substring(0, eq));
            if (!(key instanceof String k) || k.isEmpty()) {
                continue;
            }
            Object v = eq < 0 ? Boolean.TRUE : unescape(part.substring(eq + 1));
            Object prev = out.get(k);
            if (prev == null) {
                out.put(k, v);
            } else if (prev instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> lo = (List<Object>) l;
                lo.add(v);
            } else {
                List<Object> l = new ArrayList<>();
                l.add(prev);
                l.add(v);
                out.put(k, l);
            }
        }
        return out;
    }

    private static Object unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '+') {
                out.write(' ');
            } else if (b[i] == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return LuaValues.string(out.toByteArray());
    }

    private static int hex(byte c) {
        return Character.digit((char) c, 16);
    }

    /** Kong's {@code encode_args}: keys sorted, {@code true} a flag, {@code false} left out, lists repeated. */
    static String encode(Map<?, ?> args) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : new TreeMap<>(stringKeys(args)).entrySet()) {
            List<?> vs = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : vs) {
                if (Boolean.FALSE.equals(v)) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(escape(e.getKey().toString()));
                if (!Boolean.TRUE.equals(v)) {
                    sb.append('=').append(escape(LuaValues.tostring(v)));
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(LuaValues.tostring(k), v));
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
