package io.kjps.rpc.pdk;

import static io.kjps.rpc.testutil.Bytes.hex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.PdkException;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Turning what Kong sends into the typed PDK's results, on the shapes recorded from Kong 3.9.3. */
class PdkResultsTest {
    private static final String M = "kong.request.get_query";

    /** The Data of a recorded Step request. */
    private static Object recordedData(String hex) throws Exception {
        RpcRequest r = new RpcCodec(DecodeLimits.DEFAULT).readRequest(unpacker(hex(hex)));
        return ((Map<?, ?>) r.param()).get("Data");
    }

    private static Map<String, List<String>> ordered(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> v = (List<String>) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }

    @Test
    void recordedQueryWithFlagAndRepeatedArgument() throws Exception {
        // pdkcheck.jsonl seq 15: ?a=1&b=2&b=3&flag → {"flag": [], "a": ["1"], "b": ["2", "3"]}
        Object data = recordedData("940007b3706c7567696e2e537465704d756c74694d61709182a74576656e74496400a444617461"
                + "83a4666c616790a16191a131a16292a132a133");
        Map<String, List<String>> q = PdkResults.multimap(M, data);
        assertEquals(ordered("flag", List.of(), "a", List.of("1"), "b", List.of("2", "3")), q);
        assertEquals(List.of("flag", "a", "b"), List.copyOf(q.keySet()), "Kong's order is kept");
    }

    @Test
    void recordedQueryWithMixedListsAndRepeatedFlags() throws Exception {
        // pdkcheck-post.jsonl seq 15: ?rf&rf&a=1&a&e= → {"e": [""], "rf": [true, true], "a": ["1", true]}
        Object data = recordedData("940007b3706c7567696e2e537465704d756c74694d61709182a44461746183a16591a0a2726692"
                + "c3c3a16192a131c3a74576656e74496400");
        assertEquals(ordered("e", List.of(""), "rf", List.of("true", "true"), "a", List.of("1", "true")),
                PdkResults.multimap(M, data));
    }

