package io.kjps.emulator.internal;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as Kong's Lua side reads and writes it (lua-cjson), through Gson's streaming reader and writer.
 *
 * <p>Reading gives the values the emulator hands to msgpack as Kong would: objects as {@link LinkedHashMap} in
 * document order, a JSON {@code null} kept under its key (cjson's {@code cjson.null}, which Kong packs as msgpack nil
 * and does not drop: docs/protocol.md §4.13), integer literals as {@link Long} (or {@link BigInteger} beyond 64
 * bits) and every other number as {@link Double} (Lua 5.1 has one number type, but the msgpack packer sends an
 * integral number as an integer and anything else as float 64, and the recordings tell the two apart).
 *
 * <p>Writing is cjson's: strings as their bytes, so a {@link io.kjps.emulator.RawString} that is not UTF-8 stays
 * as it is (Gson writes each byte as one ISO-8859-1 char, and the text is encoded back byte for byte); numbers as
 * {@code %.14g} ({@link LuaValues#number}); {@code /} escaped as {@code \/} and DEL as {@code \u007f}, which Gson
 * leaves alone and cjson escapes.
 */
public final class LuaJson {

    private LuaJson() {
    }

    /**
     * @param text JSON text
     * @return null, Boolean, Long, BigInteger, Double, String, List or LinkedHashMap
     * @throws IllegalArgumentException on malformed JSON, or anything after the value
     */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(new StringReader(text));
        try {
            Object v = read(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("JSON: trailing characters at " + r.getPath());
            }
            return v;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("JSON: " + e.getMessage(), e);
        }
    }

    private static Object read(JsonReader r) throws IOException {
        switch (r.peek()) {
            case BEGIN_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                r.beginObject();
                while (r.hasNext()) {
                    String k = r.nextName();
                    m.put(k, read(r));
                }
                r.endObject();
                return m;
            }
            case BEGIN_ARRAY -> {
                List<Object> l = new ArrayList<>();
                r.beginArray();
                while (r.hasNext()) {
                    l.add(read(r));
                }
                r.endArray();
                return l;
            }
            case STRING -> {
                return r.nextString();
            }
            case NUMBER -> {
                return number(r.nextString());
            }
            case BOOLEAN -> {
                return r.nextBoolean();
            }
            case NULL -> {
                r.nextNull();
                return null;
            }
            default -> throw new IllegalStateException("a value expected at " + r.getPath());
        }
    }

    /** An integer literal is a Long (a BigInteger beyond 64 bits); a fraction or an exponent makes a Double. */
    private static Object number(String literal) {
        if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
            BigInteger bi = new BigInteger(literal);
            return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
        }
        return Double.parseDouble(literal);
    }

    /**
     * Writes JSON the way Kong's cjson does: {@code /} escaped as {@code \/}, numbers as {@code %.14g}, strings as
     * their raw bytes (a {@link io.kjps.emulator.RawString} stays non-UTF-8), an empty map as {@code {}}, a list as
     * an array.
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
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(true);
            write(v, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        // every char is one byte (bytes as ISO-8859-1, see byteChars), so '/' and DEL occur only inside strings
        String text = out.toString().replace("\u007f", "\\u007f");
        if (escapeSlash) {
            text = text.replace("/", "\\/");
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void write(Object v, JsonWriter w) throws IOException {
        if (v == null) {
            w.nullValue();
        } else if (v instanceof Boolean b) {
            w.value(b);
        } else if (v instanceof Number n) {
            w.jsonValue(LuaValues.number(n));
        } else if (LuaValues.isString(v)) {
            w.value(byteChars(LuaValues.bytes(v)));
        } else if (v instanceof Map<?, ?> m) {
            w.beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                w.name(byteChars(LuaValues.isString(k) ? LuaValues.bytes(k)
                        : LuaValues.tostring(k).getBytes(StandardCharsets.UTF_8)));
                write(e.getValue(), w);
            }
            w.endObject();
        } else if (v instanceof Collection<?> c) {
            w.beginArray();
            for (Object o : c) {
                write(o, w);
            }
            w.endArray();
        } else {
            w.value(byteChars(v.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Each byte as the char of the same value, so Gson escapes only what is ASCII and the bytes survive. */
    private static String byteChars(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
