package io.kjps.rpc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.ProtocolException;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Fuzzes {@link RpcCodec#readRequest} over arbitrary bytes, as one connection would read them: requests until the
 * end of the bytes or the first error that is not in sync.
 *
 * <p>Allowed outcomes are a request, an end of stream, or a {@link ProtocolException}; anything else (a runtime
 * exception, an error, a hang, an allocation beyond the surefire fork's small heap) is a finding. Every decoded
 * param must also be writable back to Kong ({@link MsgpackValues#write}), since the server echoes parts of it.
 *
 * <p>Runs twice per input: with the default limits and with tiny ones, so the limit checks are reached by short
 * inputs. The committed corpus is {@code src/test/resources/io/kjps/rpc/fuzz/CodecFuzzTestInputs/readRequests}.
 */
class CodecFuzzTest {
    private static final RpcCodec DEFAULT = new RpcCodec(DecodeLimits.DEFAULT);
    private static final RpcCodec TINY = new RpcCodec(new DecodeLimits(16, 16, 8, 4));

    /** The on-demand campaign: the same target for up to an hour (see README, "Fuzzing"). */
    @FuzzTest(maxDuration = "60m")
    void readRequestsLong(byte[] input) throws Exception {
        readRequests(input);
    }

    /** The short campaign every build runs (surefire execution {@code fuzz-...} in the pom), and the replay. */
    @FuzzTest(maxDuration = "20s")
    void readRequests(byte[] input) throws IOException {
        readAll(DEFAULT, input);
        readAll(TINY, input);
    }

    private static void readAll(RpcCodec codec, byte[] input) throws IOException {
        MessageUnpacker in = MessagePack.newDefaultUnpacker(new ByteArrayInputStream(input));
        for (int i = 0; i <= input.length; i++) {
            RpcRequest request;
            try {
                request = codec.readRequest(in);
            } catch (ProtocolException e) {
                if (e.getMessage() == null || e.getMessage().isEmpty()) {
                    throw new AssertionError("a protocol error without a reason", e);
                }
                if (!e.inSync()) {
                    return;
                }
                continue;
            }
            if (request == null) {
                return;
            }
            if (request.method() == null || request.msgid() < 0 || request.msgid() > 0xffffffffL) {
                throw new AssertionError("bad request decoded: " + request);
            }
            MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
            codec.writeResponse(out, request.msgid(), null, request.param());
            MsgpackValues.write(out, request.param());
        }
        throw new AssertionError("more requests than bytes: the reader does not advance");
    }
}
