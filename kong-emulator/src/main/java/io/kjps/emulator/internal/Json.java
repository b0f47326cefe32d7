package io.kjps.emulator.internal;

import io.kjps.emulator.RawString;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and a cjson-like writer (no dependency besides the JDK). The reader keeps object key order
 * (LinkedHashMap) and tells integer literals (Long, or BigInteger when too large) from other numbers (Double).
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /**
     * @param text JSON text
     * @return null, Boolean, Long, BigInteger, Double, String, List or LinkedHashMap
     * @throws IllegalArgumentException on malformed JSON
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek('}')) {
                    return m;
                }
                while (true) {
                    ws();
                    if (i >= s.length() || s.charAt(i) != '"') {
                        throw error("object key expected");
                    }
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value());
                    ws();
                    if (peek('}')) {
                        return m;
                    }
                    expect(',');
                }
            }
            case '[': {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek(']')) {
                    return l;
                }
                while (true) {
                    ws();
                    l.add(value());
                    ws();
                    if (peek(']')) {
                        return l;
                    }
                    expect(',');
                }
            }
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                return number();
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "' expected");
        }
    }

    private void literal(String w) {
        if (!s.startsWith(w, i)) {
            throw error(w + " expected");
        }
        i += w.length();
    }

    private Object number() {
        int b = i;
        if (peek('-')) {
            // sign
        }
        boolean integral = true;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                i++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                i++;
            } else {
                break;
            }
        }
        String t = s.substring(b, i);
        if (t.isEmpty() || t.equals("-")) {
            throw error("value expected");
        }
        try {
            if (integral) {
                BigInteger bi = new BigInteger(t);
                return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw error("bad number " + t);
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    /**
     * Writes JSON the way Kong's cjson does: {@code /} escaped as {@code \/}, numbers as {@code %.14g}, strings as
     * their raw bytes (a {@link RawString} stays non-UTF-8), an empty map as {@code {}}, a list as an array.
     *
     * @param v a value of Java maps, lists, strings, numbers, booleans and nulls
     * @return the JSON bytes
     */
    public static byte[] writeBytes(Object v) {
        return writeBytes(v, true);
    }

    /**
     * Writes JSON as {@link #writeBytes(Object)} does, optionally without cjson's {@code \/}.
     *
     * @param v           a value (see {@link #writeBytes(Object)})
     * @param escapeSlash whether {@code /} is written as {@code \/} (cjson does; most other writers do not)
     * @return the JSON bytes
     */
    public static byte[] writeBytes(Object v, boolean escapeSlash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(v, out, escapeSlash);
        return out.toByteArray();
    }

    /**
     * @param v a value (see {@link #writeBytes})
     * @return the JSON text (lossy for non-UTF-8 strings)
     */
    public static String write(Object v) {
        return new String(writeBytes(v), StandardCharsets.UTF_8);
    }

    private static void write(Object v, ByteArrayOutputStream out, boolean escapeSlash) {
        if (v == null) {
            ascii(out, "null");
        } else if (v instanceof Boolean b) {
            ascii(out, b.toString());
        } else if (v instanceof Number n) {
            ascii(out, LuaValues.number(n));
        } else if (LuaValues.isString(v)) {
            str(LuaValues.bytes(v), out, escapeSlash);
        } else if (v instanceof Map<?, ?> m) {
            out.write('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                Object k = e.getKey();
                str(LuaValues.isString(k) ? LuaValues.bytes(k)
                        : LuaValues.tostring(k).getBytes(StandardCharsets.UTF_8), out, escapeSlash);
                out.write(':');
                write(e.getValue(), out, escapeSlash);
            }
            out.write('}');
        } else if (v instanceof Collection<?> c) {
            out.write('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                write(o, out, escapeSlash);
            }
            out.write(']');
        } else {
            str(v.toString().getBytes(StandardCharsets.UTF_8), out, escapeSlash);
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void str(byte[] b, ByteArrayOutputStream out, boolean escapeSlash) {
        out.write('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '/' -> {
                    if (escapeSlash) {
                        ascii(out, "\\/");
                    } else {
                        out.write(c);
                    }
                }
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                case '\b' -> ascii(out, "\\b");
                case '\f' -> ascii(out, "\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        ascii(out, String.format("\\u%04x", c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }
}
