package io.kjps.rpc.codec;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageFormatException;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Msgpack values as plain Java objects, in both directions.
 *
 * <p>Decoding: nil is {@code null}; booleans {@code Boolean}; every integer format {@code Long} (a uint64 above
 * {@code Long.MAX_VALUE} is a {@code BigInteger}); float32/64 {@code Double}; str {@code String} (see
 * {@link Strings}); bin {@code byte[]}; arrays {@code List<Object>}; maps {@code Map<Object, Object>} in wire order;
 * ext types {@code null}, as Kong's own unpacker does.
 */
public final class MsgpackValues {

    private MsgpackValues() {
    }

    /**
     * Reads one value.
     *
     * @param in the unpacker, positioned at a value
     * @param limits the bounds checked before allocating
     * @return the value
     * @throws IOException on a read error; {@link EOFException} on EOF mid-value
     * @throws ProtocolException on bytes that are not msgpack or exceed the limits (never in sync)
     */
    public static Object read(MessageUnpacker in, DecodeLimits limits) throws IOException, ProtocolException {
        try {
            return read(in, limits, 0, new Budget(limits));
        } catch (MessageInsufficientBufferException eof) {
            EOFException e = new EOFException("end of stream in the middle of a value");
            e.initCause(eof);
            throw e;
        }
    }

    /** What is left of one message's allowance of values and payload bytes. */
    private static final class Budget {
        private final DecodeLimits limits;
        private long values;
        private long bytes;

        Budget(DecodeLimits limits) {
            this.limits = limits;
        }

        void value() throws ProtocolException {
            if (++values > limits.maxMessageValues()) {
                throw new ProtocolException("message of more than " + limits.maxMessageValues()
                        + " values exceeds the limit", false, -1);
            }
        }

        void payload(int n) throws ProtocolException {
            bytes += n;
            if (bytes > limits.maxMessageBytes()) {
                throw new ProtocolException("message of more than " + limits.maxMessageBytes()
                        + " payload bytes exceeds the limit", false, -1);
            }
        }
    }

    private static Object read(MessageUnpacker in, DecodeLimits limits, int depth, Budget budget)
            throws IOException, ProtocolException {
        budget.value();
        MessageFormat format;
        ValueType type;
        try {
            format = in.getNextFormat();
            type = format.getValueType(); // throws for 0xc1, the byte msgpack never uses
        } catch (MessageFormatException e) {
            throw new ProtocolException("not msgpack: " + e.getMessage(), false, -1);
        }
        try {
            return read(in, limits, depth, format, type, budget);
        } catch (MessageSizeException e) {
            // a 32-bit length of 2^31 or more, which msgpack-core refuses before our limits see it
            throw tooLarge(type, e.getSize(), limits);
        }
    }

    private static ProtocolException tooLarge(ValueType type, long size, DecodeLimits limits) {
        switch (type) {
            case STRING:
                return tooLarge("str", size, limits.maxStringBytes());
            case BINARY:
                return tooLarge("bin", size, limits.maxBinaryBytes());
            case EXTENSION:
                return tooLarge("ext", size, limits.maxBinaryBytes());
            case ARRAY:
                return tooLarge("array", size, limits.maxContainerEntries());
            case MAP:
                return tooLarge("map", size, limits.maxContainerEntries());
            default:
                return new ProtocolException("not msgpack: " + type + " of size " + size, false, -1);
        }
    }

    private static ProtocolException tooLarge(String what, long size, int limit) {
        return new ProtocolException(what + " of " + size + (what.equals("array") || what.equals("map")
                ? " entries" : " bytes") + " exceeds the limit of " + limit, false, -1);
    }

