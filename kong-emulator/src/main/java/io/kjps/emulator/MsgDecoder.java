package io.kjps.emulator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Incremental MessagePack decoder for what a server sends: every format (str8 too, bin, ext, all int families)
 * becomes a plain Java value:
 * <ul>
 *   <li>nil → {@code null}; bool → {@link Boolean}</li>
 *   <li>any integer → {@link Long}, or {@link BigInteger} for a uint64 above {@code Long.MAX_VALUE}</li>
 *   <li>float32/float64 → {@link Double}</li>
 *   <li>str → {@link String} when the bytes are valid UTF-8, otherwise {@link RawString} (no byte lost)</li>
 *   <li>bin → {@code byte[]}; ext → {@link ExtValue}</li>
 *   <li>array → {@code List<Object>}; map → {@code Map<Object,Object>} in wire order</li>
 * </ul>
 * Bytes are pushed in with {@link #feed}; each call returns the values completed so far, so a value may span any
 * number of feeds. Not thread-safe: one decoder per connection.
 */
public final class MsgDecoder {
    private byte[] buf = new byte[4096];
    private int start;
    private int end;

    /** A decoder with an empty buffer. */
    public MsgDecoder() {
    }

    /**
     * Decodes exactly one value.
     *
     * @param bytes one complete MessagePack value
     * @return the value
     * @throws KongProtocolException if the bytes are incomplete, invalid or hold more than one value
     */
    public static Object decode(byte[] bytes) {
        MsgDecoder d = new MsgDecoder();
        List<Object> vs = d.feed(bytes, 0, bytes.length);
        if (vs.size() != 1 || d.pending() != 0) {
            throw new KongProtocolException("expected exactly one complete msgpack value, got " + vs.size()
                    + " value(s) and " + d.pending() + " trailing byte(s)");
        }
        return vs.get(0);
    }

    /**
     * @param b   bytes
     * @param off first byte
     * @param len number of bytes
     * @return the values completed by these bytes, in order (often empty or one)
     * @throws KongProtocolException for bytes that are not MessagePack
     */
    public List<Object> feed(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, end, len);
        end += len;
        return drain();
    }

    /**
     * @param bb bytes from position to limit (consumed)
     * @return the values completed by these bytes
     * @throws KongProtocolException for bytes that are not MessagePack
     */
    public List<Object> feed(ByteBuffer bb) {
        int len = bb.remaining();
        ensure(len);
        bb.get(buf, end, len);
        end += len;
        return drain();
    }

    /** @return bytes received but not yet part of a complete value */
    public int pending() {
        return end - start;
    }

    private void ensure(int len) {
        if (end + len <= buf.length) {
            return;
        }
        int live = end - start;
        if (live + len <= buf.length) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            byte[] nb = new byte[Math.max(buf.length * 2, live + len)];
            System.arraycopy(buf, start, nb, 0, live);
            buf = nb;
        }
        start = 0;
        end = live;
    }

    private List<Object> drain() {
        List<Object> out = null;
        while (start < end) {
            Object v;
            int used;
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(buf, start, end - start)) {
                v = read(u, end - start);
                used = (int) u.getTotalReadBytes();
            } catch (Incomplete | MessageInsufficientBufferException e) {
                break;
            } catch (MessagePackException | IOException e) {
                throw new KongProtocolException("invalid msgpack from the server: " + e.getMessage());
            }
            start += used;
            if (out == null) {
                out = new ArrayList<>(1);
            }
            out.add(v);
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        return out == null ? Collections.emptyList() : out;
    }

    /** Thrown (cheaply) when a length points beyond the bytes received so far. */
    private static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super(null, null, false, false);
        }
    }

    private static byte[] payload(MessageUnpacker u, int n, int available) throws IOException {
        if (n < 0 || u.getTotalReadBytes() + n > available) {
            throw Incomplete.INSTANCE; // never allocate for bytes that have not arrived
        }
        return u.readPayload(n);
    }

    private static Object read(MessageUnpacker u, int available) throws IOException {
        MessageFormat f = u.getNextFormat();
        switch (f.getValueType()) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                if (f == MessageFormat.UINT64) {
                    BigInteger bi = u.unpackBigInteger();
                    return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
                }
                return u.unpackLong();
            case FLOAT:
                return u.unpackDouble();
            case STRING: {
                int n = u.unpackRawStringHeader();
                return str(payload(u, n, available));
            }
            case BINARY: {
                int n = u.unpackBinaryHeader();
                return payload(u, n, available);
            }
            case ARRAY: {
                int n = u.unpackArrayHeader();
                List<Object> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    l.add(read(u, available));
                }
                return l;
            }
            case MAP: {
                int n = u.unpackMapHeader();
                Map<Object, Object> m = new LinkedHashMap<>(Math.min(n, 1024) * 2);
                for (int i = 0; i < n; i++) {
                    Object k = read(u, available);
                    m.put(k instanceof byte[] b ? str(b) : k, read(u, available)); // bin keys: Lua strings
                }
                return m;
            }
            case EXTENSION: {
                var h = u.unpackExtensionTypeHeader();
                return new ExtValue(h.getType(), payload(u, h.getLength(), available));
            }
            default:
                throw new KongProtocolException("invalid msgpack byte (format " + f + ")");
        }
    }

    private static Object str(byte[] b) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new RawString(b);
        }
    }

    @Override
    public String toString() {
        return "MsgDecoder[pending=" + pending() + ", head=" + Arrays.toString(
                Arrays.copyOfRange(buf, start, Math.min(end, start + 8))) + "]";
    }
}
