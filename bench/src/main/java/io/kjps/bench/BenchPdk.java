package io.kjps.bench;

import io.kjps.emulator.PdkHandler;
import io.kjps.emulator.PdkResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kong's PDK for the benchmark: fixed answers, precomputed, no per-call state (the emulator's {@code FakeRequest}
 * models a whole request and synchronizes; this only answers the calls of the scenarios). Thread-safe.
 */
public final class BenchPdk implements PdkHandler {
    /** The value of {@code x-name}. */
    static final String NAME = "Alice";
    /** The size of the {@code kong.log.serialize()} string. */
    static final int SERIALIZED_BYTES = 20 * 1024;

    private static final PdkResult NAME_RESULT = PdkResult.of(NAME);
    private static final PdkResult HEADERS_RESULT = PdkResult.of(headers());
    private static final PdkResult SERIALIZED_RESULT = PdkResult.of(serialized());

    @Override
    public PdkResult call(String phase, String method, List<Object> args) {
        switch (method) {
            case "kong.request.get_header":
                return NAME_RESULT;
            case "kong.request.get_headers":
                return HEADERS_RESULT;
            case "kong.log.serialize":
                return SERIALIZED_RESULT;
            default:
                return PdkResult.nil(); // set_header, exit: nothing returned
        }
    }

    /** @return ten request headers as Lua's {@code ngx.req.get_headers()} gives them (one repeated: a list) */
    static Map<String, Object> headers() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:8000");
        h.put("user-agent", "kong-java-pluginserver-bench/1.0");
        h.put("accept", "*/*");
        h.put("accept-encoding", "gzip, deflate, br");
        h.put("x-name", NAME);
        h.put("x-request-id", "6f1c3c4e-0a4b-4a53-9f43-6a9d0b1c2d3e");
        h.put("x-forwarded-for", List.of("10.0.0.1", "10.0.0.2"));
        h.put("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl");
        h.put("content-type", "application/json");
        h.put("cookie", "session=0123456789abcdef; theme=dark");
        return h;
    }

    /** @return a JSON log entry of {@link #SERIALIZED_BYTES} bytes, shaped like Kong's {@code kong.log.serialize} */
    static String serialized() {
        StringBuilder sb = new StringBuilder(SERIALIZED_BYTES);
        sb.append("{\"request\":{\"method\":\"GET\",\"uri\":\"/anything?q=1\",\"url\":\"http://127.0.0.1:8000/anything?q=1\","
                + "\"size\":120,\"querystring\":{\"q\":\"1\"},\"headers\":{\"host\":\"127.0.0.1:8000\",\"x-name\":\"Alice\"}},"
                + "\"response\":{\"status\":200,\"size\":512,\"headers\":{\"content-type\":\"application/json\"}},"
                + "\"latencies\":{\"kong\":1,\"proxy\":2,\"request\":3},\"client_ip\":\"127.0.0.1\","
                + "\"started_at\":1764400000000,\"tries\":[],\"upstream_uri\":\"/anything?q=1\",\"pad\":\"");
        int i = 0;
        while (sb.length() < SERIALIZED_BYTES - 2) {
            sb.append((char) ('a' + (i++ % 26)));
        }
        sb.append("\"}");
        return sb.toString();
    }
}
