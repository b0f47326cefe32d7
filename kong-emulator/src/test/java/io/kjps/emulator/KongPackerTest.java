package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.internal.JsonForm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KongPackerTest {

    private static String hex(Object v) {
        return HexFormat.of().formatHex(KongPacker.pack(v));
    }

    @Test
    void everyKongMessageInEveryRecordingRepacksToItsExactBytes() {
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (Path f : Conversations.all()) {
            for (Map<?, ?> line : Conversations.messages(f, "kong->server")) {
                String expected = (String) line.get("hex");
                String actual = HexFormat.of().formatHex(KongPacker.pack(JsonForm.toJava(line.get("msg"))));
                if (!expected.equals(actual)) {
                    failures.add(f.getFileName() + " seq " + line.get("seq") + ":\n  expected " + expected
                            + "\n  actual   " + actual);
                }
                checked++;
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(346, checked, "Kong->server messages in the recordings (README: 346 answers)");
    }

    @Test
    void stringsAreFixstrStr16OrStr32NeverStr8() {
        assertEquals("a161", hex("a"));
        assertEquals("bf" + "61".repeat(31), hex("a".repeat(31)));
        assertEquals("da0020" + "61".repeat(32), hex("a".repeat(32)));
        assertEquals("da00ff" + "61".repeat(255), hex("a".repeat(255)));
        assertTrue(hex("a".repeat(65535)).startsWith("daffff61"));
        assertTrue(hex("a".repeat(65536)).startsWith("db00010000"));
        assertEquals("a3e282ac", hex("€")); // UTF-8 bytes
        assertEquals("a4636166e9", hex(new RawString(new byte[] {'c', 'a', 'f', (byte) 0xe9})));
    }

    @Test
    void nonNegativeIntegersUseTheUnsignedFamily() {
        assertEquals("00", hex(0));
        assertEquals("7f", hex(127L));
        assertEquals("cc80", hex(128));
        assertEquals("ccc8", hex(200)); // HTTP status as Kong sends it
        assertEquals("ccff", hex(255));
        assertEquals("cd0100", hex(256));
        assertEquals("cdffff", hex(65535));
        assertEquals("ce00010000", hex(65536));
        assertEquals("ceffffffff", hex(4294967295L));
        assertEquals("cf0000000100000000", hex(4294967296L));
        assertEquals("cf7fffffffffffffff", hex(Long.MAX_VALUE));
        assertEquals("cfffffffffffffffff", hex(new BigInteger("18446744073709551615")));
        assertThrows(IllegalArgumentException.class, () -> KongPacker.pack(BigInteger.ONE.shiftLeft(64)));
    }

    @Test
    void negativeIntegersUseFixintOrSignedFamily() {
        assertEquals("ff", hex(-1));
        assertEquals("fb", hex(-5));
        assertEquals("e0", hex(-32));
        assertEquals("d0df", hex(-33));
        assertEquals("d080", hex(-128));
        assertEquals("d1ff7f", hex(-129));
        assertEquals("d18000", hex(-32768));
        assertEquals("d2ffff7fff", hex(-32769));
        assertEquals("d3ffffffff7fffffff", hex(-2147483649L));
    }

    @Test
    void numbersAreLuaNumbers() {
        assertEquals("02", hex(2.0)); // an integral double is an integer on the wire
        assertEquals("ccc8", hex(200.0f));
        assertEquals("ff", hex(-1.0));
        assertEquals("00", hex(-0.0));
        assertEquals("cb3ff8000000000000", hex(1.5));
        assertEquals("cb4340000000000000", hex(9007199254740992.0)); // 2^53: float64
        assertEquals("cf001fffffffffffff", hex(9007199254740991.0)); // 2^53-1: integer
        assertEquals("cb7ff8000000000000", hex(Double.NaN));
        assertEquals("cb7ff0000000000000", hex(Double.POSITIVE_INFINITY));
    }

    @Test
    void tablesNilBoolAndBin() {
        assertEquals("c0", hex(null));
        assertEquals("c3", hex(true));
        assertEquals("c2", hex(false));
        assertEquals("90", hex(List.of()));
        assertEquals("90", hex(Map.of())); // an empty Lua table is an array
        assertEquals("80", hex(KongPacker.explicitMap(Map.of()))); // fix_mmap's empty map
        assertEquals("93012a03", hex(new Object[] {1, 42, 3}));
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", null); // cjson.null keeps its key
        m.put(0, "zero"); // integer key
        assertEquals("83a16201a161c000a47a65726f", hex(m));
        assertEquals("c403010203", hex(new byte[] {1, 2, 3}));
        assertTrue(hex(new byte[300]).startsWith("c5012c"));
        assertTrue(hex(new byte[70000]).startsWith("c600011170"));
        assertTrue(hex(new ArrayList<>(Arrays.asList(new Object[16]))).startsWith("dc0010"));
        assertThrows(IllegalArgumentException.class, () -> KongPacker.pack(new ExtValue(1, new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> KongPacker.pack(new Object()));
    }

    @Test
    void specByteExampleOfHandleEvent() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("InstanceId", 3);
        p.put("EventName", "access");
        byte[] b = KongPacker.pack(List.of(0, 7, "plugin.HandleEvent", List.of(p)));
        String expected = "940007b2" + HexFormat.of().formatHex("plugin.HandleEvent".getBytes(StandardCharsets.UTF_8))
                + "9182aa" + HexFormat.of().formatHex("InstanceId".getBytes(StandardCharsets.UTF_8)) + "03a9"
                + HexFormat.of().formatHex("EventName".getBytes(StandardCharsets.UTF_8)) + "a6"
                + HexFormat.of().formatHex("access".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(HexFormat.of().parseHex(expected), b);
    }
}