    @Test
    void recordedHeadersWithALatin1Value() throws Exception {
        // pdkcheck-post.jsonl seq 19: x-latin1 is a4 63 61 66 e9, not UTF-8
        Object data = recordedData("940009b3706c7567696e2e537465704d756c74694d61709182a44461746188a66163636570749"
                + "1a32a2f2aae636f6e74656e742d6c656e67746891a3313231a4686f737491ae3132372e302e302e313a39303030a7782d6d"
                + "756c746993a161a162a163ac636f6e74656e742d7479706591b06170706c69636174696f6e2f6a736f6ea7782d656d707479"
                + "91a0a8782d6c6174696e3191a4636166e9aa757365722d6167656e7491ae6b636f6e762d7265636f72646572a74576656e74"
                + "496400");
        Map<String, List<String>> h = PdkResults.multimap("kong.request.get_headers", data);
        assertEquals(List.of("accept", "content-length", "host", "x-multi", "content-type", "x-empty", "x-latin1",
                "user-agent"), List.copyOf(h.keySet()));
        assertEquals(List.of("a", "b", "c"), h.get("x-multi"));
        assertEquals(List.of(""), h.get("x-empty"));
        String latin1 = h.get("x-latin1").get(0);
        assertEquals("caf\u00e9", latin1);
        assertArrayEquals(hex("636166e9"), latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void recordedEmptyQueryIsAnEmptyMap() throws Exception {
        // pdkcheck-error.jsonl seq 129: Data 80
        Object data = recordedData("94003eb3706c7567696e2e537465704d756c74694d61709182a44461746180a74576656e7449"
                + "6405");
        assertEquals(Map.of(), data);
        assertEquals(Map.of(), PdkResults.multimap(M, data));
    }

    @Test
    void multimapEdgeShapes() {
        assertEquals(Map.of(), PdkResults.multimap(M, List.of()), "an empty Lua table packed as an empty array");
        assertEquals(Map.of(), PdkResults.multimap(M, null), "no Data");
        Map<Object, Object> raw = new LinkedHashMap<>();
        raw.put("s", "v");
        raw.put("t", true);
        raw.put("n", 5L);
        raw.put("f", false);
        raw.put(1L, "one");
        assertEquals(ordered("s", List.of("v"), "t", List.of(), "n", List.of("5"), "f", List.of("false"),
                "1", List.of("one")), PdkResults.multimap(M, raw));
        PdkException e = assertThrows(PdkException.class, () -> PdkResults.multimap(M, "text"));
        assertEquals("kong.request.get_query: expected a map of lists from Kong, got string \"text\"",
                e.getMessage());
        PdkException nested = assertThrows(PdkException.class,
                () -> PdkResults.multimap(M, Map.of("a", List.of(Map.of()))));
        assertEquals("kong.request.get_query: expected a string from Kong, got map of 0", nested.getMessage());
    }

    @Test
    void multimapsAreUnmodifiable() {
        Map<String, List<String>> m = PdkResults.multimap(M, Map.of("a", List.of("1")));
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> m.get("a").add("2"));
    }

    @Test
    void stringsFromEveryScalar() {
        String m = "kong.x";
        assertNull(PdkResults.string(m, null));
        assertEquals("s", PdkResults.string(m, "s"));
        assertEquals("5", PdkResults.string(m, 5L));
        assertEquals("-5", PdkResults.string(m, -5L));
        assertEquals("18446744073709551615", PdkResults.string(m, new BigInteger("18446744073709551615")));
        assertEquals("2", PdkResults.string(m, 2.0), "an integral float prints like Lua's tostring");
        assertEquals("-3", PdkResults.string(m, -3.0));
        assertEquals("1.5", PdkResults.string(m, 1.5));
        assertEquals("true", PdkResults.string(m, true));
        assertEquals("é", PdkResults.string(m, "é".getBytes(StandardCharsets.UTF_8)), "bin as UTF-8");
        assertNull(PdkResults.string(m, List.of()), "an empty Lua table");
        PdkException e = assertThrows(PdkException.class, () -> PdkResults.string(m, List.of("a")));
        assertEquals("kong.x: expected a string from Kong, got array of 1", e.getMessage());
        assertThrows(PdkException.class, () -> PdkResults.string(m, Map.of()));
    }

    @Test
    void largeIntegralDoublesAreNotClampedToLongRange() {
        assertEquals("1.0E20", PdkResults.string("kong.x", 1e20));
        assertEquals("-1.0E30", PdkResults.string("kong.x", -1e30));
        assertEquals("9007199254740992", PdkResults.string("kong.x", 9007199254740992.0));
        assertEquals("Infinity", PdkResults.string("kong.x", Double.POSITIVE_INFINITY));
        assertEquals("NaN", PdkResults.string("kong.x", Double.NaN));
    }

    @Test
    void numbers() {
        String m = "kong.response.get_status";
        assertEquals(200L, PdkResults.longValue(m, 200L));
        assertEquals(200L, PdkResults.longValue(m, 200.0), "a float where an int is meant");
        assertEquals(2.0, PdkResults.doubleValue(m, 2L), "an int where a float is meant (get_http_version)");
        assertEquals(1.1, PdkResults.doubleValue(m, 1.1));
        PdkException e = assertThrows(PdkException.class, () -> PdkResults.longValue(m, null));
        assertEquals("kong.response.get_status: expected a number from Kong, got nil", e.getMessage());
        assertThrows(PdkException.class, () -> PdkResults.doubleValue(m, "1"));
    }

    @Test
    void aNilFromAFunctionOlderKongLinesLackSaysSo() {
        PdkException e = assertThrows(PdkException.class,
                () -> PdkResults.doubleValue("kong.request.get_start_time", null));
        assertEquals("kong.request.get_start_time: expected a number from Kong, got nil (Kong has"
                + " kong.request.get_start_time from 3.0 on; an older Kong answers nothing)", e.getMessage());
        assertEquals("kong.request.get_start_time: expected a number from Kong, got string \"x\"", assertThrows(
                PdkException.class, () -> PdkResults.doubleValue("kong.request.get_start_time", "x")).getMessage(),
                "only a nil can mean a missing function");
    }

    @Test
    void booleans() {
        assertEquals(true, PdkResults.bool("kong.ip.is_trusted", true));
        assertEquals(false, PdkResults.bool("kong.ip.is_trusted", false));
        PdkException e = assertThrows(PdkException.class, () -> PdkResults.bool("kong.ip.is_trusted", null));
        assertEquals("kong.ip.is_trusted: expected a boolean from Kong, got nil", e.getMessage());
    }

    @Test
    void bytesFromBinAndFromStr() {
        String m = "kong.request.get_raw_body";
        byte[] bin = hex("00ff10e9");
        assertArrayEquals(bin, PdkResults.bytes(m, bin), "Kong 3.x sends bin");
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), PdkResults.bytes(m, "{\"a\":1}"),
                "Kong 2.x sends str");
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), PdkResults.bytes(m, "héllo"));
        assertNull(PdkResults.bytes(m, null));
        PdkException e = assertThrows(PdkException.class, () -> PdkResults.bytes(m, 5L));
        assertEquals("kong.request.get_raw_body: expected bytes from Kong, got integer 5", e.getMessage());
        assertTrue(Arrays.equals(new byte[0], PdkResults.bytes(m, "")));
    }
}
