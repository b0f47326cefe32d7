package io.kjps.rpc.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** Byte helpers for hand-built msgpack input. */
public final class Bytes {
    private Bytes() {
    }

    /**
     * @param parts hex strings (spaces allowed) and {@code String}s in quotes are NOT supported: use {@link #str}
     * @return the bytes
     */
    public static byte[] hex(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p.replace(" ", ""));
        }
        return HexFormat.of().parseHex(sb.toString());
    }

    /** @return the hex of the bytes, lower case, no spaces */
    public static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** @return the hex of a fixstr holding the ASCII text (header and payload) */
    public static String fixstr(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > 31) {
            throw new IllegalArgumentException("too long for fixstr: " + text);
        }
        return String.format("%02x", 0xa0 | b.length) + toHex(b);
    }

    /** @return the hex of the ASCII text without a header */
    public static String ascii(String text) {
        return toHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the concatenation */
    public static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** @return an unpacker over the bytes */
    public static MessageUnpacker unpacker(byte[] bytes) {
        return MessagePack.newDefaultUnpacker(bytes);
    }

    /** Something that writes to a packer. */
    @FunctionalInterface
    public interface PackAction {
        /** @param p the packer */
        void pack(MessageBufferPacker p) throws IOException;
    }

    /** @return what the action packed */
    public static byte[] packed(PackAction action) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            action.pack(p);
            p.flush();
            return p.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An input stream that returns at most one byte per read, like a socket delivering byte by byte. */
    public static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int pos;
        private int reads;

        /** @param bytes the content */
        public OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            reads++;
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            reads++;
            if (pos >= bytes.length) {
                return -1;
            }
            b[off] = bytes[pos++];
            return 1;
        }

        @Override
        public int available() {
            return 0;
        }

        /** @return how many read calls returned */
        public int reads() {
            return reads;
        }
    }
}
