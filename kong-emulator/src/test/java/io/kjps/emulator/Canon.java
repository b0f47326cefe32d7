package io.kjps.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Byte-level canonical form of one msgpack value: every map's entries sorted by their encoded key bytes, every
 * other byte (formats, lengths, payloads) unchanged. Kong's map key order is Lua hash order, which differs between
 * workers and runs; everything else about its bytes must match exactly.
 */
final class Canon {
    private Canon() {
    }

    static String hex(byte[] value) {
        return HexFormat.of().formatHex(canonical(value));
    }

    static byte[] canonical(byte[] value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int end = walk(value, 0, out);
            if (end != value.length) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the value at pos canonically; returns the position after it. */
    private static int walk(byte[] b, int pos, ByteArrayOutputStream out) throws IOException {
        MessageFormat f = MessageFormat.valueOf(b[pos]);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, pos, b.length - pos)) {
            switch (f.getValueType()) {
                case ARRAY: {
                    int n = u.unpackArrayHeader();
                    int p = pos + (int) u.getTotalReadBytes();
                    out.write(b, pos, p - pos);
                    for (int i = 0; i < n; i++) {
                        p = walk(b, p, out);
                    }
                    return p;
                }
                case MAP: {
                    int n = u.unpackMapHeader();
                    int p = pos + (int) u.getTotalReadBytes();
                    out.write(b, pos, p - pos);
                    List<byte[][]> entries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        ByteArrayOutputStream k = new ByteArrayOutputStream();
                        ByteArrayOutputStream v = new ByteArrayOutputStream();
                        p = walk(b, p, k);
                        p = walk(b, p, v);
                        entries.add(new byte[][] {k.toByteArray(), v.toByteArray()});
                    }
                    entries.sort((x, y) -> Arrays.compare(x[0], y[0]));
                    for (byte[][] e : entries) {
                        out.write(e[0]);
                        out.write(e[1]);
                    }
                    return p;
                }
                default: {
                    u.skipValue();
                    int p = pos + (int) u.getTotalReadBytes();
                    out.write(b, pos, p - pos);
                    return p;
                }
            }
        }
    }
}
