package io.kjps.emulator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.RawString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LuaJsonTest {

    @Test
    void integersStayIntegersAndEverythingElseIsADouble() {
        Map<?, ?> m = (Map<?, ?>) LuaJson.parse("{\"i\":42,\"neg\":-7,\"f\":1.0,\"e\":1e3,\"E\":2E-1,"
                + "\"big\":18446744073709551616,\"max\":9223372036854775807}");
        assertEquals(42L, m.get("i"));
        assertEquals(-7L, m.get("neg"));
        assertEquals(1.0, m.get("f"));
        assertEquals(1000.0, m.get("e"));
        assertEquals(0.2, m.get("E"));
        assertEquals(new BigInteger("18446744073709551616"), m.get("big"));
        assertEquals(Long.MAX_VALUE, m.get("max"));
    }

    @Test
    void aJsonNullKeepsItsKeyAndKeysKeepTheirOrder() {
        Map<?, ?> m = (Map<?, ?>) LuaJson.parse("{\"z\":1,\"nul\":null,\"a\":[null,true,\"s\\/\\u00e9\"]}");
        assertEquals(List.of("z", "nul", "a"), new ArrayList<>(m.keySet()));
        assertTrue(m.containsKey("nul"));
        assertEquals(Arrays.asList(null, true, "s/\u00e9"), m.get("a"));
        assertInstanceOf(LinkedHashMap.class, m);
    }

    @Test
    void malformedOrTrailingTextIsRefused() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{} x", "nope")) {
            assertThrows(IllegalArgumentException.class, () -> LuaJson.parse(bad), bad);
        }
    }

    @Test
    void writesAsCjsonDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "/a/b");
        m.put("n", 3L);
        m.put("f", 0.1);
        m.put("whole", 2.0);
        m.put("nil", null);
        m.put("ctl", "\t\n\u0001\u007f\"\\");
        m.put("empty", Map.of());
        m.put("list", List.of(1L, "x"));
        assertEquals("{\"path\":\"\\/a\\/b\",\"n\":3,\"f\":0.1,\"whole\":2,\"nil\":null,"
                + "\"ctl\":\"\\t\\n\\u0001\\u007f\\\"\\\\\",\"empty\":{},\"list\":[1,\"x\"]}",
                new String(LuaJson.writeBytes(m), StandardCharsets.UTF_8));
        assertEquals("{\"uri\":\"/a\"}", new String(LuaJson.writeBytes(Map.of("uri", "/a"), false),
                StandardCharsets.UTF_8));
    }

    @Test
    void stringsAreWrittenAsTheirBytes() {
        byte[] latin1 = {(byte) 0xe9, 'x'};
        byte[] out = LuaJson.writeBytes(List.of(new RawString(latin1), "\u00e9\u20ac"));
        byte[] expected = new byte[] {'[', '"', (byte) 0xe9, 'x', '"', ',', '"', (byte) 0xc3, (byte) 0xa9,
            (byte) 0xe2, (byte) 0x82, (byte) 0xac, '"', ']'};
        assertArrayEquals(expected, out);
    }
}
