package io.kjps.rpc.codec;

import static io.kjps.rpc.testutil.Bytes.packed;
import static io.kjps.rpc.testutil.Bytes.toHex;
import static io.kjps.rpc.testutil.Bytes.unpacker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import io.kjps.rpc.testutil.Bytes;
import io.kjps.rpc.testutil.RecordedLines;
import io.kjps.rpc.testutil.RecordedLines.Line;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Every message of every golden conversation through the codec: Kong's requests decode to exactly the recorded
 * {@code msg}, also when the whole connection's bytes arrive one byte per read; the reference server's responses
 * decode to their {@code msg} and re-encode byte for byte.
 */
class RecordedMessagesTest {

    static Stream<String> files() {
        return RecordedLines.files().stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void kongRequestsDecodeToTheRecordedMessage(String file) throws Exception {
        List<Line> lines = RecordedLines.load(file);
        RecordedLines.assertHasTraffic(lines, file);
        RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
        int n = 0;
        for (Line line : lines) {
            if (!line.fromKong()) {
                continue;
            }
            RpcRequest r = codec.readRequest(unpacker(line.bytes()));
            assertRequest(file, line, r);
            n++;
        }
        assertTrue(n > 0);
    }

    @ParameterizedTest
    @MethodSource("files")
    void eachConnectionsKongBytesDecodeFromOneStreamOneBytePerRead(String file) throws Exception {
        List<Line> lines = RecordedLines.load(file);
        RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
        for (int conn : lines.stream().filter(Line::fromKong).map(Line::conn).distinct().toList()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<Line> sent = lines.stream().filter(l -> l.fromKong() && l.conn() == conn).toList();
            sent.forEach(l -> all.writeBytes(l.bytes()));
            MessageUnpacker u = MessagePack.newDefaultUnpacker(new Bytes.OneByteAtATime(all.toByteArray()));
            for (Line line : sent) {
                assertRequest(file, line, codec.readRequest(u));
            }
            assertNull(codec.readRequest(u), file + " conn " + conn + ": clean EOF");
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void serverMessagesDecodeAndReencodeByteForByte(String file) throws Exception {
        for (Line line : RecordedLines.load(file)) {
            if (!line.fromServer()) {
                continue;
            }
            MessageUnpacker u = unpacker(line.bytes());
            Object value = MsgpackValues.read(u, DecodeLimits.DEFAULT);
            assertFalse(u.hasNext(), file + " seq " + line.seq() + ": one value per line");
            RecordedLines.assertSameValue(line.msg(), value, file + " seq " + line.seq());
            assertEquals(toHex(line.bytes()), toHex(packed(p -> MsgpackValues.write(p, value))),
                    file + " seq " + line.seq() + ": our packer writes what the JS server wrote");
        }
    }

    private static void assertRequest(String file, Line line, RpcRequest r) {
        String where = file + " seq " + line.seq();
        JsonArray msg = line.msg().getAsJsonArray();
        assertEquals(0, msg.get(0).getAsInt(), where);
        assertEquals(msg.get(1).getAsLong(), r.msgid(), where);
        assertEquals(msg.get(2).getAsString(), r.method(), where);
        JsonArray params = msg.get(3).getAsJsonArray();
        assertEquals(1, params.size(), where + ": Kong always sends one param");
        RecordedLines.assertSameValue(params.get(0), r.param(), where);
    }
}
