package io.kjps.rpc.codec;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads Kong's msgpack-rpc requests and writes the server's responses and notifications (protocol.md §4.1).
 */
public final class RpcCodec {
    private static final int REQUEST = 0;
    private static final int RESPONSE = 1;
    private static final int NOTIFICATION = 2;

    private final DecodeLimits limits;

    /** @param limits the bounds applied to every request */
    public RpcCodec(DecodeLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads the next request.
     *
     * @param in the unpacker over the connection
     * @return the request, or {@code null} at a clean end of stream (between messages)
     * @throws ProtocolException on malformed input, including EOF in the middle of a message (not in sync); see
     *         {@link ProtocolException#inSync()}
     * @throws IOException on a read error
     */
    public RpcRequest readRequest(MessageUnpacker in) throws IOException, ProtocolException {
        if (!in.hasNext()) {
            return null;
        }
        Object value;
        try {
            value = MsgpackValues.read(in, limits);
        } catch (EOFException eof) {
            throw new ProtocolException("end of stream in the middle of a message", false, -1);
        }
        if (!(value instanceof List<?> message)) {
            throw new ProtocolException("expected a msgpack-rpc request array, got " + describe(value), true, -1);
        }
        long msgid = message.size() > 1 && message.get(1) instanceof Long id ? id : -1;
        if (message.size() != 4) {
            throw new ProtocolException("expected a request of 4 elements [0, msgid, method, params], got "
                    + message.size(), true, msgid);
        }
        if (!(message.get(0) instanceof Long type) || type != REQUEST) {
            throw new ProtocolException("expected message type 0 (request), got " + describe(message.get(0)),
                    true, msgid);
        }
        if (msgid < 0 || msgid > 0xffffffffL) {
            throw new ProtocolException("expected an unsigned 32-bit msgid, got " + describe(message.get(1)), true,
                    -1);
        }
        if (!(message.get(2) instanceof String method)) {
            throw new ProtocolException("expected the method name as a string, got " + describe(message.get(2)),
                    true, msgid);
        }
        if (!(message.get(3) instanceof List<?> params)) {
            throw new ProtocolException("expected the params of " + method + " as an array, got "
                    + describe(message.get(3)), true, msgid);
        }
        return new RpcRequest(msgid, method, params.isEmpty() ? null : params.get(0));
    }

    /**
     * Writes {@code [1, msgid, error, result]}.
     *
     * @param out the packer
     * @param msgid the request's msgid
     * @param error the error text, or {@code null} on success
     * @param result the result (ignored by Kong when error is set)
     * @throws IOException from the packer
     */
    public void writeResponse(MessagePacker out, long msgid, String error, Object result) throws IOException {
        out.packArrayHeader(4);
        out.packInt(RESPONSE);
        out.packLong(msgid);
        if (error == null) {
            out.packNil();
        } else {
            out.packString(error);
        }
        writeResult(out, result);
    }

    /**
     * Writes {@code [2, label, value]}, for example {@code serverPid}.
     *
     * @param out the packer
     * @param label the notification name
     * @param value its argument
     * @throws IOException from the packer
     */
    public void writeNotification(MessagePacker out, String label, Object value) throws IOException {
        out.packArrayHeader(3);
        out.packInt(NOTIFICATION);
        out.packString(label);
        MsgpackValues.write(out, value);
    }

    private static void writeResult(MessagePacker out, Object result) throws IOException {
        if (result instanceof StepResult step) {
            out.packMapHeader(2);
            out.packString("EventId");
            out.packLong(step.eventId());
            out.packString("Data");
            Object data = step.data();
            if (data instanceof PdkCall call) {
                out.packMapHeader(2);
                out.packString("Method");
                out.packString(call.method());
                out.packString("Args");
                Object[] args = call.args();
                out.packArrayHeader(args.length);
                for (Object arg : args) {
                    MsgpackValues.write(out, arg);
                }
            } else {
                MsgpackValues.write(out, data);
            }
        } else {
            MsgpackValues.write(out, result);
        }
    }

    /**
     * @param value a decoded value
     * @return its msgpack type name for error messages
     */
    public static String describe(Object value) {
        if (value == null) {
            return "nil";
        } else if (value instanceof String s) {
            return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        } else if (value instanceof Long || value instanceof java.math.BigInteger) {
            return "integer " + value;
        } else if (value instanceof Double) {
            return "float " + value;
        } else if (value instanceof Boolean) {
            return "boolean " + value;
        } else if (value instanceof byte[] b) {
            return "binary of " + b.length + " bytes";
        } else if (value instanceof List<?> l) {
            return "array of " + l.size();
        } else if (value instanceof java.util.Map<?, ?> m) {
            return "map of " + m.size();
        }
        return value.getClass().getSimpleName();
    }
}