    private static Object read(MessageUnpacker in, DecodeLimits limits, int depth, MessageFormat format,
                               ValueType type, Budget budget) throws IOException, ProtocolException {
        switch (type) {
            case NIL:
                in.unpackNil();
                return null;
            case BOOLEAN:
                return in.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = in.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                return in.unpackLong();
            case FLOAT:
                return in.unpackDouble();
            case STRING: {
                int n = in.unpackRawStringHeader();
                check(n, limits.maxStringBytes(), "str");
                budget.payload(n);
                return Strings.decode(in.readPayload(n));
            }
            case BINARY: {
                int n = in.unpackBinaryHeader();
                check(n, limits.maxBinaryBytes(), "bin");
                budget.payload(n);
                return in.readPayload(n);
            }
            case ARRAY: {
                int n = in.unpackArrayHeader();
                check(n, limits.maxContainerEntries(), "array");
                checkDepth(depth, limits);
                List<Object> list = new ArrayList<>(Math.min(n, 256));
                for (int i = 0; i < n; i++) {
                    list.add(read(in, limits, depth + 1, budget));
                }
                return list;
            }
            case MAP: {
                int n = in.unpackMapHeader();
                check(n, limits.maxContainerEntries(), "map");
                checkDepth(depth, limits);
                Map<Object, Object> map = new LinkedHashMap<>(Math.min(n, 256) * 2);
                for (int i = 0; i < n; i++) {
                    Object key = read(in, limits, depth + 1, budget);
                    map.put(key, read(in, limits, depth + 1, budget));
                }
                return map;
            }
            case EXTENSION: {
                int n = in.unpackExtensionTypeHeader().getLength();
                check(n, limits.maxBinaryBytes(), "ext");
                budget.payload(n);
                in.readPayload(n);
                return null;
            }
            default:
                throw new ProtocolException("not msgpack: format " + format, false, -1);
        }
    }

    private static void check(int declared, int limit, String what) throws ProtocolException {
        if (declared < 0 || declared > limit) {
            throw tooLarge(what, declared & 0xffffffffL, limit);
        }
    }

    private static void checkDepth(int depth, DecodeLimits limits) throws ProtocolException {
        if (depth >= limits.maxDepth()) {
            throw new ProtocolException("nesting deeper than " + limits.maxDepth() + " levels", false, -1);
        }
    }

    /**
     * Writes a Java value the way Kong's PDK expects arguments: {@code null}, {@code String}, {@code Boolean},
     * integral numbers (smallest int format), other numbers as float64, {@code byte[]} as bin, enums by name,
     * {@code Collection}s and arrays as msgpack arrays, {@code Map}s as msgpack maps.
     *
     * @param out the packer
     * @param value the value
     * @throws IOException from the packer
     * @throws IllegalArgumentException for a type Kong cannot receive, naming it
     */
    public static void write(MessagePacker out, Object value) throws IOException {
        if (value == null) {
            out.packNil();
        } else if (value instanceof String s) {
            out.packString(s);
        } else if (value instanceof Boolean b) {
            out.packBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.packLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.packDouble(((Number) value).doubleValue());
        } else if (value instanceof BigInteger big) {
            out.packBigInteger(big);
        } else if (value instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            out.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(out, e.getKey());
                write(out, e.getValue());
            }
        } else if (value instanceof Collection<?> list) {
            out.packArrayHeader(list.size());
            for (Object o : list) {
                write(out, o);
            }
        } else if (value instanceof Object[] array) {
            out.packArrayHeader(array.length);
            for (Object o : array) {
                write(out, o);
            }
        } else if (value instanceof Enum<?> e) {
            out.packString(e.name());
        } else if (value instanceof Character c) {
            out.packString(c.toString());
        } else if (value instanceof Number n) {
            out.packDouble(n.doubleValue());
        } else {
            throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " to Kong: use text,"
                    + " numbers, booleans, byte[], lists, maps or null");
        }
    }

    /**
     * Checks that {@link #write} accepts a value, so a plugin learns about a bad argument in its own thread.
     *
     * @param value the value
     * @throws IllegalArgumentException naming the first type Kong cannot receive
     */
    public static void checkWritable(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number
                || value instanceof byte[] || value instanceof Enum<?> || value instanceof Character) {
            return;
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                checkWritable(e.getKey());
                checkWritable(e.getValue());
            }
            return;
        } else if (value instanceof Collection<?> list) {
            for (Object o : list) {
                checkWritable(o);
            }
            return;
        } else if (value instanceof Object[] array) {
            for (Object o : array) {
                checkWritable(o);
            }
            return;
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " to Kong: use text,"
                + " numbers, booleans, byte[], lists, maps or null");
    }
}
