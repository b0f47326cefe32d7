package io.kjps.rpc.codec;

import static io.kjps.rpc.testutil.Bytes.ascii;
import static io.kjps.rpc.testutil.Bytes.concat;
import static io.kjps.rpc.testutil.Bytes.fixstr;
import static io.kjps.rpc.testutil.Bytes.hex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.rpc.testutil.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** Reading Kong's requests: recorded bytes, hand-built bytes, split input, broken input. */
class RpcCodecReadTest {

    /** hello-alice.jsonl seq 3: StartInstance whose Config is a str16 ({@code da 00 c6}). */
    static final String ALICE_START = "940001b4706c7567696e2e5374617274496e7374616e63659182a44e616d65a568656c6c6fa6436f"
            + "6e666967da00c67b225f5f6b65795f5f223a22706c7567696e733a68656c6c6f3a3a3a3a3a61346230633863312d366135652d3464"
            + "33662d396133352d303030303030303030303031222c225f5f7365715f5f223a312c226772656574696e67223a226869222c225f"
            + "5f706c7567696e5f6964223a2230303030303030302d303030302d343030302d383030302d303030303030303030303031222c22"
            + "5f5f77735f6964223a2261346230633863312d366135652d346433662d396133352d303030303030303030303031227d";
    static final String ALICE_CONFIG = "{\"__key__\":\"plugins:hello:::::a4b0c8c1-6a5e-4d3f-9a35-000000000001\","
            + "\"__seq__\":1,\"greeting\":\"hi\",\"__plugin_id\":\"00000000-0000-4000-8000-000000000001\","
            + "\"__ws_id\":\"a4b0c8c1-6a5e-4d3f-9a35-000000000001\"}";
    /** hello-alice.jsonl seq 5. */
    static final String ALICE_HANDLE = "940002b2706c7567696e2e48616e646c654576656e749182aa496e7374616e6365496400a94576"
            + "656e744e616d65a6616363657373";
    /** hello-alice.jsonl seq 7: Step with Data "Alice". */
    static final String ALICE_STEP = "940003ab706c7567696e2e537465709182a444617461a5416c696365a74576656e74496400";
    /** hello-alice.jsonl seq 9: Step without Data ({@code 81 a7 "EventId" 00}). */
    static final String ALICE_STEP_NO_DATA = "940004ab706c7567696e2e537465709181a74576656e74496400";
    /** config-change-close.jsonl seq 15: CloseInstance with a bare integer. */
    static final String CLOSE_0 = "940007b4706c7567696e2e436c6f7365496e7374616e63659100";

    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);

    private RpcRequest read(byte[] bytes) throws Exception {
        return codec.readRequest(unpacker(bytes));
    }

    private ProtocolException failure(byte[] bytes) {
        return assertThrows(ProtocolException.class, () -> read(bytes));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void recordedStartInstanceWithStr16Config() throws Exception {
        byte[] bytes = hex(ALICE_START);
        assertEquals((byte) 0xda, bytes[44], "the recorded Config is a str16");
        RpcRequest r = read(bytes);
        assertEquals(1, r.msgid());
        assertEquals("plugin.StartInstance", r.method());
        assertEquals(map("Name", "hello", "Config", ALICE_CONFIG), r.param());
        assertEquals(List.of("Name", "Config"), List.copyOf(((Map<?, ?>) r.param()).keySet()), "wire order");
    }

    @Test
    void recordedHandleEvent() throws Exception {
        RpcRequest r = read(hex(ALICE_HANDLE));
        assertEquals(new RpcRequest(2, "plugin.HandleEvent", map("InstanceId", 0L, "EventName", "access")), r);
    }

    @Test
    void recordedStepWithAndWithoutData() throws Exception {
        assertEquals(new RpcRequest(3, "plugin.Step", map("Data", "Alice", "EventId", 0L)), read(hex(ALICE_STEP)));
        RpcRequest noData = read(hex(ALICE_STEP_NO_DATA));
        assertEquals(new RpcRequest(4, "plugin.Step", map("EventId", 0L)), noData);
        assertFalse(((Map<?, ?>) noData.param()).containsKey("Data"), "Kong leaves Data out for nil");
    }

    @Test
    void recordedCloseInstanceWithABareInteger() throws Exception {
        assertEquals(new RpcRequest(7, "plugin.CloseInstance", 0L), read(hex(CLOSE_0)));
    }

    @Test
    void handBuiltRequestFromSpecExample() throws Exception {
        // protocol.md §4.4: 94 00 07 B2 "plugin.HandleEvent" 91 82 AA "InstanceId" 03 A9 "EventName" A6 "access"
        byte[] b = hex("94 00 07 b2", ascii("plugin.HandleEvent"), "91 82", fixstr("InstanceId"), "03",
                fixstr("EventName"), fixstr("access"));
        assertEquals(new RpcRequest(7, "plugin.HandleEvent", map("InstanceId", 3L, "EventName", "access")), read(b));
    }

    @Test
    void emptyParamsGiveANullParam() throws Exception {
        assertEquals(new RpcRequest(9, "plugin.GetStatus", null), read(hex("94 00 09", fixstr("plugin.GetStatus"),
                "90")));
    }

    @Test
    void msgidsUpToUint32AreAccepted() throws Exception {
        assertEquals(0xffffffffL, read(hex("94 00 ce ffffffff", fixstr("m"), "90")).msgid());
        assertEquals(0x10000L, read(hex("94 00 ce 00010000", fixstr("m"), "90")).msgid());
        assertEquals(300L, read(hex("94 00 cd 012c", fixstr("m"), "90")).msgid());
    }

    @Test
    void everyStringFormatNamesAMethod() throws Exception {
        String m = ascii("plugin.Step");
        assertEquals("plugin.Step", read(hex("94 00 01 d9 0b", m, "90")).method(), "str8");
        assertEquals("plugin.Step", read(hex("94 00 01 da 000b", m, "90")).method(), "str16");
        assertEquals("plugin.Step", read(hex("94 00 01 db 0000000b", m, "90")).method(), "str32");
    }

    @Test
    void requestSplitIntoOneBytePerRead() throws Exception {
        byte[] all = concat(hex(ALICE_START), hex(ALICE_HANDLE), hex(ALICE_STEP), hex(ALICE_STEP_NO_DATA));
        Bytes.OneByteAtATime in = new Bytes.OneByteAtATime(all);
        MessageUnpacker u = MessagePack.newDefaultUnpacker(in);
        assertEquals(read(hex(ALICE_START)), codec.readRequest(u));
        assertEquals(read(hex(ALICE_HANDLE)), codec.readRequest(u));
        assertEquals(read(hex(ALICE_STEP)), codec.readRequest(u));
        assertEquals(read(hex(ALICE_STEP_NO_DATA)), codec.readRequest(u));
        assertNull(codec.readRequest(u));
        assertTrue(in.reads() >= all.length, "the stream really delivered one byte per read: " + in.reads());
    }

    @Test
    void twoRequestsBackToBackInOneBuffer() throws Exception {
        MessageUnpacker u = unpacker(concat(hex(ALICE_HANDLE), hex(ALICE_STEP)));
        assertEquals(2, codec.readRequest(u).msgid());
        assertEquals(3, codec.readRequest(u).msgid());
        assertNull(codec.readRequest(u), "clean EOF after the second request");
    }

    @Test
    void cleanEofGivesNull() throws Exception {
        assertNull(read(new byte[0]));
    }

    @Test
    void eofInTheMiddleOfEveryPrefixIsAProtocolErrorOutOfSync() {
        byte[] full = hex(ALICE_START);
        for (int n = 1; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            ProtocolException e = failure(prefix);
            assertFalse(e.inSync(), "prefix of " + n);
            assertEquals(-1, e.msgid());
            assertEquals("end of stream in the middle of a message", e.getMessage(), "prefix of " + n);
        }
    }

    @Test
    void eofAfterACompleteRequestThenMidMessage() throws Exception {
        byte[] handle = hex(ALICE_HANDLE);
        MessageUnpacker u = unpacker(concat(handle, Arrays.copyOf(handle, 10)));
        assertEquals(2, codec.readRequest(u).msgid());
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.readRequest(u));
        assertFalse(e.inSync());
    }

    @Test
    void eofFromAStreamThatDeliversOneByteAtATime() {
        byte[] prefix = Arrays.copyOf(hex(ALICE_STEP), 20);
        MessageUnpacker u = MessagePack.newDefaultUnpacker(new Bytes.OneByteAtATime(prefix));
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.readRequest(u));
        assertFalse(e.inSync());
    }

    @Test
    void readErrorsOfTheStreamAreIoExceptions() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };
        IOException e = assertThrows(IOException.class, () -> codec.readRequest(MessagePack.newDefaultUnpacker(broken)));
        assertEquals("connection reset", e.getMessage());
    }

    // ---- wrong shapes: whole msgpack values, so the stream stays in sync ----

    @Test
    void wrongArraySizeKeepsTheMsgid() {
        ProtocolException e = failure(hex("93 00 05", fixstr("m")));
        assertTrue(e.inSync());
        assertEquals(5, e.msgid());
        assertEquals("expected a request of 4 elements [0, msgid, method, params], got 3", e.getMessage());

        ProtocolException five = failure(hex("95 00 06", fixstr("m"), "90 c0"));
        assertEquals(6, five.msgid());
        assertEquals("expected a request of 4 elements [0, msgid, method, params], got 5", five.getMessage());
    }

    @Test
    void emptyArrayHasNoMsgid() {
        ProtocolException e = failure(hex("90"));
        assertTrue(e.inSync());
        assertEquals(-1, e.msgid());
        assertEquals("expected a request of 4 elements [0, msgid, method, params], got 0", e.getMessage());
    }

    @Test
    void notAnArray() {
        ProtocolException map = failure(hex("81", fixstr("a"), "01"));
        assertTrue(map.inSync());
        assertEquals(-1, map.msgid());
        assertEquals("expected a msgpack-rpc request array, got map of 1", map.getMessage());

        ProtocolException integer = failure(hex("2a"));
        assertTrue(integer.inSync());
        assertEquals("expected a msgpack-rpc request array, got integer 42", integer.getMessage());

        ProtocolException nil = failure(hex("c0"));
        assertTrue(nil.inSync());
        assertEquals("expected a msgpack-rpc request array, got nil", nil.getMessage());
    }

    @Test
    void responseOrNotificationTypeIsRefused() {
        ProtocolException e = failure(hex("94 01 08 c0 c0"));
        assertTrue(e.inSync());
        assertEquals(8, e.msgid());
        assertEquals("expected message type 0 (request), got integer 1", e.getMessage());

        ProtocolException s = failure(hex("94", fixstr("x"), "09", fixstr("m"), "90"));
        assertEquals(9, s.msgid());
        assertEquals("expected message type 0 (request), got string \"x\"", s.getMessage());
    }

    @Test
    void nonStringMethod() {
        ProtocolException e = failure(hex("94 00 05 2a 90"));
        assertTrue(e.inSync());
        assertEquals(5, e.msgid());
        assertEquals("expected the method name as a string, got integer 42", e.getMessage());

        ProtocolException bin = failure(hex("94 00 05 c4 02 6d 6d 90"));
        assertEquals("expected the method name as a string, got binary of 2 bytes", bin.getMessage());
    }

    @Test
    void paramsNotAnArray() {
        ProtocolException e = failure(hex("94 00 0b", fixstr("plugin.Step"), "81", fixstr("EventId"), "00"));
        assertTrue(e.inSync());
        assertEquals(11, e.msgid());
        assertEquals("expected the params of plugin.Step as an array, got map of 1", e.getMessage());

        ProtocolException nil = failure(hex("94 00 0c", fixstr("m"), "c0"));
        assertEquals(12, nil.msgid());
        assertEquals("expected the params of m as an array, got nil", nil.getMessage());
    }

    @Test
    void msgidThatIsNotAnUnsigned32BitInteger() {
        ProtocolException str = failure(hex("94 00", fixstr("x"), fixstr("m"), "90"));
        assertTrue(str.inSync());
        assertEquals(-1, str.msgid());
        assertEquals("expected an unsigned 32-bit msgid, got string \"x\"", str.getMessage());

        ProtocolException negative = failure(hex("94 00 ff", fixstr("m"), "90"));
        assertEquals(-1, negative.msgid());
        assertEquals("expected an unsigned 32-bit msgid, got integer -1", negative.getMessage());

        ProtocolException tooBig = failure(hex("94 00 cf 0000000100000000", fixstr("m"), "90"));
        assertEquals(-1, tooBig.msgid());
        assertEquals("expected an unsigned 32-bit msgid, got integer 4294967296", tooBig.getMessage());

        ProtocolException huge = failure(hex("94 00 cf ffffffffffffffff", fixstr("m"), "90"));
        assertEquals(-1, huge.msgid());
        assertEquals("expected an unsigned 32-bit msgid, got integer 18446744073709551615", huge.getMessage());

        ProtocolException fl = failure(hex("94 00 cb 3ff8000000000000", fixstr("m"), "90"));
        assertEquals("expected an unsigned 32-bit msgid, got float 1.5", fl.getMessage());
    }

    @Test
    void theStreamStaysInSyncAfterAWrongShape() throws Exception {
        MessageUnpacker u = unpacker(concat(hex("94 00 05 2a 90"), hex(ALICE_HANDLE), hex("c0"), hex(ALICE_STEP)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.readRequest(u));
        assertTrue(e.inSync());
        assertEquals(2, codec.readRequest(u).msgid());
        assertThrows(ProtocolException.class, () -> codec.readRequest(u));
        assertEquals(3, codec.readRequest(u).msgid());
        assertNull(codec.readRequest(u));
    }

    // ---- bad bytes and oversized declarations: the stream is lost ----

    @Test
    void neverUsedByteIsNotMsgpack() {
        ProtocolException e = failure(hex("c1"));
        assertFalse(e.inSync());
        assertEquals(-1, e.msgid());
        assertTrue(e.getMessage().startsWith("not msgpack"), e.getMessage());

        ProtocolException inside = failure(hex("94 00 01", fixstr("m"), "91 c1"));
        assertFalse(inside.inSync());
    }

    @Test
    void garbageThatLooksLikeText() {
        // "GET / HTTP/1.1": 0x47 is a positive fixint, so the request shape is wrong but the value is whole
        ProtocolException e = failure("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(e.inSync());
        assertEquals("expected a msgpack-rpc request array, got integer 71", e.getMessage());
    }

    @Test
    void declaredStrOfTwoGigabytesFailsAtOnce() {
        // a request whose method is a str32 declaring 2^31 bytes, and nothing after
        assertOversized(hex("94 00 01 db 80000000"), "str of 2147483648 bytes exceeds the limit of 33554432");
        assertOversized(hex("94 00 01 db 7fffffff 41"), "str of 2147483647 bytes exceeds the limit of 33554432");
        assertOversized(hex("94 00 01 db ffffffff"), "str of 4294967295 bytes exceeds the limit of 33554432");
    }

    @Test
    void declaredHugeContainersFailAtOnce() {
        assertOversized(hex("dd ffffffff"), "array of 4294967295 entries exceeds the limit of 1048576");
        assertOversized(hex("dd 7fffffff 00"), "array of 2147483647 entries exceeds the limit of 1048576");
        assertOversized(hex("94 00 01", fixstr("m"), "dd 80000000"),
                "array of 2147483648 entries exceeds the limit of 1048576");
        assertOversized(hex("94 00 01", fixstr("m"), "91 df ffffffff"),
                "map of 4294967295 entries exceeds the limit of 1048576");
        assertOversized(hex("94 00 01", fixstr("m"), "91 df 00100001"),
                "map of 1048577 entries exceeds the limit of 1048576");
        assertOversized(hex("94 00 01", fixstr("m"), "91 c6 80000000"),
                "bin of 2147483648 bytes exceeds the limit of 33554432");
        assertOversized(hex("94 00 01", fixstr("m"), "91 c9 ffffffff 01"),
                "ext of 4294967295 bytes exceeds the limit of 33554432");
    }

    private void assertOversized(byte[] tiny, String message) {
        long before = allocatedBytes();
        long start = System.nanoTime();
        ProtocolException e = failure(tiny);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        long allocated = allocatedBytes() - before;
        assertFalse(e.inSync(), message);
        assertEquals(-1, e.msgid());
        assertEquals(message, e.getMessage());
        assertTrue(tookMillis < 1000, "took " + tookMillis + " ms");
        if (before >= 0) {
            assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes for a " + tiny.length + "-byte input");
        }
    }

    @SuppressWarnings("restriction")
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    @Test
    void smallLimitsAreEnforcedExactly() throws Exception {
        RpcCodec small = new RpcCodec(new DecodeLimits(4, 2, 4, 8));
        assertEquals("abcd", small.readRequest(unpacker(hex("94 00 01 a4", ascii("abcd"), "90"))).method());
        ProtocolException str = assertThrows(ProtocolException.class,
                () -> small.readRequest(unpacker(hex("94 00 01 a5", ascii("abcde"), "90"))));
        assertEquals("str of 5 bytes exceeds the limit of 4", str.getMessage());
        assertFalse(str.inSync());
        ProtocolException bin = assertThrows(ProtocolException.class,
                () -> small.readRequest(unpacker(hex("94 00 01 a1 6d 91 c4 03 010203"))));
        assertEquals("bin of 3 bytes exceeds the limit of 2", bin.getMessage());
        ProtocolException array = assertThrows(ProtocolException.class,
                () -> small.readRequest(unpacker(hex("94 00 01 a1 6d 91 95 01 02 03 04 05"))));
        assertEquals("array of 5 entries exceeds the limit of 4", array.getMessage());
        assertEquals(List.of(1L, 2L, 3L, 4L),
                small.readRequest(unpacker(hex("94 00 01 a1 6d 91 94 01 02 03 04"))).param());
    }

    @Test
    void oneMessageHasABudgetOfValuesAndPayloadBytesThatTheNextMessageGetsAfresh() throws Exception {
        // generous per value; per message at most 12 values and 10 payload bytes
        RpcCodec budget = new RpcCodec(new DecodeLimits(1 << 10, 1 << 10, 1 << 10, 8, 10, 12));
        // [0, 1, "m", [[1, 2, 3, 4, 5, 6]]]: 6 values around the 6 numbers
        String six = "94 00 01 a1 6d 91 96 01 02 03 04 05 06";
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), budget.readRequest(unpacker(hex(six))).param());
        ProtocolException values = assertThrows(ProtocolException.class,
                () -> budget.readRequest(unpacker(hex("94 00 01 a1 6d 91 97 01 02 03 04 05 06 07"))));
        assertEquals("message of more than 12 values exceeds the limit", values.getMessage());
        assertFalse(values.inSync(), "the rest of the message is not read: the connection closes");
        // "m" and three 3-byte strings: 10 payload bytes; a fourth string makes 13
        String three = "94 00 01 a1 6d 91 93 a3 616161 a3 626262 a3 636363";
        assertEquals(List.of("aaa", "bbb", "ccc"), budget.readRequest(unpacker(hex(three))).param());
        ProtocolException bytes = assertThrows(ProtocolException.class, () -> budget.readRequest(
                unpacker(hex("94 00 01 a1 6d 91 94 a3 616161 a3 626262 a3 636363 a3 646464"))));
        assertEquals("message of more than 10 payload bytes exceeds the limit", bytes.getMessage());
        // each message of a stream gets the whole budget
        MessageUnpacker stream = unpacker(hex(six + " " + three + " " + six));
        for (int i = 0; i < 3; i++) {
            assertEquals(1L, budget.readRequest(stream).msgid());
        }
        assertEquals(new DecodeLimits(1, 2, 3, 4, 64L << 20, 1 << 20), new DecodeLimits(1, 2, 3, 4),
                "the per-value constructor keeps the default per-message limits");
    }

    @Test
    void nestingDeeperThanTheLimit() throws Exception {
        RpcCodec shallow = new RpcCodec(new DecodeLimits(1 << 10, 1 << 10, 1 << 10, 4));
        // request array (depth 0) > params (1) > param (2) > inner (3): four levels, allowed
        RpcRequest ok = shallow.readRequest(unpacker(hex("94 00 01 a1 6d 91 91 91 c0")));
        assertEquals(List.of(java.util.Collections.singletonList(null)), ok.param());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> shallow.readRequest(unpacker(hex("94 00 01 a1 6d 91 91 91 91 c0"))));
        assertFalse(e.inSync());
        assertEquals("nesting deeper than 4 levels", e.getMessage());
        ProtocolException maps = assertThrows(ProtocolException.class,
                () -> shallow.readRequest(unpacker(hex("94 00 01 a1 6d 91 81 a1 61 81 a1 62 81 a1 63 c0"))));
        assertEquals("nesting deeper than 4 levels", maps.getMessage());
    }

    @Test
    void deepNestingWithDefaultLimitsFailsWithoutStackOverflow() {
        byte[] deep = new byte[100_000];
        Arrays.fill(deep, (byte) 0x91);
        ProtocolException e = failure(deep);
        assertFalse(e.inSync());
        assertEquals("nesting deeper than 64 levels", e.getMessage());
    }
}
