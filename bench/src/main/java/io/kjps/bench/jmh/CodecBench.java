package io.kjps.bench.jmh;

import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RPC codec on the messages of the benchmark scenarios: reading Kong's requests (a Step with a header value, a
 * StepMultiMap with ten headers, a Step with the 20 KB log entry) and writing a step result that asks for a PDK call.
 * One unpacker and one packer are reused, as a connection reuses its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
    private byte[] step;
    private byte[] multimapStep;
    private byte[] logStep;
    private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
    private MessageUnpacker unpacker;
    private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    private final StepResult call = new StepResult(12,
            new PdkCall("kong.response.set_header", new Object[] {"x-hello", "hello Alice"}, false));

    /** Packs the requests once. */
    @Setup
    public void setUp() throws IOException {
        step = request("plugin.Step", Map.of("EventId", 12L, "Data", "Alice"));
        Map<String, Object> headers = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            headers.put("x-header-" + i, List.of("value-" + i));
        }
        multimapStep = request("plugin.StepMultiMap", Map.of("EventId", 12L, "Data", headers));
        logStep = request("plugin.Step", Map.of("EventId", 12L, "Data", "x".repeat(20 * 1024)));
        unpacker = MessagePack.newDefaultUnpacker(input);
    }

    private static byte[] request(String method, Map<String, Object> param) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(4).packInt(0).packLong(7).packString(method).packArrayHeader(1);
            write(p, param);
            return p.toByteArray();
        }
    }

    private static void write(MessageBufferPacker p, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                write(p, e.getKey());
                write(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                write(p, o);
            }
        } else if (v instanceof Long n) {
            p.packLong(n);
        } else {
            p.packString((String) v);
        }
    }

    private RpcRequest read(byte[] bytes) throws Exception {
        input.reset(bytes);
        unpacker.reset(input);
        return codec.readRequest(unpacker);
    }

    /** @return a Step carrying a header value */
    @Benchmark
    public RpcRequest readStep() throws Exception {
        return read(step);
    }

    /** @return a StepMultiMap carrying ten headers */
    @Benchmark
    public RpcRequest readMultimapStep() throws Exception {
        return read(multimapStep);
    }

    /** @return a Step carrying the 20 KB log entry */
    @Benchmark
    public RpcRequest readLogStep() throws Exception {
        return read(logStep);
    }

    /** @return the bytes of a step result asking for {@code kong.response.set_header} */
    @Benchmark
    public int writeCallResult() throws IOException {
        packer.clear();
        codec.writeResponse(packer, 7, null, call);
        return packer.getBufferSize();
    }
}
