package io.kjps.emulator.internal;

import io.kjps.emulator.ExtValue;
import io.kjps.emulator.RawString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers that look at decoded values the way Kong's Lua does. */
public final class LuaValues {
    private LuaValues() {
    }

    /**
     * What Kong's unpacker makes of a decoded value: str and bin are both strings, ext is nil, uint64 beyond 2^53 is a
     * double, map entries with a nil key or nil value disappear.
     *
     * @param v a value from the decoder
     * @return the Lua view
     */
    public static Object toLua(Object v) {
        if (v instanceof byte[] b) {
            return string(b);
        }
        if (v instanceof ExtValue) {
            return null;
        }
        if (v instanceof BigInteger bi) {
            return bi.doubleValue();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toLua(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = toLua(e.getKey());
                Object val = toLua(e.getValue());
                if (k != null && val != null && !(k instanceof Double d && d.isNaN())) {
                    out.put(k, val);
                }
            }
            return out;
        }
        return v;
    }

    /**
     * @param b bytes
     * @return a String when they are valid UTF-8, else a RawString
     */
    public static Object string(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return new RawString(b);
        }
    }

    /**
     * @param v a String, RawString or byte[]
     * @return its bytes, or null if it is no string
     */
    public static byte[] bytes(Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof RawString r) {
            return r.bytes();
        }
        if (v instanceof byte[] b) {
            return b;
        }
        return null;
    }

    /**
     * @param v a value
     * @return whether v is a Lua string (String, RawString or byte[])
     */
    public static boolean isString(Object v) {
        return v instanceof String || v instanceof RawString || v instanceof byte[];
    }

    /**
     * Lua's {@code tostring} for scalars: integers without a fraction, other numbers as {@code %.14g}.
     *
     * @param v a value
     * @return its text
     */
    public static String tostring(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Number n) {
            return number(n);
        }
        if (v instanceof RawString r) {
            return r.latin1();
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof Map || v instanceof Collection) {
            return "table: 0x" + Integer.toHexString(System.identityHashCode(v));
        }
        return v.toString();
    }

    /**
     * @param n a number
     * @return Lua's text for it (and cjson's, which uses the same {@code %.14g})
     */
    public static String number(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
            return d > 0 ? "nan" : "-nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = String.format(java.util.Locale.ROOT, "%.14g", d);
        if (s.contains("e")) {
            String[] parts = s.split("e");
            String mant = stripZeros(parts[0]);
            int exp = Integer.parseInt(parts[1]);
            return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return stripZeros(s);
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Equality as Kong sees it: numbers by value (int or float, any width), strings by bytes (str, bin and
     * RawString alike), maps regardless of key order, lists element by element; an ext value counts as nil.
     *
     * @param a one value
     * @param b the other
     * @return whether Kong could tell them apart
     */
    public static boolean semanticEquals(Object a, Object b) {
        if (a instanceof ExtValue) {
            a = null;
        }
        if (b instanceof ExtValue) {
            b = null;
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return numEquals(x, y);
        }
        if (isString(a) && isString(b)) {
            return Arrays.equals(bytes(a), bytes(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!semanticEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            outer:
            for (Map.Entry<?, ?> e : x.entrySet()) {
                for (Map.Entry<?, ?> f : y.entrySet()) {
                    if (semanticEquals(e.getKey(), f.getKey())) {
                        if (!semanticEquals(e.getValue(), f.getValue())) {
                            return false;
                        }
                        continue outer;
                    }
                }
                return false;
            }
            return true;
        }
        // an empty map and an empty list are the same empty Lua table
        if (a instanceof Map<?, ?> x && b instanceof List<?> y) {
            return x.isEmpty() && y.isEmpty();
        }
        if (a instanceof List<?> x && b instanceof Map<?, ?> y) {
            return x.isEmpty() && y.isEmpty();
        }
        return a.equals(b);
    }

    private static boolean numEquals(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y)) {
            return toBig(x).equals(toBig(y));
        }
        double dx = x.doubleValue();
        double dy = y.doubleValue();
        if (Double.isNaN(dx) || Double.isNaN(dy)) {
            return false;
        }
        if (Double.isInfinite(dx) || Double.isInfinite(dy)) {
            return dx == dy;
        }
        return exact(x).compareTo(exact(y)) == 0;
    }

    private static BigDecimal exact(Number n) {
        return isIntegral(n) ? new BigDecimal(toBig(n)) : new BigDecimal(n.doubleValue());
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    private static BigInteger toBig(Number n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    }
}
