package io.kjps.rpc.codec;

import static io.kjps.rpc.testutil.Bytes.ascii;
import static io.kjps.rpc.testutil.Bytes.fixstr;
import static io.kjps.rpc.testutil.Bytes.hex;
import static io.kjps.rpc.testutil.Bytes.packed;
import static io.kjps.rpc.testutil.Bytes.toHex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageUnpacker;

/** Every msgpack type in both directions. */
class MsgpackValuesTest {

    private static Object decode(String hex) throws Exception {
        MessageUnpacker u = unpacker(hex(hex));
        Object v = MsgpackValues.read(u, DecodeLimits.DEFAULT);
        assertFalse(u.hasNext(), "exactly one value in " + hex);
        return v;
    }

    private static String encode(Object value) {
        return toHex(packed(p -> MsgpackValues.write(p, value)));
    }

    @Test
    void nilAndBooleans() throws Exception {
        assertNull(decode("c0"));
        assertEquals(Boolean.TRUE, decode("c3"));
        assertEquals(Boolean.FALSE, decode("c2"));
    }

    @Test
    void unsignedIntegersAreLongs() throws Exception {
        assertEquals(0L, decode("00"));
        assertEquals(127L, decode("7f"));
        assertEquals(255L, decode("cc ff"));
        assertEquals(65535L, decode("cd ffff"));
        assertEquals(4294967295L, decode("ce ffffffff"));
        assertEquals(4294967296L, decode("cf 0000000100000000"));
        assertEquals(Long.MAX_VALUE, decode("cf 7fffffffffffffff"));
    }

    @Test
    void uint64AboveLongMaxIsABigInteger() throws Exception {
        assertEquals(new BigInteger("18446744073709551615"), decode("cf ffffffffffffffff"));
        assertEquals(BigInteger.ONE.shiftLeft(63), decode("cf 8000000000000000"));
    }

    @Test
    void negativeIntegers() throws Exception {
        assertEquals(-1L, decode("ff"));
        assertEquals(-32L, decode("e0"));
        assertEquals(-128L, decode("d0 80"));
        assertEquals(-5L, decode("d0 fb"));
        assertEquals(-32768L, decode("d1 8000"));
        assertEquals(-2147483648L, decode("d2 80000000"));
        assertEquals(Long.MIN_VALUE, decode("d3 8000000000000000"));
        // a signed format holding a positive value
        assertEquals(5L, decode("d0 05"));
    }

    @Test
    void floatsAreDoubles() throws Exception {
        assertEquals(1.5, decode("ca 3fc00000"), "float32");
        assertEquals((double) 0.1f, decode("ca 3dcccccd"), "float32 keeps its float value");
        assertEquals(1.5, decode("cb 3ff8000000000000"), "float64");
        assertEquals(-0.0, decode("cb 8000000000000000"));
        assertEquals(Double.NaN, decode("cb 7ff8000000000000"));
    }

    @Test
    void everyStrFormat() throws Exception {
        assertEquals("", decode("a0"));
        assertEquals("abc", decode("a3" + ascii("abc")));
        assertEquals("abc", decode("d9 03" + ascii("abc")), "str8 (JS server, never Kong)");
        assertEquals("abc", decode("da 0003" + ascii("abc")), "str16");
        assertEquals("abc", decode("db 00000003" + ascii("abc")), "str32");
        String long300 = "x".repeat(300);
        assertEquals(long300, decode("da 012c" + ascii(long300)));
    }

    @Test
    void utf8StrIsDecodedAsUtf8() throws Exception {
        assertEquals("héllo ☃", decode("aa 68c3a96c6c6f20e29883"));
    }

