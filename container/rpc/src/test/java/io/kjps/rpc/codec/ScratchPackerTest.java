package io.kjps.rpc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

class ScratchPackerTest {

    private static byte[] pack(MessagePacker p, ByteArrayOutputStream out, List<String> strings) throws Exception {
        for (String s : strings) {
            p.packString(s);
        }
        p.flush();
        return out.toByteArray();
    }

    @Test
    void writesTheSameBytesAsMsgpackCoreForEveryKindOfString() throws Exception {
        List<String> strings = List.of("", "EventId", "kong.request.get_header", "x".repeat(31), "x".repeat(32),
                "y".repeat(255), "y".repeat(256), "z".repeat(1024), "z".repeat(1025), "héllo", "\u00ff\u0080",
                "emoji \uD83D\uDE00", "a\u0000b", "\u007f");
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertArrayEquals(pack(MessagePack.newDefaultPacker(a), a, strings),
                pack(new ScratchPacker(b), b, strings));
    }
}
