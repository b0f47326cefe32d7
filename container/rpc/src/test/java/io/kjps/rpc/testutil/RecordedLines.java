package io.kjps.rpc.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.kjps.recordings.Recordings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The golden conversations of the kong-recordings module ({@link Recordings}) parsed into lines,
 * and a semantic comparison of decoded values with their recorded {@code msg} JSON form.
 */
public final class RecordedLines {
    private RecordedLines() {
    }

    /** One line of a {@code .jsonl} file. */
    public record Line(int seq, Integer conn, String dir, String event, String note, byte[] bytes, JsonElement msg) {
        /** @return whether Kong sent it */
        public boolean fromKong() {
            return "kong->server".equals(dir);
        }

        /** @return whether the server sent it */
        public boolean fromServer() {
            return "server->kong".equals(dir);
        }
    }

    /** @return every {@code .jsonl} file name, sorted */
    public static List<String> files() {
        return Recordings.present().stream().map(n -> n + ".jsonl").toList();
    }

    /** @return the lines of one recording */
    public static List<Line> load(String file) {
        List<String> text;
        try {
            text = Files.readAllLines(Recordings.directory().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Line> out = new ArrayList<>();
        for (String t : text) {
            if (t.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(t).getAsJsonObject();
            out.add(new Line(o.get("seq").getAsInt(),
                    o.has("conn") ? o.get("conn").getAsInt() : null,
                    o.has("dir") ? o.get("dir").getAsString() : null,
                    o.has("event") ? o.get("event").getAsString() : null,
                    o.has("note") ? o.get("note").getAsString() : null,
                    o.has("hex") ? Bytes.hex(o.get("hex").getAsString()) : null,
                    o.get("msg")));
        }
        return out;
    }

    /**
     * Asserts that a decoded value is what the recording's JSON form says, exactly: same types, numbers by value,
     * map keys in wire order, the {@code $str_hex}/{@code $bin}/{@code $u64}/{@code $map} forms of the README.
     *
     * @param expected the {@code msg} JSON (or part of it)
     * @param actual the value decoded by our codec
     * @param path where we are, for messages
     */
    public static void assertSameValue(JsonElement expected, Object actual, String path) {
        if (expected == null || expected.isJsonNull()) {
            assertNull(actual, path);
        } else if (expected.isJsonPrimitive()) {
            JsonPrimitive p = expected.getAsJsonPrimitive();
            if (p.isBoolean()) {
                assertEquals(p.getAsBoolean(), actual, path);
            } else if (p.isString()) {
                assertEquals(p.getAsString(), actual, path);
            } else {
                assertInstanceOf(Number.class, actual, path);
                if (actual instanceof Double d) {
                    assertEquals(Double.parseDouble(p.getAsString()), d, path);
                } else {
                    BigDecimal want = p.getAsBigDecimal();
                    BigDecimal got = new BigDecimal(actual.toString());
                    assertEquals(0, want.compareTo(got), path + ": " + want + " vs " + got);
                }
            }
        } else if (expected.isJsonArray()) {
            List<?> list = assertInstanceOf(List.class, actual, path);
            JsonArray a = expected.getAsJsonArray();
            assertEquals(a.size(), list.size(), path + " size");
            for (int i = 0; i < a.size(); i++) {
                assertSameValue(a.get(i), list.get(i), path + "[" + i + "]");
            }
        } else {
            JsonObject o = expected.getAsJsonObject();
            if (o.size() == 1 && o.has("$str_hex")) {
                String s = assertInstanceOf(String.class, actual, path);
                assertEquals(o.get("$str_hex").getAsString(), Bytes.toHex(s.getBytes(StandardCharsets.ISO_8859_1)),
                        path + " (non-UTF-8 str, decoded as ISO-8859-1)");
            } else if (o.size() == 1 && o.has("$bin")) {
                byte[] b = assertInstanceOf(byte[].class, actual, path);
                assertEquals(o.get("$bin").getAsString(), Base64.getEncoder().encodeToString(b), path);
            } else if (o.size() == 1 && (o.has("$u64") || o.has("$i64"))) {
                String v = (o.has("$u64") ? o.get("$u64") : o.get("$i64")).getAsString();
                assertEquals(new BigInteger(v), new BigInteger(actual.toString()), path);
            } else if (o.size() == 1 && (o.has("$float32") || o.has("$float64"))) {
                JsonElement v = o.has("$float32") ? o.get("$float32") : o.get("$float64");
                assertEquals(v.getAsDouble(), assertInstanceOf(Double.class, actual, path), path);
            } else if (o.size() == 1 && o.has("$map")) {
                Map<?, ?> m = assertInstanceOf(Map.class, actual, path);
                JsonArray pairs = o.getAsJsonArray("$map");
                assertEquals(pairs.size(), m.size(), path + " size");
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                for (JsonElement pair : pairs) {
                    Map.Entry<?, ?> e = it.next();
                    assertSameValue(pair.getAsJsonArray().get(0), e.getKey(), path + " key");
                    assertSameValue(pair.getAsJsonArray().get(1), e.getValue(), path + "." + e.getKey());
                }
            } else if (o.size() == 2 && o.has("$ext")) {
                assertNull(actual, path + " (ext decodes to nil, as in Kong)");
            } else {
                Map<?, ?> m = assertInstanceOf(Map.class, actual, path);
                assertEquals(o.size(), m.size(), path + " size: " + o.keySet() + " vs " + m.keySet());
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                for (Map.Entry<String, JsonElement> want : o.entrySet()) {
                    Map.Entry<?, ?> got = it.next();
                    assertEquals(want.getKey(), got.getKey(), path + ": key order is wire order");
                    assertSameValue(want.getValue(), got.getValue(), path + "." + want.getKey());
                }
            }
        }
    }

    /** Fails unless the recording has at least one line in each direction. */
    public static void assertHasTraffic(List<Line> lines, String file) {
        assertTrue(lines.stream().anyMatch(Line::fromKong), file + " has no Kong message");
        if (lines.stream().noneMatch(Line::fromServer)) {
            fail(file + " has no server message");
        }
    }
}
