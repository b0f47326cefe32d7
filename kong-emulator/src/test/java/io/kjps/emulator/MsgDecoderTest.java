package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.internal.JsonForm;
import io.kjps.emulator.internal.LuaValues;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgDecoderTest {

    private static Object dec(String hex) {
        return MsgDecoder.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void everyRecordedMessageFedByteByByteDecodesToItsRecordedForm() {
        int total = 0;
        for (Path f : Conversations.all()) {
            List<Map<?, ?>> msgs = new ArrayList<>(Conversations.messages(f, "kong->server"));
            msgs.addAll(Conversations.messages(f, "server->kong"));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            msgs.forEach(m -> all.writeBytes(Conversations.hex(m)));
            byte[] stream = all.toByteArray();
            MsgDecoder d = new MsgDecoder();
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < stream.length; i++) {
                values.addAll(d.feed(stream, i, 1));
            }
            assertEquals(0, d.pending(), f.toString());
            assertEquals(msgs.size(), values.size(), f.toString());
            for (int i = 0; i < msgs.size(); i++) {
                Object expected = JsonForm.toJava(msgs.get(i).get("msg"));
                assertTrue(LuaValues.semanticEquals(expected, values.get(i)),
                        f.getFileName() + " seq " + msgs.get(i).get("seq") + ": " + values.get(i));
                total++;
            }
        }
        assertTrue(total > 600, "messages decoded: " + total);
    }

    @Test
    void valuesSpanningFeedsInAnySplit() {
        byte[] a = KongPacker.pack(List.of(1, 2, "x".repeat(40), Map.of("k", List.of(1.5, true))));
        byte[] b = KongPacker.pack(List.of(2, "serverPid", 4242));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        for (int split = 0; split <= both.length; split++) {
            MsgDecoder d = new MsgDecoder();
            List<Object> vs = new ArrayList<>(d.feed(both, 0, split));
            vs.addAll(d.feed(both, split, both.length - split));
            assertEquals(2, vs.size(), "split " + split);
            assertEquals(List.of(2L, "serverPid", 4242L), vs.get(1));
        }
    }

    @Test
    void everyFormat() {
        assertNull(dec("c0"));
        assertEquals(true, dec("c3"));
        assertEquals(false, dec("c2"));
        assertEquals(5L, dec("05"));
        assertEquals(-1L, dec("ff"));
        assertEquals(200L, dec("ccc8"));
        assertEquals(403L, dec("cd0193"));
        assertEquals(65536L, dec("ce00010000"));
        assertEquals(4294967296L, dec("cf0000000100000000"));
        assertEquals(new BigInteger("18446744073709551615"), dec("cfffffffffffffffff"));
        assertEquals(-128L, dec("d080"));
        assertEquals(-129L, dec("d1ff7f"));
        assertEquals(-32769L, dec("d2ffff7fff"));
        assertEquals(Long.MIN_VALUE, dec("d38000000000000000"));
        assertEquals(1.5, dec("ca3fc00000"));
        assertEquals(1.5, dec("cb3ff8000000000000"));
        assertEquals("abc", dec("d903616263")); // str8: the JS server uses it
        assertEquals("abc", dec("da0003616263"));
        assertEquals("abc", dec("db00000003616263"));
        Object raw = dec("a4636166e9");
        assertInstanceOf(RawString.class, raw);
        assertEquals("636166e9", ((RawString) raw).hex());
        assertArrayEquals(new byte[] {1, 2}, (byte[]) dec("c4020102"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) dec("c500020102"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) dec("c6000000020102"));
        assertEquals(new ExtValue(1, new byte[] {9}), dec("d40109"));
        assertEquals(new ExtValue(-1, new byte[] {1, 2, 3}), dec("c703ff010203"));
        assertEquals(List.of(1L, 2L), dec("dc00020102"));
        Object m = dec("83a162" + "01" + "a161" + "02" + "00" + "a17a");
        assertEquals(List.of("b", "a", 0L), new ArrayList<>(((Map<?, ?>) m).keySet())); // wire order
        assertEquals(Map.of(), dec("80"));
        assertEquals(List.of(), dec("90"));
    }

    @Test
    void invalidAndIncompleteInput() {
        assertThrows(KongProtocolException.class, () -> dec("c1"));
        assertThrows(KongProtocolException.class, () -> dec("9301")); // incomplete
        assertThrows(KongProtocolException.class, () -> dec("0102")); // two values
        MsgDecoder d = new MsgDecoder();
        byte[] huge = HexFormat.of().parseHex("db7fffffff6161"); // claims 2 GB: must wait, not allocate
        assertTrue(d.feed(huge, 0, huge.length).isEmpty());
        assertEquals(7, d.pending());
    }
}
