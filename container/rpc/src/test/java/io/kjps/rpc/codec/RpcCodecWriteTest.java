package io.kjps.rpc.codec;

import static io.kjps.rpc.testutil.Bytes.ascii;
import static io.kjps.rpc.testutil.Bytes.fixstr;
import static io.kjps.rpc.testutil.Bytes.hex;
import static io.kjps.rpc.testutil.Bytes.packed;
import static io.kjps.rpc.testutil.Bytes.toHex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Responses and notifications, byte for byte. */
class RpcCodecWriteTest {
    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);

    private String response(long msgid, String error, Object result) {
        return toHex(packed(p -> codec.writeResponse(p, msgid, error, result)));
    }

    @Test
    void stepResultWithAPdkCallIsTheSpecExampleByteForByte() {
        // protocol.md §4.4: 94 01 07 C0 82 A7 "EventId" 0C A4 "Data" 82 A6 "Method" B7 "kong.request.get_header" A4 "Args"
        //            91 A4 "host"
        String want = "940107c082" + fixstr("EventId") + "0c" + fixstr("Data") + "82" + fixstr("Method") + "b7"
                + ascii("kong.request.get_header") + fixstr("Args") + "91" + fixstr("host");
        assertEquals(want, response(7, null,
                new StepResult(12, new PdkCall("kong.request.get_header", new Object[] {"host"}, false))));
    }

    @Test
    void stepResultRet() {
        // protocol.md §4.4: 94 01 08 C0 82 A7 "EventId" 0C A4 "Data" A3 "ret"
        assertEquals("940108c082" + fixstr("EventId") + "0c" + fixstr("Data") + fixstr("ret"),
                response(8, null, new StepResult(12, StepResult.RET)));
    }

    @Test
    void terminalExitCallIsEncodedLikeAnyCall() {
        // block.jsonl seq 8 Data: {"Method": "kong.response.exit", "Args": [403, "denied", {"x-why": "test"}]}
        String want = "940103c082" + fixstr("EventId") + "00" + fixstr("Data") + "82" + fixstr("Method") + "b2"
                + ascii("kong.response.exit") + fixstr("Args") + "93 cd0193".replace(" ", "") + fixstr("denied")
                + "81" + fixstr("x-why") + fixstr("test");
        assertEquals(want, response(3, null, new StepResult(0,
                new PdkCall("kong.response.exit", new Object[] {403, "denied", Map.of("x-why", "test")}, true))));
    }

    @Test
    void callWithoutArgumentsSendsAnEmptyArgsArray() {
        assertEquals("940109c082" + fixstr("EventId") + "00" + fixstr("Data") + "82" + fixstr("Method")
                        + fixstr("kong.client.get_ip") + fixstr("Args") + "90",
                response(9, null, new StepResult(0, new PdkCall("kong.client.get_ip", new Object[0], false))));
    }

    @Test
    void argsOfEveryKind() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("a", List.of("1", "2"));
        String hexArgs = toHex(packed(p -> {
            p.packArrayHeader(6);
            p.packLong(-1);
            p.packDouble(2.5);
            p.packBoolean(true);
            p.packBinaryHeader(2);
            p.writePayload(hex("0001"));
            p.packNil();
            p.packMapHeader(1);
            p.packString("a");
            p.packArrayHeader(2);
            p.packString("1");
            p.packString("2");
        }));
        assertEquals("940101c082" + fixstr("EventId") + "cd0100" + fixstr("Data") + "82" + fixstr("Method")
                        + fixstr("kong.x") + fixstr("Args") + hexArgs,
                response(1, null, new StepResult(256, new PdkCall("kong.x",
                        new Object[] {-1, 2.5, true, hex("0001"), null, headers}, false))));
    }

    @Test
    void errorResponseCarriesTheStringAndNilResult() {
        assertEquals("940105" + "b4" + ascii("No plugin instance 3") + "c0",
                response(5, "No plugin instance 3", null));
    }

    @Test
    void errorResponseIgnoresNothingItIsGiven() {
        // the result is still written when an error is set (Kong ignores it)
        assertEquals("940105a178" + "a179", response(5, "x", "y"));
    }

    @Test
    void mapResultKeepsInsertionOrder() {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("Name", "hello");
        start.put("Id", 0L);
        start.put("Config", "{}");
        start.put("StartTime", 1.5);
        assertEquals("940101c084" + fixstr("Name") + fixstr("hello") + fixstr("Id") + "00" + fixstr("Config")
                + fixstr("{}") + fixstr("StartTime") + "cb3ff8000000000000", response(1, null, start));
    }

    @Test
    void largeMsgidsAreEchoedExactly() {
        assertEquals("9401ceffffffffc0c0", response(0xffffffffL, null, null));
        assertEquals("9401cd0100c0c0", response(256, null, null));
    }

    @Test
    void serverPidNotification() {
        assertEquals("9302" + "a9" + ascii("serverPid") + "cd04d2",
                toHex(packed(p -> codec.writeNotification(p, "serverPid", 1234L))));
        assertEquals("9302" + "a9" + ascii("serverPid") + "ce00012345",
                toHex(packed(p -> codec.writeNotification(p, "serverPid", 0x12345))));
    }

    @Test
    void responsesDecodeBackToTheSameValues() throws Exception {
        byte[] bytes = packed(p -> codec.writeResponse(p, 42, null, new StepResult(3,
                new PdkCall("kong.response.set_header", new Object[] {"x-hello", "hello Alice"}, false))));
        Object v = MsgpackValues.read(unpacker(bytes), DecodeLimits.DEFAULT);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Method", "kong.response.set_header");
        data.put("Args", List.of("x-hello", "hello Alice"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("EventId", 3L);
        result.put("Data", data);
        assertEquals(Arrays.asList(1L, 42L, null, result), v);
    }

    @Test
    void unencodableArgumentIsAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> packed(p -> codec.writeResponse(p, 1, null,
                new StepResult(0, new PdkCall("kong.x", new Object[] {new Object()}, false)))));
    }

    @Test
    void describeNamesEveryType() {
        assertEquals("nil", RpcCodec.describe(null));
        assertEquals("string \"abc\"", RpcCodec.describe("abc"));
        assertEquals("string \"" + "a".repeat(40) + "...\"", RpcCodec.describe("a".repeat(41)));
        assertEquals("integer 5", RpcCodec.describe(5L));
        assertEquals("integer 18446744073709551615", RpcCodec.describe(new BigInteger("18446744073709551615")));
        assertEquals("float 1.5", RpcCodec.describe(1.5));
        assertEquals("boolean true", RpcCodec.describe(true));
        assertEquals("binary of 2 bytes", RpcCodec.describe(new byte[2]));
        assertEquals("array of 2", RpcCodec.describe(List.of(1, 2)));
        assertEquals("map of 1", RpcCodec.describe(Map.of("a", 1)));
    }
}