    @Test
    void nonUtf8StrIsDecodedAsLatin1Losslessly() throws Exception {
        // pdkcheck-post.jsonl seq 19: the header x-latin1 arrives as a4 63 61 66 e9 ("caf" + 0xE9)
        Object v = decode("a4 636166e9");
        assertEquals("caf\u00e9", v);
        assertArrayEquals(hex("636166e9"), ((String) v).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void binFormatsAreByteArrays() throws Exception {
        assertArrayEquals(hex("010203"), (byte[]) decode("c4 03 010203"));
        assertArrayEquals(hex("ff00"), (byte[]) decode("c5 0002 ff00"));
        assertArrayEquals(hex("e9"), (byte[]) decode("c6 00000001 e9"));
        assertArrayEquals(new byte[0], (byte[]) decode("c4 00"));
    }

    @Test
    void extTypesAreNilAndConsumed() throws Exception {
        assertNull(decode("d4 01 aa"), "fixext1");
        assertNull(decode("d5 02 aabb"), "fixext2");
        assertNull(decode("d6 ff 00000000"), "timestamp32");
        assertNull(decode("d7 01 0011223344556677"), "fixext8");
        assertNull(decode("d8 01 00112233445566778899aabbccddeeff"), "fixext16");
        assertNull(decode("c7 03 05 aabbcc"), "ext8");
        assertNull(decode("c8 0002 05 aabb"), "ext16");
        assertNull(decode("c9 00000001 05 aa"), "ext32");
        assertEquals(Arrays.asList(null, 1L, null, "x"), decode("94 d4 01 aa 01 c7 00 05 a1 78"),
                "the payload is skipped, the next value is intact");
    }

    @Test
    void arraysOfEveryFormat() throws Exception {
        assertEquals(List.of(), decode("90"));
        assertEquals(List.of(1L, "a", true), decode("93 01 a1 61 c3"));
        assertEquals(List.of(1L, 2L), decode("dc 0002 01 02"));
        assertEquals(List.of(1L, 2L), decode("dd 00000002 01 02"));
        assertEquals(Arrays.asList(1L, null, 3L), decode("93 01 c0 03"));
        List<Object> big = new ArrayList<>();
        StringBuilder hex = new StringBuilder("dc 0400");
        for (int i = 0; i < 1024; i++) {
            big.add((long) (i % 128));
            hex.append(String.format("%02x", i % 128));
        }
        assertEquals(big, decode(hex.toString()));
    }

    @Test
    void mapsKeepWireOrderAndAnyKeyType() throws Exception {
        Object m = decode("83" + fixstr("z") + "01" + fixstr("a") + "02" + fixstr("m") + "03");
        assertInstanceOf(LinkedHashMap.class, m);
        assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) m).keySet()));
        assertEquals(Map.of(), decode("80"));
        assertEquals(Map.of("a", 1L), decode("de 0001 a1 61 01"));
        assertEquals(Map.of("a", 1L), decode("df 00000001 a1 61 01"));
        // kong.request.get_uri_captures().unnamed: integer keys, 0 first
        Map<?, ?> captures = (Map<?, ?>) decode("82 00 a4 2f612f62 01 a1 61");
        assertEquals(List.of(0L, 1L), List.copyOf(captures.keySet()));
        assertEquals("/a/b", captures.get(0L));
    }

    @Test
    void recordedGetBodyResultWithEveryKongPackerShape() throws Exception {
        // pdkcheck-post.jsonl seq 39 Data: ints, uint64 4294967296, negative, float, bool, nil, empty tables as 90
        Object v = decode("8a a173 a3737472 a36e756c c0 a3617272 9301a374776fc2 a166 cb3ff8000000000000"
                + " a8656d707479617272 90 a174 c3 a36e6567 fb a3626967 cf0000000100000000"
                + " a8656d7074796f626a 90 a16e 01");
        Map<Object, Object> want = new LinkedHashMap<>();
        want.put("s", "str");
        want.put("nul", null);
        want.put("arr", List.of(1L, "two", false));
        want.put("f", 1.5);
        want.put("emptyarr", List.of());
        want.put("t", true);
        want.put("neg", -5L);
        want.put("big", 4294967296L);
        want.put("emptyobj", List.of());
        want.put("n", 1L);
        assertEquals(want, v);
        assertEquals(List.copyOf(want.keySet()), List.copyOf(((Map<?, ?>) v).keySet()));
        assertEquals(true, ((Map<?, ?>) v).containsKey("nul"), "a JSON null keeps its key (Corrections item 4)");
    }

    @Test
    void eofMidValueIsAnIoException() {
        EOFException e = assertThrows(EOFException.class, () -> MsgpackValues.read(unpacker(hex("93 01 02")),
                DecodeLimits.DEFAULT));
        assertEquals("end of stream in the middle of a value", e.getMessage());
        assertThrows(EOFException.class, () -> MsgpackValues.read(unpacker(hex("a5 6162")), DecodeLimits.DEFAULT));
        assertThrows(EOFException.class, () -> MsgpackValues.read(unpacker(hex("cd 01")), DecodeLimits.DEFAULT));
    }

    @Test
    void badBytesAreAProtocolExceptionNotInSync() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MsgpackValues.read(unpacker(hex("92 01 c1")), DecodeLimits.DEFAULT));
        assertFalse(e.inSync());
    }

    // ---- writing ----

    @Test
    void writesScalarsInTheSmallestFormat() {
        assertEquals("c0", encode(null));
        assertEquals("c3", encode(true));
        assertEquals("c2", encode(false));
        assertEquals("a3616263", encode("abc"));
        assertEquals("00", encode(0));
        assertEquals("7f", encode(127L));
        assertEquals("cc80", encode((short) 128));
        assertEquals("cd0193", encode(403), "403 as uint16, as the JS server sends it");
        assertEquals("ce00010000", encode(65536));
        assertEquals("cf0000000100000000", encode(4294967296L));
        assertEquals("ff", encode((byte) -1));
        assertEquals("d0df", encode(-33));
        assertEquals("cb3ff8000000000000", encode(1.5));
        assertEquals("cb3ff8000000000000", encode(1.5f), "floats go as float64");
        assertEquals("cfffffffffffffffff", encode(new BigInteger("18446744073709551615")));
        assertEquals("c403010203", encode(hex("010203")));
        assertEquals("a6414343455353", encode(Mode.ACCESS));
        assertEquals("a178", encode('x'));
        assertEquals("cb3ff8000000000000", encode(new BigDecimal("1.5")), "other numbers as float64");
        assertEquals("cb4014000000000000", encode(new AtomicLong(5)));
    }

    enum Mode { ACCESS }

    @Test
    void writesStringsOfEveryLength() {
        assertEquals("d920" + ascii("y".repeat(32)), encode("y".repeat(32)));
        assertEquals("da0100" + ascii("z".repeat(256)), encode("z".repeat(256)));
        assertEquals("a2c3a9", encode("é"), "UTF-8");
    }

    @Test
    void writesContainers() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("x-why", "test");
        headers.put("x-multi", List.of("a", "b"));
        assertEquals("82" + fixstr("x-why") + fixstr("test") + fixstr("x-multi") + "92a161a162", encode(headers));
        assertEquals("93 01 a161 c0".replace(" ", ""), encode(Arrays.asList(1, "a", null)));
        assertEquals("92 01 02".replace(" ", ""), encode(new Object[] {1, 2}));
        assertEquals("92 a161 a162".replace(" ", ""), encode(new LinkedHashSet<>(List.of("a", "b"))));
        assertEquals("90", encode(List.of()));
        assertEquals("80", encode(Map.of()));
        assertEquals("9191 91 c0".replace(" ", ""), encode(List.of(List.of(Arrays.asList((Object) null)))));
    }

    @Test
    void refusesTypesKongCannotReceive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> packed(
                p -> MsgpackValues.write(p, new Object())));
        assertEquals("cannot send a java.lang.Object to Kong: use text, numbers, booleans, byte[], lists, maps or"
                + " null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> packed(
                p -> MsgpackValues.write(p, List.of(Optional.empty()))));
    }

    @Test
    void checkWritableAgreesWithWrite() {
        for (Object ok : new Object[] {null, "s", 1, 2L, 1.5, true, hex("00"), Mode.ACCESS, 'c', List.of(1),
                Map.of("k", List.of("v")), new Object[] {"a", Map.of()}, new BigInteger("1"), new AtomicLong(1)}) {
            assertDoesNotThrow(() -> MsgpackValues.checkWritable(ok));
            assertDoesNotThrow(() -> packed(p -> MsgpackValues.write(p, ok)));
        }
        for (Object bad : new Object[] {new Object(), List.of(new Object()), Map.of("k", new Object()),
                Map.of(new Object(), "v"), new Object[] {Optional.empty()}, new StringBuilder("x")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MsgpackValues.checkWritable(bad));
            assertThrows(IllegalArgumentException.class, () -> packed(p -> MsgpackValues.write(p, bad)));
            assertEquals(true, e.getMessage().startsWith("cannot send a "), e.getMessage());
        }
    }

    @Test
    void roundTrip() throws Exception {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put("s", "text é");
        value.put("i", -7L);
        value.put("u", new BigInteger("18446744073709551615"));
        value.put("d", 2.25);
        value.put("l", Arrays.asList(true, null, List.of()));
        value.put(1L, Map.of("nested", "map"));
        byte[] bytes = packed(p -> MsgpackValues.write(p, value));
        Object back = MsgpackValues.read(unpacker(bytes), DecodeLimits.DEFAULT);
        assertEquals(value, back);
    }
}
