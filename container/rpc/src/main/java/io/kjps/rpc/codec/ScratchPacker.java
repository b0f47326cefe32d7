package io.kjps.rpc.codec;

import java.io.IOException;
import java.io.OutputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.buffer.OutputStreamBufferOutput;

/**
 * A packer that writes short ASCII strings (PDK method names, map keys, header names: nearly every string the server
 * sends) through one scratch array of its own instead of a new byte array per string, which msgpack-core's
 * {@code packString} allocates. The bytes written are the same: the same string header, the same UTF-8 bytes. Other
 * strings go through {@code packString} unchanged. One per connection; not thread-safe, as no packer is.
 */
public final class ScratchPacker extends MessagePacker {
    private static final int SCRATCH = 1024;
    private final byte[] scratch = new byte[SCRATCH];

    /** @param out where the packed bytes go */
    public ScratchPacker(OutputStream out) {
        super(new OutputStreamBufferOutput(out), MessagePack.DEFAULT_PACKER_CONFIG);
    }

    @Override
    public MessagePacker packString(String s) throws IOException {
        int n = s.length();
        if (n > SCRATCH) {
            return super.packString(s);
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return super.packString(s);
            }
            scratch[i] = (byte) c;
        }
        packRawStringHeader(n);
        return writePayload(scratch, 0, n); // copies: the scratch array is free again at once
    }
}
